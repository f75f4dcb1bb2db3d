/**
 * What the reference-cycle analysis learns from one file, as plain data (cacheable, movable
 * between threads): the strong-reference edges of its type declarations, the `Drop` impls and
 * statements that clear a field. The cycles its functions close are sites (`rules/rc-cycle.ts`).
 */
import { Range } from '../../../../shared/src/findings';

/** One way a declared type holds another: through a strong `Rc`/`Arc`, or inline (by value, `Box`, `Vec`, …). */
export interface TypeEdge {
  /** The field (`next`, `0`, `Cons.1`), empty for what a type alias denotes. */
  field: string;
  /** The field declaration, where a finding about this edge goes. */
  range: Range;
  /** The named type reached (last path segment). */
  target: string;
  /** Through an `Rc`/`Arc` (which one), or held inline. */
  pointer?: 'Rc' | 'Arc';
  /** A `RefCell`/`Cell`/`Mutex`/… on the way: the slot can be written after the value is shared. */
  cell: boolean;
}

export interface TypeDecl {
  name: string;
  /** `type Name = …;`: its edges are what the alias denotes, followed through by the fields using it. */
  alias: boolean;
  range: Range;
  edges: TypeEdge[];
  /** Types it points at through `Weak`: a loop the author already broke. */
  weak: string[];
}

/** A field that code sets back to empty (`.take()`, `.clear()`, `= None`): the author breaks the links by hand. */
export interface FieldClear {
  field: string;
  /** Inside `impl Drop for T`: cleared when a `T` is dropped. */
  dropOf?: string;
  range: Range;
}

export interface CycleFacts {
  types: TypeDecl[];
  clears: FieldClear[];
  /** Fields through which the file's functions close cycles (kept where the file's sites are not: other shards' files). */
  closed: string[];
}

export function emptyCycleFacts(): CycleFacts {
  return { types: [], clears: [], closed: [] };
}
