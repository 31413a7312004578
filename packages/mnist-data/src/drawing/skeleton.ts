// Thinning of binary images to one-pixel-wide skeletons: Zhang & Suen, "A fast parallel algorithm for thinning
// digital patterns" (CACM 27(3), 1984), followed by the usual clean-up of the two-pixel staircases it leaves on
// diagonals, so every skeleton pixel away from junctions has exactly two 8-neighbours (what tracing relies on).

/** Offsets of the 8 neighbours P2..P9, clockwise from north, as (dx, dy). */
export const RING: readonly (readonly [number, number])[] = [
  [0, -1],
  [1, -1],
  [1, 0],
  [1, 1],
  [0, 1],
  [-1, 1],
  [-1, 0],
  [-1, -1],
];

/** The 8 neighbours of (x, y) clockwise from north as a bit mask (bit i = RING[i]); outside the image is 0. */
export function neighbourMask(bits: Uint8Array, width: number, height: number, x: number, y: number): number {
  let mask = 0;
  for (let i = 0; i < 8; i++) {
    const [dx, dy] = RING[i] as readonly [number, number];
    const nx = x + dx;
    const ny = y + dy;
    if (nx >= 0 && ny >= 0 && nx < width && ny < height && bits[ny * width + nx] !== 0) mask |= 1 << i;
  }
  return mask;
}

/** Set bits of a mask. */
function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/** Zhang–Suen's A(P1): 0→1 transitions going once around the ring. */
function transitions(mask: number): number {
  let a = 0;
  for (let i = 0; i < 8; i++) if (!(mask & (1 << i)) && mask & (1 << ((i + 1) % 8))) a++;
  return a;
}

// Each 8-bit neighbourhood's verdict, computed once: bit 0 = deletable in sub-iteration 1, bit 1 = in 2.
const DELETABLE = new Uint8Array(256);
for (let mask = 0; mask < 256; mask++) {
  const b = popcount(mask);
  if (b < 2 || b > 6 || transitions(mask) !== 1) continue;
  const p = (i: number) => (mask >> (i - 2)) & 1; // P2..P9 → bits 0..7
  if (p(2) * p(4) * p(6) === 0 && p(4) * p(6) * p(8) === 0) DELETABLE[mask] = (DELETABLE[mask] as number) | 1;
  if (p(2) * p(4) * p(8) === 0 && p(2) * p(6) * p(8) === 0) DELETABLE[mask] = (DELETABLE[mask] as number) | 2;
}

/**
 * Number of 8-connected groups that the set neighbours of a pixel form among themselves. Removing a pixel keeps its
 * surroundings connected exactly when this is 1.
 */
function neighbourGroups(mask: number): number {
  let groups = 0;
  for (let i = 0; i < 8; i++) {
    if (!(mask & (1 << i))) continue;
    // A set neighbour starts a new group unless the previous one in the ring is set, or it is a side neighbour
    // (even index) whose previous-but-one (the side before the corner) is set: sides touch across a gap corner.
    const prev = (i + 7) % 8;
    const prevSide = (i + 6) % 8;
    if (mask & (1 << prev)) continue;
    if (i % 2 === 0 && mask & (1 << prevSide)) continue;
    groups++;
  }
  // A fully closed ring counted no start; it is still one group.
  return groups === 0 && mask !== 0 ? 1 : groups;
}

/**
 * Thins a binary image (non-zero = ink) to a one-pixel-wide, 8-connected skeleton, in place: Zhang–Suen's two
 * parallel sub-iterations until nothing changes, then a pass that removes the redundant corner pixels of diagonal
 * staircases (a pixel with two perpendicular side neighbours whose removal keeps its neighbourhood connected).
 * Deterministic: the result depends on the image only.
 *
 * @returns `bits` (0 or 1 per pixel).
 */
export function thinZhangSuen(bits: Uint8Array, width: number, height: number): Uint8Array {
  for (let i = 0; i < bits.length; i++) bits[i] = bits[i] === 0 ? 0 : 1;
  const remove: number[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const pass of [1, 2]) {
      remove.length = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          if (bits[y * width + x] === 0) continue;
          if ((DELETABLE[neighbourMask(bits, width, height, x, y)] as number) & pass)
            remove.push(y * width + x);
        }
      }
      for (const i of remove) bits[i] = 0;
      if (remove.length > 0) changed = true;
    }
  }
  // Staircases: N+E, E+S, S+W or W+N set makes a 4-connected corner that the diagonal already bridges.
  const SIDES = [0b0000_0101, 0b0001_0100, 0b0101_0000, 0b0100_0001];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (bits[y * width + x] === 0) continue;
      const mask = neighbourMask(bits, width, height, x, y);
      if (popcount(mask) < 2 || neighbourGroups(mask) !== 1) continue;
      if (SIDES.some((sides) => (mask & sides) === sides)) bits[y * width + x] = 0;
    }
  }
  return bits;
}
