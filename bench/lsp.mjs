/**
 * Language-server measurements through the real protocol: the bundled server (`dist/server.js
 * --stdio`) in a child process, driven by a minimal JSON-RPC client. Each measurement starts its
 * own server so none inherits another's caches or memory.
 *
 * Anything the server does not do (yet) becomes `n/a (reason)` in the table, never a number.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { NotAvailable } from './stats.mjs';

const require = createRequire(import.meta.url);
const rpc = require('vscode-jsonrpc/node');

class TimeoutError extends Error {}

export class LspSession {
  /** Starts the server and connects; `startedAt` is taken just before the process is spawned. */
  static start(serverPath) {
    const startedAt = performance.now();
    const child = spawn(process.execPath, [...(process.env.LEAK_LENS_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean), serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    return new LspSession(child, startedAt);
  }

  constructor(child, startedAt) {
    this.child = child;
    this.startedAt = startedAt;
    this.stderr = '';
    this.listeners = new Set();
    this.progress = { begun: false, ended: false };
    child.stderr.on('data', (d) => (this.stderr += d));
    this.exited = new Promise((resolve) => child.on('exit', resolve));
    const connection = rpc.createMessageConnection(new rpc.StreamMessageReader(child.stdout), new rpc.StreamMessageWriter(child.stdin));
    this.connection = connection;
    connection.onNotification('textDocument/publishDiagnostics', (params) => this.emit({ type: 'diagnostics', at: performance.now(), params }));
    connection.onNotification('$/progress', (params) => {
      const kind = params?.value?.kind;
      if (kind === 'begin') this.progress.begun = true;
      if (kind === 'end') this.progress.ended = true;
      this.emit({ type: 'progress', at: performance.now(), kind });
    });
    connection.onNotification(() => undefined);
    connection.onRequest('workspace/configuration', (params) => params.items.map(() => ({})));
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest(() => null);
    connection.listen();
  }

  emit(event) {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Resolves with the first event `match` accepts (registered before the triggering message is sent). */
  waitFor(match, timeoutMs, what) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new TimeoutError(`no ${what} within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      const listener = (event) => {
        if (!match(event)) return;
        clearTimeout(timer);
        this.listeners.delete(listener);
        resolve(event);
      };
      this.listeners.add(listener);
    });
  }

  async initialize(folders = []) {
    const workspaceFolders = folders.map((f, i) => ({ uri: pathToFileURL(f).href, name: `folder${i}` }));
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: workspaceFolders[0]?.uri ?? null,
      workspaceFolders: workspaceFolders.length ? workspaceFolders : null,
      capabilities: {
        workspace: { configuration: true },
        window: { workDoneProgress: true },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, synchronization: { didSave: false } },
      },
    });
    const at = performance.now();
    this.connection.sendNotification('initialized', {});
    return { result, at };
  }

  open(file, text, version = 1) {
    const uri = pathToFileURL(file).href;
    this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'rust', version, text } });
    return uri;
  }

  change(uri, version, range, text) {
    this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  diagnosticsFor(uri, version, timeoutMs) {
    return this.waitFor((e) => e.type === 'diagnostics' && e.params.uri === uri && e.params.version === version, timeoutMs, `publishDiagnostics for version ${version}`);
  }

  /** VmHWM: the peak resident set size of the server process, in bytes. */
  peakRss() {
    const status = fs.readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  }

  async stop() {
    try {
      await Promise.race([
        (async () => {
          await this.connection.sendRequest('shutdown');
          this.connection.sendNotification('exit');
        })(),
        new Promise((r) => setTimeout(r, 2000)),
      ]);
    } catch {
      // A server that cannot shut down cleanly is killed below.
    }
    const exited = await Promise.race([this.exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 2000))]);
    if (!exited) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

/** Runs `measure(session)` against a fresh server; a failure becomes `n/a (reason)`. */
async function withServer(serverPath, measure) {
  if (!fs.existsSync(serverPath)) return new NotAvailable('dist/server.js not built');
  const session = LspSession.start(serverPath);
  try {
    return await measure(session);
  } catch (e) {
    const reason = e instanceof TimeoutError ? `server sent ${e.message.replace(/^no /, 'no ')}` : `server failed: ${e.message.split('\n')[0]}`;
    return new NotAvailable(reason);
  } finally {
    await session.stop();
  }
}

/** Process start → `initialize` response, in ms. */
export function measureStartup(serverPath) {
  return withServer(serverPath, async (session) => {
    const { at } = await session.initialize();
    return at - session.startedAt;
  });
}

/**
 * `didOpen` → its publishDiagnostics while the background scan of `folder` is running: opened as
 * soon as the scan's work-done progress begins. Returns ms, or n/a when the scan had ended first
 * (the number would then not show what the target is about).
 */
export function measureFirstDiagnostics(serverPath, folder, file) {
  return withServer(serverPath, async (session) => {
    const begun = session.waitFor((e) => e.type === 'progress' && e.kind === 'begin', 30_000, 'work-done progress for the background scan');
    await session.initialize([folder]);
    await begun;
    const text = fs.readFileSync(file, 'utf8');
    const published = session.diagnosticsFor(pathToFileURL(file).href, 1, 60_000);
    const sent = performance.now();
    session.open(file, text, 1);
    const event = await published;
    if (session.progress.ended) return new NotAvailable('the background scan finished before the diagnostics arrived');
    return event.at - sent;
  });
}

/**
 * Peak RSS of the server after it has analyzed every folder: waits for the scan's progress to
 * end and then for the diagnostics to go quiet.
 */
export function measurePeakRss(serverPath, folders) {
  return withServer(serverPath, async (session) => {
    const ended = session.waitFor((e) => e.type === 'progress' && e.kind === 'end', 15 * 60_000, 'end of the background scan');
    await session.initialize(folders);
    await ended;
    await quiet(session, 1000, 60_000);
    const rss = session.peakRss();
    return rss === undefined ? new NotAvailable('/proc/<pid>/status has no VmHWM') : rss;
  });
}

/**
 * Single-character edits in `file` while `folder` is the workspace (after its background scan):
 * alternately types `x` at the end of a line and deletes it again, on lines spread evenly over the
 * file. Each edit waits for the diagnostics of its version. Returns the latencies in ms.
 */
export function measureIncremental(serverPath, folder, file, edits) {
  return withServer(serverPath, async (session) => {
    const ended = session.waitFor((e) => e.type === 'progress' && e.kind === 'end', 15 * 60_000, 'end of the background scan');
    await session.initialize(folder ? [folder] : []);
    if (folder) await ended;
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    let version = 1;
    const uri = session.open(file, text, version);
    await session.diagnosticsFor(uri, version, 60_000);
    const latencies = [];
    const pairs = Math.ceil(edits / 2);
    for (let i = 0; i < pairs; i++) {
      const line = Math.floor(((i + 0.5) * lines.length) / pairs);
      const end = lines[line].length;
      for (const [range, inserted] of [
        [{ start: { line, character: end }, end: { line, character: end } }, 'x'],
        [{ start: { line, character: end }, end: { line, character: end + 1 } }, ''],
      ]) {
        version++;
        const published = session.diagnosticsFor(uri, version, 60_000);
        const sent = performance.now();
        session.change(uri, version, range, inserted);
        latencies.push((await published).at - sent);
      }
    }
    return latencies;
  });
}

/**
 * Keystrokes in a document with `n` findings and no workspace: `shape` `statements` is one function
 * of `n` leaking statements, `functions` is `n` one-statement functions. Edits as in
 * `measureIncremental` (type `x` at the end of a line, delete it), back to back, or typed
 * `cadenceMs` apart (see `typeAndDelete`). Returns the latencies in ms.
 */
export function measureDenseKeystrokes(serverPath, shape, n, edits, cadenceMs = 0, { refused = false } = {}) {
  return withServer(serverPath, async (session) => {
    await session.initialize([]);
    const text = denseText(shape, n);
    const uri = session.open(path.join(os.tmpdir(), `leak-lens-bench-${shape}-${n}.rs`), text, 1);
    const { params } = await session.diagnosticsFor(uri, 1, 10 * 60_000);
    // A refused document's keystrokes time only its refusal, an analysed one's its analysis: each row asks for one.
    const wasRefused = params.diagnostics.length === 1 && /did not analyse/.test(params.diagnostics[0].message);
    if (wasRefused && !refused) return new NotAvailable(`refused: ${params.diagnostics[0].message}`);
    if (!wasRefused && refused) return new NotAvailable(`analysed, not refused: ${params.diagnostics.length} diagnostics`);
    const latencies = [];
    await typeAndDelete(session, uri, text, edits, (event, sent) => latencies.push(event.at - sent), cadenceMs);
    return latencies;
  });
}

/** A dense document of `n` leak statements: in one function (`statements`), or one per function. */
export function denseText(shape, n) {
  const leak = '    Box::leak(Box::new(1));\n';
  return shape === 'statements' ? `fn main() {\n${leak.repeat(n)}}\n` : Array.from({ length: n }, (_, i) => `fn f${i}() {\n${leak}}\n`).join('');
}

/**
 * The dense documents' edits, after version 1: alternately types `x` at the end of a line and
 * deletes it, on lines spread over the text but its first and last two; each waits for the
 * diagnostics of its version, handed to `each` with the time the change was sent. With
 * `cadenceMs`, the next edit goes `cadenceMs` after the last was sent (a typist's pace), or as soon
 * as its diagnostics came if they came later; without, right after them (back to back: whatever
 * the server does after publishing, such as freeing memory, delays the next edit).
 */
export async function typeAndDelete(session, uri, text, edits, each, cadenceMs = 0) {
  const lines = text.split('\n');
  let version = 1;
  for (let i = 0; i < Math.ceil(edits / 2); i++) {
    const line = 1 + Math.floor(((i + 0.5) * (lines.length - 3)) / Math.ceil(edits / 2));
    const end = lines[line].length;
    for (const [range, inserted] of [
      [{ start: { line, character: end }, end: { line, character: end } }, 'x'],
      [{ start: { line, character: end }, end: { line, character: end + 1 } }, ''],
    ]) {
      version++;
      const published = session.diagnosticsFor(uri, version, 10 * 60_000);
      const sent = performance.now();
      session.change(uri, version, range, inserted);
      each(await published, sent);
      const wait = sent + cadenceMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }
}

/** Resolves once no diagnostics have arrived for `quietMs` (or after `maxMs`). */
async function quiet(session, quietMs, maxMs) {
  const deadline = performance.now() + maxMs;
  let last = performance.now();
  const listener = (e) => {
    if (e.type === 'diagnostics') last = e.at;
  };
  session.listeners.add(listener);
  try {
    while (performance.now() - last < quietMs && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  } finally {
    session.listeners.delete(listener);
  }
}
