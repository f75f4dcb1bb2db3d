/**
 * A workspace that only the client can read (none of it is on the server's disk), and the client's
 * answers to `leakLens/findFiles` and `leakLens/readFile` for it, for the tests of a server that
 * reads its folders through the client (the web worker, a virtual workspace).
 */
import { FIND_FILES_REQUEST, FindFilesParams, READ_FILE_REQUEST, ReadFileParams, ReadFileResult } from '../../../shared/src/protocol';

/** Relative path → text. `leak-lens.toml` denies box-leak, so its findings are errors. */
export const FILES: Record<string, string> = {
  'leak-lens.toml': '[rules]\nbox-leak = "deny"\n',
  'src/main.rs': [
    'mod names;',
    '',
    'fn main() {',
    '    for line in std::io::stdin().lines() {',
    '        let name = names::intern(line.unwrap());',
    '        println!("{name}");',
    '    }',
    '}',
    '',
  ].join('\n'),
  'src/names.rs': ["pub fn intern(text: String) -> &'static str {", '    Box::leak(text.into_boxed_str())', '}', ''].join('\n'),
  'src/worker.rs': [
    'pub fn run(lines: Vec<String>) {',
    '    for line in lines {',
    "        let kept: &'static mut String = Box::leak(Box::new(line));",
    "        kept.push('!');",
    '    }',
    '}',
    '',
  ].join('\n'),
};

/** The client's answer to a request about the folder `folder` holding FILES; undefined for other requests. */
export function answerFileRequest(folder: string, method: string, params: unknown): unknown {
  if (method === FIND_FILES_REQUEST) {
    if ((params as FindFilesParams).folder !== folder) return { uris: [] };
    return { uris: Object.keys(FILES).filter((f) => f.endsWith('.rs')).map((f) => `${folder}/${f}`) };
  }
  if (method === READ_FILE_REQUEST) {
    const { uri } = params as ReadFileParams;
    const text = uri.startsWith(`${folder}/`) ? FILES[uri.slice(folder.length + 1)] : undefined;
    return (text === undefined ? { ok: false, message: 'no such file or directory', missing: true } : { ok: true, text }) satisfies ReadFileResult;
  }
  return undefined;
}
