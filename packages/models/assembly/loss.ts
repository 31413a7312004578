// Keras's sparse categorical cross-entropy on the output activation's probabilities, and its gradient with
// respect to the logits, derived by hand (no autodiff): loss = log(Σ clip(p)) − log(clip(p_y)), clip to
// [ε, 1−ε], which normalises sigmoid outputs the way Keras does (see src/train/loss.ts for the derivation).
// Computed in f64 per row and stored as f32, like the reference fast path it replaces.

/** The output layer's activation. */
export const OUTPUT_SIGMOID: i32 = 0;
export const OUTPUT_SOFTMAX: i32 = 1;

/**
 * For `rows` samples: dLogits[r, k] = ∂(batch-mean loss)/∂logit (scaled by `scale` = 1 / batch size), and
 * stats[0] += Σ loss, stats[1] += number of correct top-1 predictions (f64 accumulators).
 * `labels` holds one i32 per row; `scratch` is 16·classes bytes of this thread's own memory.
 */
export function outputGradient(
  logits: usize,
  labels: usize,
  rows: i32,
  classes: i32,
  activation: i32,
  epsilon: f32,
  scale: f64,
  dLogits: usize,
  stats: usize,
  scratch: usize,
): void {
  const low = <f64>epsilon;
  const high = <f64>(<f32>1 - epsilon);
  // One row's probabilities and their gradients, in f64.
  const p = scratch;
  const dp = scratch + (<usize>classes << 3);
  let lossSum: f64 = 0;
  let correct: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = logits + ((<usize>r * classes) << 2);
    if (activation == OUTPUT_SIGMOID) {
      for (let k = 0; k < classes; k++) {
        const zk = <f64>load<f32>(z + (<usize>k << 2));
        store<f64>(p + (<usize>k << 3), <f64>(<f32>(1 / (1 + Math.exp(-zk)))));
      }
    } else {
      let top = -Infinity;
      for (let k = 0; k < classes; k++) top = max(top, <f64>load<f32>(z + (<usize>k << 2)));
      let total: f64 = 0;
      for (let k = 0; k < classes; k++) {
        const e = Math.exp(<f64>load<f32>(z + (<usize>k << 2)) - top);
        store<f64>(p + (<usize>k << 3), e);
        total += e;
      }
      for (let k = 0; k < classes; k++) {
        store<f64>(p + (<usize>k << 3), <f64>(<f32>(load<f64>(p + (<usize>k << 3)) / total)));
      }
    }
    const label = load<i32>(labels + (<usize>r << 2));
    let sum: f64 = 0;
    let best = 0;
    for (let k = 0; k < classes; k++) {
      const pk = load<f64>(p + (<usize>k << 3));
      sum += min(max(pk, low), high);
      if (pk > load<f64>(p + (<usize>best << 3))) best = k;
    }
    const target = min(max(load<f64>(p + (<usize>label << 3)), low), high);
    lossSum += Math.log(sum) - Math.log(target);
    if (best == label) correct += 1;
    // d/dclip(p_k) = 1/Σ − [k = y]/clip(p_y); clipping passes the gradient only inside [ε, 1−ε].
    let dot: f64 = 0;
    for (let k = 0; k < classes; k++) {
      const pk = load<f64>(p + (<usize>k << 3));
      let g: f64 = 0;
      if (pk >= low && pk <= high) g = (1 / sum - (k == label ? 1 / target : 0)) * scale;
      store<f64>(dp + (<usize>k << 3), g);
      dot += g * pk;
    }
    const out = dLogits + ((<usize>r * classes) << 2);
    for (let k = 0; k < classes; k++) {
      const pk = load<f64>(p + (<usize>k << 3));
      const g = load<f64>(dp + (<usize>k << 3));
      // sigmoid: dz = dp·p(1−p); softmax: dz = p·(dp − Σ dp·p).
      const dz = activation == OUTPUT_SIGMOID ? g * pk * (1 - pk) : pk * (g - dot);
      store<f32>(out + (<usize>k << 2), <f32>dz);
    }
  }
  store<f64>(stats, load<f64>(stats) + lossSum);
  store<f64>(stats, load<f64>(stats, 8) + correct, 8);
}
