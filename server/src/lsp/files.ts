/**
 * Where the language server gets what the editor has not sent it as open documents: the `.rs`
 * files of a workspace folder, their text, and the folder's `leak-lens.toml`.
 *
 * A file or folder is known by its *location*: its file-system path when it is on disk, else its
 * URI (`uriToPath` in host.ts). On disk the server reads for itself (disk-files.ts); a folder that
 * is not on its disk — a virtual workspace, or every folder when the server runs in a browser — is
 * listed and read by the client (`ClientFiles`), which has the editor's file systems.
 */
import { Connection } from 'vscode-languageserver/node';
import { FileError } from '../../../shared/src/findings';
import {
  FIND_FILES_REQUEST,
  FindFilesParams,
  FindFilesResult,
  READ_FILE_REQUEST,
  ReadFileParams,
  ReadFileResult,
} from '../../../shared/src/protocol';
import { CONFIG_FILE_NAME, LoadedConfig, parseConfig } from '../config/config-file';
import { DEFAULT_MAX_FILE_SIZE } from '../config/read-source';

export type ReadResult = ReadFileResult;

/** A location that is a URI (`scheme://…`), not a path: a file or folder that is not on disk. */
export function isUriLocation(location: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]+:\/\//.test(location);
}

/** A `leak-lens.toml` is a few lines; anything larger is not one. */
const MAX_CONFIG_SIZE = 1024 * 1024;

export interface Listing {
  /** Locations of the folder's `.rs` files that are not excluded, sorted. */
  files: string[];
  errors: FileError[];
}

export interface WorkspaceFiles {
  /** The folder's Rust files; `isExcluded` applies `leakLens.exclude` and `leak-lens.toml`. */
  list(root: string, exclude: string[], isExcluded: (location: string) => boolean): Promise<Listing>;
  read(location: string): Promise<ReadResult>;
  /** The text without waiting, when there is a way (the call-site search of a closed file). */
  readNow(location: string): ReadResult | undefined;
  /** A file is gone: anything kept of it can go too. */
  forget(location: string): void;
  /** A small file (`Cargo.toml`, `clippy.toml`) read at once, undefined if it cannot be. */
  readManifest(location: string): string | undefined;
  loadConfig(root: string): Promise<LoadedConfig>;
}

/** The client lists and reads the files (shared/src/protocol.ts: `leakLens/findFiles`, `leakLens/readFile`). */
export class ClientFiles implements WorkspaceFiles {
  /**
   * The text of every closed file read so far: the call-site search reads closed files
   * synchronously, and a round trip to the client cannot be. Costs the workspace's source text in
   * memory (the disk reader keeps nothing).
   */
  private readonly texts = new Map<string, string>();

  constructor(private readonly connection: Connection) {}

  async list(root: string, _exclude: string[], isExcluded: (location: string) => boolean): Promise<Listing> {
    try {
      const result = await this.connection.sendRequest<FindFilesResult>(FIND_FILES_REQUEST, { folder: root } satisfies FindFilesParams);
      const uris = Array.isArray(result?.uris) ? result.uris.filter((u): u is string => typeof u === 'string') : [];
      return { files: uris.filter((uri) => !isExcluded(uri)).sort(), errors: [] };
    } catch (e) {
      return { files: [], errors: [{ file: root, message: `the editor could not list the folder's files: ${(e as Error).message}` }] };
    }
  }

  async read(location: string): Promise<ReadResult> {
    const result = await this.request(location, DEFAULT_MAX_FILE_SIZE);
    if (result.ok) this.texts.set(location, result.text);
    else this.texts.delete(location);
    return result;
  }

  readNow(location: string): ReadResult | undefined {
    const text = this.texts.get(location);
    return text === undefined ? undefined : { ok: true, text };
  }

  forget(location: string): void {
    this.texts.delete(location);
  }

  /** Not through the client (a synchronous read cannot wait for it): the crate's toolchain stays unknown. */
  readManifest(_location: string): string | undefined {
    return undefined;
  }

  async loadConfig(root: string): Promise<LoadedConfig> {
    const file = `${root}/${CONFIG_FILE_NAME}`;
    const read = await this.request(file, MAX_CONFIG_SIZE);
    if (!read.ok) {
      // An empty config is the defaults.
      const defaults = parseConfig('', file);
      if (read.missing) return defaults;
      return { ...defaults, errors: [{ file, message: `cannot read config: ${read.message}` }], path: file };
    }
    return { ...parseConfig(read.text, file), path: file };
  }

  private async request(location: string, maxBytes: number): Promise<ReadFileResult> {
    let result: ReadFileResult;
    try {
      result = await this.connection.sendRequest<ReadFileResult>(READ_FILE_REQUEST, { uri: location, maxBytes } satisfies ReadFileParams);
    } catch (e) {
      return { ok: false, message: `the editor could not read it: ${(e as Error).message}` };
    }
    if (!result || typeof result !== 'object' || (result.ok && typeof result.text !== 'string')) {
      return { ok: false, message: 'the editor sent no text for it' };
    }
    return result;
  }
}
