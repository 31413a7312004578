// Synchronisation of the engine's threads in shared memory: a generation counter that starts a step on the
// workers, and a counting barrier. Workers block in `memory.atomic.wait32`; a browser's main thread may not
// block, so there the caller spins (`canBlock` = 0). Every wait also watches an error word that a failing
// thread's host sets, so a crash elsewhere ends the wait instead of hanging it.

/** Spins before blocking: a step's halves usually finish within microseconds of each other. */
const SPINS = 20000;
/** Blocking waits wake up this often (ns) to look at the error word. */
const WAIT_NS: i64 = 50_000_000;

/** Returns 1 when the error word is set. */
// @ts-ignore: decorator
@inline
function failed(error: usize): bool {
  return atomic.load<i32>(error) != 0;
}

/**
 * Waits until all `threads` threads have arrived. `count` and `phase` are this barrier's words.
 * Returns 0, or 1 when the error word was set while waiting.
 */
export function barrier(count: usize, phase: usize, error: usize, threads: i32, canBlock: i32): i32 {
  const seen = atomic.load<i32>(phase);
  if (atomic.add<i32>(count, 1) == threads - 1) {
    atomic.store<i32>(count, 0);
    atomic.store<i32>(phase, seen + 1);
    atomic.notify(phase, threads);
    return 0;
  }
  return waitForChange(phase, seen, error, canBlock);
}

/** Waits until the word at `word` is no longer `seen` (0), or the error word is set (1). */
export function waitForChange(word: usize, seen: i32, error: usize, canBlock: i32): i32 {
  for (let i = 0; i < SPINS; i++) {
    if (atomic.load<i32>(word) != seen) return 0;
    if (failed(error)) return 1;
  }
  while (atomic.load<i32>(word) == seen) {
    if (failed(error)) return 1;
    if (canBlock) memory.atomic.wait32(word, seen, WAIT_NS);
  }
  return 0;
}

/** Bumps a generation word and wakes every waiter. */
export function advance(word: usize): void {
  atomic.add<i32>(word, 1);
  atomic.notify(word, -1);
}
