/**
 * The client's side of `leakLens/findFiles` and `leakLens/readFile` (shared/src/protocol.ts): the
 * language server lists and reads the workspace folders it cannot reach itself through the editor's
 * file systems (a virtual workspace such as GitHub Repositories; every folder in the browser).
 */
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  FIND_FILES_REQUEST,
  FindFilesParams,
  FindFilesResult,
  READ_FILE_REQUEST,
  ReadFileParams,
  ReadFileResult,
  SKIPPED_DIRS,
} from '../../shared/src/protocol';
import { decodeSource, formatSize } from '../../server/src/config/read-source';

export function serveWorkspaceFiles(client: BaseLanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    client.onRequest(FIND_FILES_REQUEST, findFiles),
    client.onRequest(READ_FILE_REQUEST, readFile),
  );
}

/**
 * A walk with `workspace.fs.readDirectory`, not `workspace.findFiles`: the latter needs a search
 * provider for the folder's scheme, which a web extension host may not have (code-server's has
 * none for `vscode-remote:` and waits for one forever).
 */
async function findFiles(params: FindFilesParams, token: vscode.CancellationToken): Promise<FindFilesResult> {
  const skipped = new Set(SKIPPED_DIRS);
  const uris: string[] = [];
  const pending = [vscode.Uri.parse(params.folder)];
  while (pending.length > 0 && !token.isCancellationRequested) {
    const dir = pending.pop()!;
    let entries: [string, vscode.FileType][];
    try {
      entries = await vscode.workspace.fs.readDirectory(dir);
    } catch {
      continue; // unreadable: what a walk on disk skips too
    }
    for (const [name, type] of entries) {
      // Symbolic links are not followed: a link loop would never end.
      if (type & vscode.FileType.SymbolicLink) continue;
      const child = vscode.Uri.joinPath(dir, name);
      if (type & vscode.FileType.Directory) {
        if (!skipped.has(name)) pending.push(child);
      } else if (name.endsWith('.rs')) {
        uris.push(child.toString());
      }
    }
  }
  return { uris };
}

async function readFile(params: ReadFileParams): Promise<ReadFileResult> {
  const uri = vscode.Uri.parse(params.uri);
  try {
    // The size first, so that a huge generated file is never pulled in.
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory) return { ok: false, message: 'cannot read: is a directory' };
    if (stat.size > params.maxBytes) {
      return { ok: false, message: `file is ${formatSize(stat.size)}, larger than the ${formatSize(params.maxBytes)} limit; skipped` };
    }
    return decodeSource(await vscode.workspace.fs.readFile(uri));
  } catch (e) {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return { ok: false, message: 'no such file or directory', missing: true };
    return { ok: false, message: `cannot read: ${(e as Error).message}` };
  }
}
