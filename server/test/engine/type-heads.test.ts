/**
 * The type a pointer or field names, under references and the wrappers that hold it
 * (`owners.ts` `typeHead`): what pairs a reclaim with the struct that owns the pointer.
 */
import * as assert from 'node:assert/strict';
import { typeHead } from '../../src/analysis/owners';

describe('type heads', () => {
  for (const [type, head] of [
    ['&mut Foo<T>', 'Foo'],
    ["&'a mut Foo", 'Foo'],
    ["&'static Config", 'Config'],
    ['*mut Foo', 'Foo'],
    ['*const *mut u8', 'u8'],
    ['Box<Foo>', 'Foo'],
    ['crate::a::Foo', 'Foo'],
    ['Option<NonNull<Node<T>>>', 'Node'],
    ['std::cell::Cell<*mut X>', 'X'],
    ['Vec<*mut T>', 'Vec'],
    ['Box<>', 'Box'],
  ] as const) {
    it(`reads \`${type}\` as \`${head}\``, () => assert.equal(typeHead(type), head));
  }

  it('peels 200,000 nested wrappers (`Rc<Rc<…<S>…>>`) down to the type inside', () => {
    const n = 200_000;
    assert.equal(typeHead(`${'Rc<'.repeat(n)}S${'>'.repeat(n)}`), 'S');
  });
});
