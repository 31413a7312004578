// Why not a library (pure-rand and others offer seeded generators): these exact sequences are part of published
// results (the training shuffles behind the pretrained weights and README figures reuse them through
// @mnist/models), so they must never change with a dependency's version; the generator is seven lines.

/**
 * A small, fast, seeded pseudo-random generator (mulberry32). Same seed, same sequence, on every platform: that is
 * what makes shuffles and splits reproducible. Not for cryptography.
 *
 * @param seed - any number; only its low 32 bits are used.
 * @returns a function giving floats in [0, 1).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A deterministic permutation of `0..n-1` (Fisher–Yates driven by {@link seededRandom}).
 *
 * @param n - length of the permutation.
 * @param seed - the seed; equal seeds give equal permutations.
 */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}
