// The project compiles with `moduleResolution: node`, which ignores `exports` maps; the
// vscode-languageserver packages (v10 / protocol 3.18 / jsonrpc 9) declare their entry points only
// there, so without these the type checker sees none of their types (Node and esbuild resolve them
// fine at run time). Point the checker at the files the maps name.
declare module 'vscode-jsonrpc' {
  export * from 'vscode-jsonrpc/lib/common/api';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
declare module 'vscode-languageserver-protocol' {
  export * from 'vscode-languageserver-protocol/lib/common/api';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-languageserver' {
  export * from 'vscode-languageserver/lib/common/api';
}
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageserver/browser' {
  export * from 'vscode-languageserver/lib/browser/main';
}
declare module 'vscode-languageserver-protocol/browser' {
  export * from 'vscode-languageserver-protocol/lib/browser/main';
}
declare module 'vscode-jsonrpc/browser' {
  export * from 'vscode-jsonrpc/lib/browser/main';
}
