/**
 * into-raw: `Box/Rc/Arc/CString/Weak::into_raw`, `Vec/String::into_raw_parts`, and the handle forms
 * `into_raw_fd/handle/socket`. Each raw pointer owns its allocation until it reaches the matching
 * `from_raw`; handing it to foreign code transfers that ownership.
 */
import { SyntaxNode } from '../../parsing/parser';
import { calleeLabel, enclosingFunction, execContext } from '../context';
import { declarationBefore, destinations } from '../flow';
import { familyFits, ownerQuestion, reclaimOf } from '../owners';
import { resolvePath } from '../paths';
import { FAMILIES } from '../reclaims';
import { Site } from '../site';
import { SourceFile } from '../source';

const HANDLE_METHODS = new Set(['into_raw_fd', 'into_raw_handle', 'into_raw_socket']);

export function intoRawFromPath(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const f = call.childForFieldName('function')!;
  const resolved = resolvePath(f, file.uses);
  const name = resolved[resolved.length - 1];
  const owner = resolved[resolved.length - 2];
  if (HANDLE_METHODS.has(name)) return void out.push(handleSite(file, call, name));
  if (!owner || !FAMILIES.includes(owner)) return;
  const family = name === 'into_raw_parts' ? `${owner}::parts` : owner;
  if (name === 'into_raw_parts' && owner !== 'Vec' && owner !== 'String') return;
  if (name === 'into_raw' && family.endsWith('::parts')) return;
  out.push(site(file, call, call, `\`${owner}::${name}\``, family));
}

export function intoRawFromMethod(file: SourceFile, call: SyntaxNode, out: Site[]): void {
  const f = call.childForFieldName('function')!;
  const name = f.childForFieldName('field')!.text;
  if (HANDLE_METHODS.has(name)) return void out.push(handleSite(file, call, name));
  if ((call.childForFieldName('arguments')?.namedChildCount ?? 0) > 0) return;
  if (name === 'into_raw_parts') {
    // `Vec` and `String` both have it; either one's `from_raw_parts` takes the parts back.
    const s = site(file, call, f.childForFieldName('field')!, '`.into_raw_parts()`', '*parts');
    s.unlessUserMethod = 'into_raw_parts';
    return void out.push(s);
  }
  const receiver = f.childForFieldName('value')?.text.replace(/\s+/g, '') ?? '';
  // Only `CString` has a std method `into_raw`; other receivers are user types unless evidently CString.
  const evident = /CString::|c_string|cstring|\.into_c_string\(\)/i.test(receiver) || isCString(f.childForFieldName('value'));
  const s = site(file, call, f.childForFieldName('field')!, '`.into_raw()`', evident ? 'CString' : '*');
  if (!evident) s.unlessUserMethod = 'into_raw';
  out.push(s);
}

/** `c` in `let c = CString::new(name)?; c.into_raw()`, or `c: CString`. */
function isCString(receiver: SyntaxNode | null): boolean {
  if (receiver?.type !== 'identifier') return false;
  const fn = enclosingFunction(receiver);
  const decl = fn && declarationBefore(fn, receiver.text, receiver);
  const stated = decl?.childForFieldName('type') ?? decl?.childForFieldName('value');
  return !!stated && /^(std::ffi::|ffi::)?CString\b/.test(stated.text);
}

function handleSite(file: SourceFile, call: SyntaxNode, name: string): Site {
  return {
    rule: 'into-raw',
    range: file.range(call),
    message: `\`${name}\` hands the OS handle out as a raw value`,
    decision: { type: 'final', kind: 'ownership-transfer' },
    reasons: [`\`${name}\` gives up ownership of the handle; whoever receives it must close it`, 'no memory is leaked by the call itself'],
    related: [],
  };
}

function site(file: SourceFile, call: SyntaxNode, anchor: SyntaxNode, what: string, family: string): Site {
  const range = anchor === call ? file.range(call) : { start: file.range(anchor).start, end: file.range(call).end };
  const base = { rule: 'into-raw' as const, range, message: `${what} hands out a raw pointer that owns its allocation`, related: [] as Site['related'] };
  const ctx = execContext(call);
  const dests = destinations(file, call);
  const fromRaw = family === '*' ? 'from_raw' : family === '*parts' ? 'from_raw_parts' : family.endsWith('::parts') ? `${family.replace('::parts', '')}::from_raw_parts` : `${family}::from_raw`;

  for (const d of dests) {
    if (d.type !== 'passed') continue;
    const reclaim = reclaimOf(file, d.node);
    if (reclaim && familyFits(family, reclaim, true)) {
      return {
        ...base,
        decision: { type: 'final', kind: 'reclaimed' },
        reasons: [`the pointer is handed back to \`${calleeLabel(d.node)}\` at line ${d.node.startPosition.row + 1}`, 'ownership returns to a smart pointer that frees it'],
        related: [{ file: file.path, range: file.range(d.node), message: `reclaimed by \`${calleeLabel(d.node)}\`` }],
      };
    }
  }
  const discarded = dests.length > 0 && dests.every((d) => d.type === 'discarded' || d.type === 'unused');
  if (discarded) {
    return {
      ...base,
      decision: { type: 'final', kind: 'real-leak' },
      reasons: [`the raw pointer from ${what} is discarded at line ${dests[0].node.startPosition.row + 1}`, 'nothing can reclaim the allocation'],
    };
  }
  // A method call on the pointer (`p.cast()`, `Tagged::new(p).unwrap()`) may carry it on; only
  // plain local uses prove it never leaves.
  const escapes = dests.some((d) => (d.type === 'local' ? d.method : d.type !== 'unused' && d.type !== 'discarded'));
  if (!escapes) {
    return {
      ...base,
      decision: { type: 'final', kind: 'real-leak' },
      reasons: [
        `the pointer never leaves \`${ctx.fn?.name ?? 'its scope'}\` and nothing there hands it to \`${fromRaw}\``,
        ctx.repeat ? `inside ${ctx.repeat.label}: one allocation lost per iteration` : 'the allocation is lost when the pointer goes out of scope',
      ],
      related: ctx.repeat ? [{ file: file.path, range: file.range(ctx.repeat.node), message: 'repeats the leak' }] : [],
    };
  }
  return { ...base, decision: { type: 'owner', question: ownerQuestion(file, call, ctx, dests, family, fromRaw) }, reasons: [] };
}

