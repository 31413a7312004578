// Keras's sparse categorical cross-entropy of the output layer, in both forms today's Keras computes (src/loss.ts),
// and its gradient with respect to the logits, derived by hand (no autodiff):
// - from the logits (Keras on TensorFlow): loss = log Σ exp(z) − z_y, dz = softmax(z) − onehot(y);
// - from the probabilities (Keras 3 on JAX or PyTorch): q = p / Σp, loss = −log(clip(q_y, ε, 1−ε)), and the
//   gradient through the clip, the normalisation and the activation.
// Computed in f64 per row and stored as f32. Accuracy is counted on the activation's outputs rounded to f32, as
// Keras's metric sees them (two sigmoids that round to the same float tie, and the first one wins).

/** The output layer's activation. */
export const OUTPUT_SIGMOID: i32 = 0;
export const OUTPUT_SOFTMAX: i32 = 1;

/** The form of the loss. */
export const LOSS_FROM_LOGITS: i32 = 0;
export const LOSS_FROM_PROBABILITIES: i32 = 1;

/**
 * For `rows` samples, with the loss in form `form` (LOSS_FROM_…): dLogits[r, k] = ∂(batch-mean loss)/∂logit
 * (scaled by `scale` = 1 / batch size), and
 * stats[0] += Σ loss, stats[1] += number of correct top-1 predictions (f64 accumulators).
 * `labels` holds one i32 per row; `scratch` is 16·classes bytes of this thread's own memory.
 */
export function outputGradient(
  logits: usize,
  labels: usize,
  rows: i32,
  classes: i32,
  activation: i32,
  form: i32,
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
    let best = 0;
    for (let k = 1; k < classes; k++) {
      if (load<f64>(p + (<usize>k << 3)) > load<f64>(p + (<usize>best << 3))) best = k;
    }
    if (best == label) correct += 1;
    const out = dLogits + ((<usize>r * classes) << 2);
    if (form == LOSS_FROM_LOGITS) {
      let top = -Infinity;
      for (let k = 0; k < classes; k++) top = max(top, <f64>load<f32>(z + (<usize>k << 2)));
      let total: f64 = 0;
      for (let k = 0; k < classes; k++) total += Math.exp(<f64>load<f32>(z + (<usize>k << 2)) - top);
      lossSum += top + Math.log(total) - <f64>load<f32>(z + (<usize>label << 2));
      for (let k = 0; k < classes; k++) {
        const softmax = Math.exp(<f64>load<f32>(z + (<usize>k << 2)) - top) / total;
        store<f32>(out + (<usize>k << 2), <f32>((softmax - (k == label ? 1 : 0)) * scale));
      }
      continue;
    }
    let sum: f64 = 0;
    for (let k = 0; k < classes; k++) sum += load<f64>(p + (<usize>k << 3));
    const py = load<f64>(p + (<usize>label << 3));
    const q = py / sum;
    lossSum -= Math.log(min(max(q, low), high));
    // ∂(−log q_y)/∂p_k = 1/Σ − [k = y]/p_y where the clip passes q_y through, else 0.
    const inside = q > low && q < high;
    let dot: f64 = 0;
    for (let k = 0; k < classes; k++) {
      const g: f64 = inside ? (1 / sum - (k == label ? 1 / py : 0)) * scale : 0;
      store<f64>(dp + (<usize>k << 3), g);
      dot += g * load<f64>(p + (<usize>k << 3));
    }
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
