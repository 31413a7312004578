// The element-wise parts of a layer: bias and activation after a product, relu's gradient, bias gradients.

/** y[r, j] += bias[j] (when bias ≠ 0), then y = max(y, 0) when `relu` ≠ 0; y is rows × cols, row-major. */
export function biasActivation(y: usize, bias: usize, rows: i32, cols: i32, relu: i32): void {
  if (bias == 0 && relu == 0) return;
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const row = y + ((<usize>r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = row + (<usize>j << 2);
      let v = v128.load(p);
      if (bias != 0) v = f32x4.add(v, v128.load(bias + (<usize>j << 2)));
      if (relu != 0) v = f32x4.max(v, zero);
      v128.store(p, v);
    }
    for (; j < cols; j++) {
      const p = row + (<usize>j << 2);
      let v = load<f32>(p);
      if (bias != 0) v += load<f32>(bias + (<usize>j << 2));
      if (relu != 0) v = max(v, <f32>0);
      store<f32>(p, v);
    }
  }
}

/** d[i] = h[i] > 0 ? d[i] : 0 over `count` floats: relu's gradient, given relu's output h. */
export function reluBackward(d: usize, h: usize, count: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = <usize>i << 2;
    v128.store(d + p, v128.and(v128.load(d + p), f32x4.gt(v128.load(h + p), zero)));
  }
  for (; i < count; i++) {
    const p = <usize>i << 2;
    if (!(load<f32>(h + p) > 0)) store<f32>(d + p, 0);
  }
}

/** out[j] = Σ_r d[r, j] over a rows × cols row-major matrix (a bias gradient), rows summed in order. */
export function columnSums(d: usize, rows: i32, cols: i32, out: usize): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const row = d + ((<usize>r * cols) << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const p = <usize>j << 2;
      v128.store(out + p, f32x4.add(v128.load(out + p), v128.load(row + p)));
    }
    for (; j < cols; j++) {
      const p = <usize>j << 2;
      store<f32>(out + p, load<f32>(out + p) + load<f32>(row + p));
    }
  }
}
