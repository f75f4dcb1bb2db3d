/**
 * The rule catalog: the one place a rule's title, explanation, runtime behaviour and fixes are
 * written. Hovers, SARIF rule metadata, `docs/rules/*.md` and the README table are all generated
 * from it, so they cannot drift apart.
 */
import { Kind, RuleId, RULE_IDS, Severity } from './findings';

export const DOCS_BASE_URL = 'https://github.com/leak-lens/leak-lens/blob/main/docs/rules/';

export interface FixDescription {
  title: string;
  /** Short Rust snippet showing the rewrite. */
  example?: string;
}

export interface RuleInfo {
  id: RuleId;
  title: string;
  /** One sentence; SARIF `shortDescription`. */
  summary: string;
  /** Markdown paragraphs: what the pattern does and when it is a problem. */
  explanation: string;
  /** What valgrind and Miri say about the memory at run time. */
  runtime: string;
  fixes: FixDescription[];
  /** std documentation of the API the rule is about. */
  stdDocs: string;
  /** Severity regardless of kind (rules about undefined behaviour rather than lifetime). */
  fixedSeverity?: Severity;
}

const KIND_SEVERITY: Record<Kind, Severity> = {
  'real-leak': 'warning',
  'intentional-static': 'information',
  'possible-leak': 'information',
  'ownership-transfer': 'hint',
  reclaimed: 'hint',
};

export const KIND_TITLES: Record<Kind, string> = {
  'real-leak': 'real leak',
  'intentional-static': 'intentional static',
  'possible-leak': 'possible leak',
  reclaimed: 'reclaimed',
  'ownership-transfer': 'ownership transfer',
};

export const KIND_EXPLANATIONS: Record<Kind, string> = {
  'real-leak':
    'The memory becomes unreachable and is never freed. valgrind reports it as "definitely lost"; repeated, it grows without bound.',
  'intentional-static':
    'The memory is deliberately kept alive for the rest of the program and stays reachable. valgrind reports it as "still reachable"; Miri does not report memory reachable from a global.',
  'possible-leak':
    'The types allow the memory to be kept alive by a cycle of strong references, but no code seen closes one. It leaks only on runs that close the cycle; valgrind then reports it as "definitely lost".',
  reclaimed: 'The memory is given back (`from_raw`, `dealloc`), so nothing leaks; shown as a hint so the hover can explain the pairing.',
  'ownership-transfer':
    'Ownership of the memory or handle moves to a receiver that can free it: foreign code that hands it back to a free or destroy callback defined in Rust, an owning API such as `Vec::from_raw_parts`, the caller of an `into_raw`-style method, a raw pointer that keeps the reference count.',
};

