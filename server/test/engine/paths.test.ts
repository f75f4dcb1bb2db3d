/**
 * `use` resolution: the engine must recognise std's leaking APIs under every name `use` can give
 * them, and nothing else under those names.
 */
import * as assert from 'node:assert/strict';
import { collectUses, pathMatches, resolvePath } from '../../src/analysis/paths';
import { parseRust } from '../../src/parsing/parser';

function resolveCallee(source: string): string[] {
  const root = parseRust(source).rootNode;
  const call = root.descendantsOfType('call_expression').pop()!;
  return resolvePath(call.childForFieldName('function')!, collectUses(root.descendantsOfType('use_declaration')));
}

describe('use resolution', () => {
  it('resolves a function imported by name', () => {
    assert.deepEqual(resolveCallee('use std::mem::forget;\nfn f(x: u8) { forget(x) }'), ['std', 'mem', 'forget']);
  });

  it('resolves a module imported with self in a use list, and an alias', () => {
    assert.deepEqual(resolveCallee('use std::mem::{self, forget as f};\nfn g(x: u8) { mem::forget(x) }'), ['std', 'mem', 'forget']);
    assert.deepEqual(resolveCallee('use std::mem::{self, forget as f};\nfn g(x: u8) { f(x) }'), ['std', 'mem', 'forget']);
  });

  it('treats core:: and alloc:: paths as std::', () => {
    assert.deepEqual(resolveCallee('fn g(x: u8) { core::mem::forget(x) }'), ['std', 'mem', 'forget']);
    assert.deepEqual(resolveCallee('use alloc::boxed::Box;\nfn g() { Box::leak(b) }'), ['std', 'boxed', 'Box', 'leak']);
  });

  it('drops generic arguments from a path', () => {
    assert.deepEqual(resolveCallee('fn g() { Vec::<u8>::leak(v) }'), ['Vec', 'leak']);
  });

  it('matches a bare name only when it was imported from the expected module', () => {
    assert.equal(pathMatches(['std', 'mem', 'forget'], ['forget'], ['std', 'mem']), true);
    assert.equal(pathMatches(['mem', 'forget'], ['forget'], ['std', 'mem']), true);
    assert.equal(pathMatches(['forget'], ['forget'], ['std', 'mem']), false);
    assert.equal(pathMatches(['my_crate', 'forget'], ['forget'], ['std', 'mem']), false);
  });
});
