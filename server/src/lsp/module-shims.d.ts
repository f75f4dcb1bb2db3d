// The project compiles with `moduleResolution: node`, which ignores `exports` maps, so the `/node`
// entry points of the vscode-languageserver packages are invisible to the type checker (Node and
// esbuild resolve them fine at run time). Point the checker at the files the maps name.
declare module 'vscode-languageserver/node' {
  export * from 'vscode-languageserver/lib/node/main';
}
declare module 'vscode-languageserver-protocol/node' {
  export * from 'vscode-languageserver-protocol/lib/node/main';
}
declare module 'vscode-jsonrpc/node' {
  export * from 'vscode-jsonrpc/lib/node/main';
}
