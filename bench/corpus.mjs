/**
 * The benchmark corpus: real, mature Rust code from Debian packages (see ../shared/corpus.md).
 * The benchmark installs nothing; when the corpus is missing it says how to get it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const STD = '/usr/lib/rustlib/src/rust/library';
export const CRATES = '/usr/share/cargo/registry';
/** The file the as-you-type measurement edits: the std file the issue names (about 120 KB). */
export const EDITED_FILE = path.join(STD, 'core/src/iter/traits/iterator.rs');

export const INSTALL_HELP = `The benchmark corpus is missing. It is Rust source shipped by Debian packages; as root:

  apt-get update
  apt-get install -y rust-src \\
    librust-tokio-dev librust-hyper-dev librust-regex-dev \\
    librust-crossbeam-epoch-dev librust-once-cell-dev librust-lazy-static-dev

rust-src puts the standard library (1,256 files, 22 MB) in ${STD}; the crates (about 2,900
files, 33 MB, pulled in as dependencies) land in ${CRATES}/<crate>-<version>/.`;

/** Names what is missing, or returns undefined when the whole corpus is present. */
export function missingCorpus() {
  const missing = [STD, CRATES, EDITED_FILE].filter((p) => !fs.existsSync(p));
  if (missing.length > 0) return missing;
  // An empty registry directory (packages removed) is as good as missing.
  if (fs.readdirSync(CRATES).length === 0) return [CRATES];
  return undefined;
}
