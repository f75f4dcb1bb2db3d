// See server/src/lsp/module-shims.d.ts: `moduleResolution: node` cannot see `exports` entry points.
declare module 'vscode-languageclient/node' {
  export * from 'vscode-languageclient/lib/node/main';
}
declare module 'vscode-languageclient/browser' {
  export * from 'vscode-languageclient/lib/browser/main';
}
declare module 'vscode-languageclient' {
  export * from 'vscode-languageclient/lib/common/api';
}
