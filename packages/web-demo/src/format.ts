// How the page writes numbers, in one place so every panel writes them alike.

/** A probability as a percentage with one decimal ("98.2%"), clamped to 0–100%. */
export function formatPercent(p: number): string {
  return `${(Math.min(1, Math.max(0, p)) * 100).toFixed(1)}%`;
}

/** A count with thousands separators ("10,000"), the same in every locale. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