export const RULES: Record<RuleId, RuleInfo> = {
  'box-leak': {
    id: 'box-leak',
    title: 'Box::leak and friends',
    summary: '`Box::leak`, `Vec::leak` or `String::leak` turns owned memory into a `&\'static mut` reference that is never freed.',
    explanation:
      '`Box::leak` consumes the box and returns a `&\'static mut T`; the allocation is never freed. Done once to build a value that lives for the whole program (a configuration stored in a `OnceLock`), it is an *intentional static*. Done in a loop, per request, or in a thread whose reference dies with it, it is a *real leak*: each call loses another allocation. Stored into a struct\'s field, or returned from a constructor (`new`, `default`, `from`, a trait method), it leaks once per value built, unless that value itself lives in a static.',
    runtime:
      'Intentional: valgrind "still reachable" while a static or `main` holds the reference; Miri ignores memory reachable from a global. Real: valgrind "definitely lost"; Miri reports "memory leaked" unless run with `-Zmiri-ignore-leaks`.',
    fixes: [
      { title: 'Keep the value owned instead of leaking it', example: 'let config = Box::new(AppConfig::load());\nuse_config(&config); // dropped at end of scope' },
      { title: 'Hoist the leak out of the loop into one static', example: 'static CONFIG: OnceLock<AppConfig> = OnceLock::new();\nlet config = CONFIG.get_or_init(AppConfig::load);' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/boxed/struct.Box.html#method.leak',
  },
  'into-raw': {
    id: 'into-raw',
    title: 'into_raw without from_raw',
    summary: '`Box/Rc/Arc/CString/Weak::into_raw` hands out a raw pointer that owns the allocation until it is given back to `from_raw`.',
    explanation:
      '`into_raw` gives up the smart pointer and returns a raw pointer that still owns the value (or, for `Rc`/`Arc`, one reference count). Unless the pointer is eventually handed back to the matching `from_raw`, the allocation is lost; foreign code cannot free it (it does not use Rust\'s allocator), so a pointer given to C comes back only through a free or destroy callback defined in Rust. Leak Lens follows each pointer to its owner — a local, a field of a named type (and that type\'s `Drop`), a static, a parameter of a workspace function, foreign code, the callers — and pairs it with the `from_raw` that takes that owner\'s pointer back.',
    runtime:
      'Unpaired: valgrind "definitely lost" once the pointer is gone; Miri reports "memory leaked". Paired: nothing to report.',
    fixes: [
      { title: 'Give the pointer back with from_raw when done', example: 'let raw = Box::into_raw(b);\n// …\ndrop(unsafe { Box::from_raw(raw) });' },
      { title: 'Keep the Box and pass `&mut *b` or `Box::as_mut_ptr` where a pointer is needed', example: 'let mut b = Box::new(v);\nlet p: *mut T = &mut *b; // b still owns the value' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/boxed/struct.Box.html#method.into_raw',
  },
  'mem-forget': {
    id: 'mem-forget',
    title: 'mem::forget of an owning value',
    summary: '`std::mem::forget` skips the destructor: whatever the value owns (heap memory, a file, a lock) is never released.',
    explanation:
      '`mem::forget` takes ownership of a value and does not run its destructor. For a value that owns memory or a resource this leaks it; for a value with no destructor (a `Copy` value, a reference) it does nothing at all. Forgetting a value whose parts were first moved out (its raw pointer, length and capacity handed to `from_raw_parts`) or that was rebuilt from a raw pointer only to borrow it is an ownership transfer, not a leak.',
    runtime: 'valgrind "definitely lost" for the forgotten heap memory; Miri reports "memory leaked".',
    fixes: [
      { title: 'Wrap the value in ManuallyDrop to make the skipped destructor explicit', example: 'let v = std::mem::ManuallyDrop::new(v);' },
      { title: 'Hand ownership out explicitly with into_raw', example: 'let raw = Box::into_raw(b); // reclaim with Box::from_raw' },
      { title: 'Let the value drop normally', example: 'drop(v);' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/mem/fn.forget.html',
  },
  'manually-drop': {
    id: 'manually-drop',
    title: 'ManuallyDrop never dropped',
    summary: '`ManuallyDrop::new` without a matching `ManuallyDrop::drop`, `into_inner` or `take` leaks the wrapped value.',
    explanation:
      '`ManuallyDrop<T>` suppresses the destructor of `T`. Someone must later call `ManuallyDrop::drop`, `ManuallyDrop::into_inner` or `ManuallyDrop::take`, usually in a `Drop` impl of the struct that holds it. Wrapping a value rebuilt from a raw pointer (`ManuallyDrop::new(Arc::from_raw(p))`, as waker vtables do) borrows the pointer\'s ownership without consuming it: no leak.',
    runtime: 'Never dropped: valgrind "definitely lost"; Miri reports "memory leaked".',
    fixes: [
      { title: 'Drop it explicitly when done', example: 'unsafe { ManuallyDrop::drop(&mut slot) };' },
      { title: 'Take the value back out with into_inner', example: 'let value = ManuallyDrop::into_inner(slot);' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/mem/struct.ManuallyDrop.html',
  },
  'raw-alloc': {
    id: 'raw-alloc',
    title: 'alloc without dealloc',
    summary: '`std::alloc::alloc/alloc_zeroed/realloc` returns memory that must be freed with `dealloc` and the same layout.',
    explanation:
      'The raw allocator API is C\'s `malloc`: the pointer must be passed to `std::alloc::dealloc` with the same `Layout`, or handed to an owner that will (`Box::from_raw`, `Vec::from_raw_parts`, a struct whose `Drop` deallocates). A pointer that is neither freed nor escapes the function is lost when it returns.',
    runtime: 'Not freed: valgrind "definitely lost"; Miri reports "memory leaked".',
    fixes: [
      { title: 'Deallocate with the same layout', example: 'unsafe { std::alloc::dealloc(ptr, layout) };' },
      { title: 'Use a Box or Vec instead of raw allocation', example: 'let buffer = vec![0u8; 1024].into_boxed_slice();' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/alloc/fn.alloc.html',
  },
  'static-mut': {
    id: 'static-mut',
    title: 'static mut and references to it',
    summary: '`static mut` is a global that lives forever and any reference to it is undefined-behaviour-prone; edition 2024 denies such references (`static_mut_refs`).',
    explanation:
      'A `static mut` is an intentional static: it lives for the whole program. Every access is `unsafe` because nothing stops two threads, or two references, from aliasing it mutably. Taking a reference (`&X`, `&mut X`, or a method call that borrows `X`) is undefined behaviour as soon as another reference is live; rustc\'s `static_mut_refs` lint warns about it and edition 2024 makes it deny-by-default. Use `&raw const X`/`&raw mut X` if a pointer is really needed.',
    runtime: 'The static itself is "still reachable"; the danger is aliasing, which Miri reports as undefined behaviour.',
    fixes: [
      { title: 'Replace with std::sync::LazyLock<Mutex<T>> or OnceLock<T>', example: 'static VALUE: LazyLock<Mutex<Option<String>>> = LazyLock::new(|| Mutex::new(None));' },
      { title: 'Replace a counter or flag with an atomic', example: 'static COUNTER: AtomicUsize = AtomicUsize::new(0);\nCOUNTER.fetch_add(1, Ordering::Relaxed);' },
    ],
    stdDocs: 'https://doc.rust-lang.org/reference/items/static-items.html#mutable-statics',
    fixedSeverity: 'warning',
  },
  'once-static-mut': {
    id: 'once-static-mut',
    title: 'Once::call_once initialising a static mut',
    summary: 'The `Once::call_once` + `static mut` pattern predates `OnceLock`, which does the same safely.',
    explanation:
      'Initialising a `static mut` inside `Once::call_once` makes the write happen once, but every later read still needs `unsafe` and a reference to a `static mut`. `std::sync::OnceLock` (Rust 1.70) stores the value itself and hands out `&T` safely.',
    runtime: 'The value is "still reachable" for the life of the program: an intentional static.',
    fixes: [
      { title: 'Replace Once + static mut with OnceLock', example: 'static VALUE: OnceLock<String> = OnceLock::new();\nlet value = VALUE.get_or_init(|| "Hello, world!".to_string());' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/sync/struct.OnceLock.html',
  },
  'lazy-global': {
    id: 'lazy-global',
    title: 'Lazily initialised global',
    summary: '`OnceCell`/`OnceLock`/`Lazy`/`LazyLock`/`lazy_static!`/`thread_local!` globals keep their value alive for the whole program (or thread).',
    explanation:
      'A lazily initialised global is the safe way to keep a value for the life of the program: an intentional static. Since Rust 1.70/1.80 the standard library has `OnceLock` and `LazyLock`, which replace `once_cell::sync::{OnceCell, Lazy}` and `lazy_static!`. A `Lazy<Mutex<T>>` is a global singleton: every access takes the lock.',
    runtime: 'valgrind "still reachable" (never freed, still pointed to at exit); Miri does not report memory reachable from a global.',
    fixes: [
      { title: 'Use std::sync::LazyLock / OnceLock instead of once_cell or lazy_static', example: 'use std::sync::LazyLock;\nstatic CONFIG: LazyLock<String> = LazyLock::new(|| "Config data".to_string());' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/sync/struct.LazyLock.html',
  },
  'rc-cycle': {
    id: 'rc-cycle',
    title: 'Rc/Arc reference cycle',
    summary: 'Strong `Rc`/`Arc` pointers that point back (a child to its parent, two nodes at each other, a value or a closure stored inside the `Rc` it holds) form a cycle whose count never reaches zero.',
    explanation:
      'Reference counting frees a value when its last strong pointer goes away. If two values hold strong pointers to each other, a child holds a strong pointer back to its parent, a value is stored inside itself, or a closure kept in an object captured that object\'s `Rc`, no count on the cycle reaches zero and all of it leaks: the one leak safe Rust writes without calling a leak API.\n\n' +
      'Leak Lens reports a **real leak** at the store that closes such a cycle, following the values through `let`s, `clone()`/`Rc::clone`, `borrow_mut()`/`lock()` guards and field paths within a function; a `Drop` of a type outside the cycle that clears one of its fields breaks it (reclaimed), and code elsewhere that empties one makes it a possible leak. Types alone — the strong-reference graph of the workspace\'s structs, enums and aliases, through `RefCell`, `Mutex`, `Option`, `Vec`, maps and tuples, with `Weak` edges breaking it — give a **possible leak** on the edge that closes a loop, when a cell lets a shared value be pointed back at and no code seen closes it. Back-edges should be `Weak`.',
    runtime: 'valgrind "definitely lost" (or "indirectly lost") for the whole cycle once the last outside pointer drops; Miri reports "memory leaked"; LeakSanitizer reports it on every run that closes the cycle.',
    fixes: [
      { title: 'Make the back-edge a Weak pointer', example: 'parent: RefCell<Weak<Node>>,\n// set with Rc::downgrade(&parent), read with .upgrade()' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/rc/struct.Weak.html',
  },
  'shared-to-mut-cast': {
    id: 'shared-to-mut-cast',
    title: 'Writing through a shared reference cast to *mut',
    summary: 'Casting `&T` to `*const T` to `*mut T` and writing through it is undefined behaviour.',
    explanation:
      'A shared reference promises that nothing mutates the value while it is live (except inside `UnsafeCell`). Casting it to `*mut T` does not lift that promise: writing through the pointer is undefined behaviour even when the memory was leaked to `\'static`. Leak a `&\'static mut T` (which `Box::leak` already returns) or put the mutable state behind a `Mutex`.',
    runtime: 'Miri reports undefined behaviour ("attempting a write access using … but that tag only grants SharedReadOnly permission"); valgrind sees nothing.',
    fixes: [
      { title: 'Keep the &\'static mut that Box::leak returns', example: 'fn initialize_job_queue() -> &\'static mut JobQueue {\n    Box::leak(Box::new(JobQueue::new()))\n}' },
      { title: 'Put the state behind a Mutex in a static', example: 'static QUEUE: LazyLock<Mutex<JobQueue>> = LazyLock::new(|| Mutex::new(JobQueue::new()));' },
    ],
    stdDocs: 'https://doc.rust-lang.org/std/cell/struct.UnsafeCell.html',
    fixedSeverity: 'warning',
  },
};

export function ruleInfo(id: RuleId): RuleInfo {
  return RULES[id];
}

export function docsUrl(id: RuleId): string {
  return `${DOCS_BASE_URL}${id}.md`;
}

/**
 * Whether a rule's finding messages start with the kind's title (`real leak: …`), so that outputs
 * which also state the kind do not say it twice. Rules about undefined behaviour (fixed severity)
 * are not about the memory's fate: their messages carry no kind.
 */
export function messageStartsWithKind(rule: RuleId): boolean {
  return RULES[rule].fixedSeverity === undefined;
}

/** Severity before user settings: fixed for UB-prone rules, otherwise from the kind. */
export function defaultSeverity(rule: RuleId, kind: Kind): Severity {
  return RULES[rule].fixedSeverity ?? KIND_SEVERITY[kind];
}

export const ALL_RULES: RuleInfo[] = RULE_IDS.map((id) => RULES[id]);
