/**
 * What the language server needs from the platform it runs on, in Node: its connection (the
 * transport comes from the command line), uncaught errors, file locations, and the files it reads.
 * In a web worker, esbuild.mjs builds the same server with host-web.ts in this module's place.
 */
import { Console } from 'node:console';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Connection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, createConnection } from 'vscode-languageserver/node';
import { InitializationOptions } from '../../../shared/src/protocol';
// The CLI's: the server keeps it small whatever its workspace (its bound is met document by document).
import { keepYoungGenerationSmall } from '../cli/young-generation';
import { DiskFiles } from './disk-files';
import { ClientFiles, WorkspaceFiles, isUriLocation } from './files';
import { FramingChecker } from './framing';
import { jsonEncoder } from './message-encoding';

/** Chunks read from the stdio transport so far (`step-aside.ts`). */
let chunksRead = 0;

/** How many times the transport has read from the client so far: the stdio transport's reads; 0 for others. */
export function transportReads(): number {
  return chunksRead;
}

/** `--stdio`, `--node-ipc`, `--socket=N` or `--pipe=NAME`, as `createConnection` reads `process.argv`. */
export function createServerConnection(): Connection {
  // Before any analysis allocates: the memory bound's 100 MB has no room for a 32 MB young generation.
  keepYoungGenerationSmall();
  if (!process.argv.includes('--stdio')) return createConnection(ProposedFeatures.all);
  // The library's own stdio connection but for the writer's encoder (message-encoding.ts). Given
  // a reader and a writer, it leaves two things of its stdio mode to us: console output must stay
  // off stdout, the protocol's, and the server exits once the client closes stdin.
  const writer = new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: jsonEncoder });
  const connection = createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), writer);
  globalThis.console = new Console(process.stderr, process.stderr);
  let shutDown = false;
  connection.onShutdown(() => void (shutDown = true));
  for (const event of ['end', 'close']) process.stdin.on(event, () => process.exit(shutDown ? 0 : 1));
  // See framing.ts. Other transports (IPC, sockets) have their own framing or none to get wrong.
  const framing = new FramingChecker();
  const onData = (chunk: Buffer) => {
    chunksRead++;
    const problem = framing.push(chunk);
    if (problem === undefined) return;
    process.stdin.off('data', onData);
    // Straight to stderr: the connection's own log would not leave before the exit.
    process.stderr.write(`leak-lens: cannot read the client's messages (${problem}); exiting so the client can restart the server\n`);
    process.exit(1);
  };
  process.stdin.on('data', onData);
  return connection;
}

export function onUncaughtError(report: (what: string, error: unknown) => void): void {
  process.on('uncaughtException', (e) => report('uncaught exception', e));
  process.on('unhandledRejection', (e) => report('unhandled promise rejection', e));
}

/** Nothing to prepare in Node: `initParser` loads the native binding, or the wasm one beside it. */
export function prepareParser(_options: InitializationOptions): void {}

export function workspaceFiles(connection: Connection, options: InitializationOptions): WorkspaceFiles {
  return new DiskFiles(options.workspaceFiles ? new ClientFiles(connection) : undefined);
}

/**
 * The location of a document or folder: its path for a `file:` URI, the URI itself for a file
 * system the editor has and the server has not (`vscode-vfs://github/…` for a virtual workspace);
 * none for a document that lives nowhere (`untitled:`).
 */
export function uriToPath(uri: string): string | undefined {
  try {
    if (uri.startsWith('file:')) return fileURLToPath(uri);
    return isUriLocation(uri) ? uri : undefined;
  } catch {
    return undefined;
  }
}

export function pathToUri(location: string): string {
  return isUriLocation(location) ? location : pathToFileURL(location).href;
}
