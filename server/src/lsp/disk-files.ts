/**
 * The server's own reads, for folders on its disk: the CLI's file walker (`.gitignore`, skipped
 * directories, excludes) and reader. Folders elsewhere (a URI location) go to the client when it
 * offers to read them, else they are reported as unreadable.
 */
import * as fs from 'node:fs';
import { DEFAULT_MAX_FILE_SIZE, discoverFiles, loadConfig, parseConfig, readSource } from '../config';
import { readSmallFile } from '../manifest/cargo';
import { Listing, ReadResult, WorkspaceFiles, isUriLocation } from './files';
import { LARGER_FILES_HINT } from './input-limits';

export class DiskFiles implements WorkspaceFiles {
  constructor(private readonly remote: WorkspaceFiles | undefined) {}

  async list(root: string, exclude: string[], isExcluded: (location: string) => boolean): Promise<Listing> {
    if (isUriLocation(root)) {
      if (this.remote) return this.remote.list(root, exclude, isExcluded);
      return { files: [], errors: [{ file: root, message: 'this folder is not on disk, and the editor does not offer to read it' }] };
    }
    const { files, errors, bytes } = discoverFiles([root], { root, exclude });
    // Documents are named by URIs of UTF-8 paths, here as in the editor: a name that is not valid
    // UTF-8 has none, so such a file is said to be left out rather than read under a wrong name.
    const unnamed = files.filter((f) => bytes.has(f)).map((file) => ({ file, message: 'the name is not valid UTF-8; the language server names files by UTF-8 paths and leaves this one out (the CLI analyzes it)' }));
    return { files: files.filter((f) => !bytes.has(f)), errors: [...errors, ...unnamed] };
  }

  async read(location: string): Promise<ReadResult> {
    if (!isUriLocation(location)) return readFromDisk(location);
    return this.remote ? this.remote.read(location) : { ok: false, message: 'not on disk, and the editor does not offer to read it' };
  }

  readNow(location: string): ReadResult | undefined {
    return isUriLocation(location) ? this.remote?.readNow(location) : readFromDisk(location);
  }

  forget(location: string): void {
    this.remote?.forget(location);
  }

  readManifest(location: string): string | undefined {
    return isUriLocation(location) ? this.remote?.readManifest(location) : readSmallFile(location);
  }

  async loadConfig(root: string) {
    if (!isUriLocation(root)) return loadConfig(root);
    return this.remote ? this.remote.loadConfig(root) : parseConfig('', root);
  }
}

/** A file gone since it was listed says so: that is no fault of the file's to show the user. */
function readFromDisk(location: string): ReadResult {
  const read = readSource(location, DEFAULT_MAX_FILE_SIZE, LARGER_FILES_HINT);
  return read.ok || fs.existsSync(location) ? read : { ...read, missing: true };
}
