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

async function findFiles(params: FindFilesParams, token: vscode.CancellationToken): Promise<FindFilesResult> {
  const folder = vscode.Uri.parse(params.folder);
  const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.rs'), `**/{${SKIPPED_DIRS.join(',')}}/**`, undefined, token);
  return { uris: uris.map((uri) => uri.toString()) };
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
