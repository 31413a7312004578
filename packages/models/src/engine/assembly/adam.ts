// Adam as Keras 3 computes it (src/train/adam.ts has the formula and why), on float32 lanes:
//   m ← m + (g − m)·(1 − β1),  v ← v + (g² − v)·(1 − β2),  w ← w − m·α / (√v + ε),
// with α = lr·√(1 − β2^t) / (1 − β1^t) computed by the host per step. The gradient g is the sum of the slices'
// gradient buffers, added in slice order (0, 1, …) so the same slices always round the same way, on any threads.

/** The scalars of one update, as f32 like Keras keeps them (written by the host; see `adamScalars`). */
@unmanaged
export class AdamStep {
  alpha: f32;
  oneMinusBeta1: f32;
  oneMinusBeta2: f32;
  epsilon: f32;
}

// Slots of AdamStep's fields, from its start (the host writes them; see H_ADAM).
export const ADAM_ALPHA: i32 = <i32>(offsetof<AdamStep>('alpha') >> 2);
export const ADAM_ONE_MINUS_BETA1: i32 = <i32>(offsetof<AdamStep>('oneMinusBeta1') >> 2);
export const ADAM_ONE_MINUS_BETA2: i32 = <i32>(offsetof<AdamStep>('oneMinusBeta2') >> 2);
export const ADAM_EPSILON: i32 = <i32>(offsetof<AdamStep>('epsilon') >> 2);

/**
 * Updates params/m/v over [start, end) (float indices) from the sum of `buffers` gradient buffers spaced
 * `stride` bytes apart starting at `grads`.
 */
export function adamUpdate(
  params: usize,
  m: usize,
  v: usize,
  grads: usize,
  stride: usize,
  buffers: i32,
  start: i32,
  end: i32,
  h: AdamStep,
): void {
  const nb1 = f32x4.splat(h.oneMinusBeta1);
  const nb2 = f32x4.splat(h.oneMinusBeta2);
  const alpha = f32x4.splat(h.alpha);
  const eps = f32x4.splat(h.epsilon);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const p = <usize>i << 2;
    let g = v128.load(grads + p);
    for (let t = 1; t < buffers; t++) g = f32x4.add(g, v128.load(grads + <usize>t * stride + p));
    const m0 = v128.load(m + p);
    const v0 = v128.load(v + p);
    const mi = f32x4.add(m0, f32x4.mul(f32x4.sub(g, m0), nb1));
    const vi = f32x4.add(v0, f32x4.mul(f32x4.sub(f32x4.mul(g, g), v0), nb2));
    v128.store(m + p, mi);
    v128.store(v + p, vi);
    const update = f32x4.div(f32x4.mul(mi, alpha), f32x4.add(f32x4.sqrt(vi), eps));
    v128.store(params + p, f32x4.sub(v128.load(params + p), update));
  }
  for (; i < end; i++) {
    const p = <usize>i << 2;
    let g = load<f32>(grads + p);
    for (let t = 1; t < buffers; t++) g += load<f32>(grads + <usize>t * stride + p);
    const m0 = load<f32>(m + p);
    const v0 = load<f32>(v + p);
    const mi = m0 + (g - m0) * h.oneMinusBeta1;
    const vi = v0 + (g * g - v0) * h.oneMinusBeta2;
    store<f32>(m + p, mi);
    store<f32>(v + p, vi);
    store<f32>(params + p, load<f32>(params + p) - (mi * h.alpha) / (Mathf.sqrt(vi) + h.epsilon));
  }
}
