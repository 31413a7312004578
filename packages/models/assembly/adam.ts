// Adam with tfjs's exact update rule and operation order (`tf.train.adam`):
//   m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,  w ← w − lr·(m/c1) / (√(v/c2) + ε),
// with c1 = 1 − β1^t and c2 = 1 − β2^t. The gradient g is the sum of the threads' gradient buffers, added in
// thread order (0, 1, …) so a fixed thread count always rounds the same way.

/** Hyper-parameters of one update, as f32 like tfjs keeps them. */
@unmanaged
export class AdamStep {
  learningRate: f32;
  beta1: f32;
  beta2: f32;
  epsilon: f32;
  correction1: f32;
  correction2: f32;
}

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
  const b1 = f32x4.splat(h.beta1);
  const b2 = f32x4.splat(h.beta2);
  const nb1 = f32x4.splat(<f32>1 - h.beta1);
  const nb2 = f32x4.splat(<f32>1 - h.beta2);
  const c1 = f32x4.splat(h.correction1);
  const c2 = f32x4.splat(h.correction2);
  const step = f32x4.splat(-h.learningRate);
  const eps = f32x4.splat(h.epsilon);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const p = <usize>i << 2;
    let g = v128.load(grads + p);
    for (let t = 1; t < buffers; t++) g = f32x4.add(g, v128.load(grads + <usize>t * stride + p));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + p)), f32x4.mul(nb1, g));
    const vi = f32x4.add(f32x4.mul(b2, v128.load(v + p)), f32x4.mul(nb2, f32x4.mul(g, g)));
    v128.store(m + p, mi);
    v128.store(v + p, vi);
    const update = f32x4.div(f32x4.div(mi, c1), f32x4.add(f32x4.sqrt(f32x4.div(vi, c2)), eps));
    v128.store(params + p, f32x4.add(v128.load(params + p), f32x4.mul(step, update)));
  }
  for (; i < end; i++) {
    const p = <usize>i << 2;
    let g = load<f32>(grads + p);
    for (let t = 1; t < buffers; t++) g += load<f32>(grads + <usize>t * stride + p);
    const mi = h.beta1 * load<f32>(m + p) + (<f32>1 - h.beta1) * g;
    const vi = h.beta2 * load<f32>(v + p) + (<f32>1 - h.beta2) * (g * g);
    store<f32>(m + p, mi);
    store<f32>(v + p, vi);
    const update = mi / h.correction1 / (Mathf.sqrt(vi / h.correction2) + h.epsilon);
    store<f32>(params + p, load<f32>(params + p) + -h.learningRate * update);
  }
}
