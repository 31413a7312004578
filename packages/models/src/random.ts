// Seed helpers: weight seeds and per-epoch shuffles must not depend on Math.random. The generator and the
// seeded permutation themselves are @mnist/data's (`seededRandom`, `seededPermutation`), shared with its splits.

/** Mixes a seed and a stream number into a well-spread 32-bit seed (the splitmix32 finaliser). */
export function deriveSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed | 0, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** A random 32-bit seed for callers that did not give one (recorded so the run can be repeated). */
export function freshSeed(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
