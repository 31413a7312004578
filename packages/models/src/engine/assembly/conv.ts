// Convolutions as matrix products: im2col lays every receptive field of an NHWC batch out as one row, so the
// forward pass is cols·W and the weight gradient colsᵀ·dY (see gemm.ts); col2im adds the rows of
// d(cols) = dY·Wᵀ back onto the input positions they came from. Row r = (n·OH + oy)·OW + ox; column
// (ky·KW + kx)·C + c, which is exactly the row order of a TensorFlow [KH, KW, C, F] kernel.
// Positions outside the input (TensorFlow's 'same' padding) are zeros in cols and dropped by col2im.

/** Geometry of one convolution, in floats and pixels. */
@unmanaged
export class ConvShape {
  inH: i32;
  inW: i32;
  inC: i32;
  outH: i32;
  outW: i32;
  outC: i32;
  kH: i32;
  kW: i32;
  stride: i32;
  padTop: i32;
  padLeft: i32;
}

/** The kx range [first, end) whose input column ox·stride − padLeft + kx lies inside the image. */
// @ts-ignore: decorator
@inline
function firstKx(ox: i32, s: ConvShape): i32 {
  return max(0, s.padLeft - ox * s.stride);
}

// @ts-ignore: decorator
@inline
function endKx(ox: i32, s: ConvShape): i32 {
  return min(s.kW, s.inW + s.padLeft - ox * s.stride);
}

/** cols[n·OH·OW × KH·KW·C] from x[n × H × W × C]. */
export function im2col(x: usize, cols: usize, n: i32, s: ConvShape): void {
  const c = s.inC;
  const k = s.kH * s.kW * c;
  const kwRun = s.kW * c;
  let row = cols;
  for (let sample = 0; sample < n; sample++) {
    const image = x + ((<usize>sample * s.inH * s.inW * c) << 2);
    for (let oy = 0; oy < s.outH; oy++) {
      for (let ox = 0; ox < s.outW; ox++) {
        // For one ky the kx taps read consecutive pixels, i.e. one contiguous run of (end − first)·C floats.
        const first = firstKx(ox, s);
        const end = endKx(ox, s);
        const ix = ox * s.stride - s.padLeft + first;
        let out = row;
        for (let ky = 0; ky < s.kH; ky++) {
          const iy = oy * s.stride - s.padTop + ky;
          if (iy < 0 || iy >= s.inH || end <= first) {
            zeroRun(out, kwRun);
          } else {
            zeroRun(out, first * c);
            copyRun(out + ((<usize>first * c) << 2), image + ((<usize>(iy * s.inW + ix) * c) << 2), (end - first) * c);
            zeroRun(out + ((<usize>end * c) << 2), (s.kW - end) * c);
          }
          out += <usize>kwRun << 2;
        }
        row += <usize>k << 2;
      }
    }
  }
}

/** dx[n × H × W × C] = Σ of d(cols) rows over the positions they were read from (dx is overwritten). */
export function col2im(dcols: usize, dx: usize, n: i32, s: ConvShape): void {
  const c = s.inC;
  const k = s.kH * s.kW * c;
  const kwRun = s.kW * c;
  memory.fill(dx, 0, <usize>n * s.inH * s.inW * c * 4);
  let row = dcols;
  for (let sample = 0; sample < n; sample++) {
    const image = dx + ((<usize>sample * s.inH * s.inW * c) << 2);
    for (let oy = 0; oy < s.outH; oy++) {
      for (let ox = 0; ox < s.outW; ox++) {
        const first = firstKx(ox, s);
        const end = endKx(ox, s);
        const ix = ox * s.stride - s.padLeft + first;
        let from = row;
        for (let ky = 0; ky < s.kH; ky++) {
          const iy = oy * s.stride - s.padTop + ky;
          if (iy >= 0 && iy < s.inH && end > first) {
            addRun(image + ((<usize>(iy * s.inW + ix) * c) << 2), from + ((<usize>first * c) << 2), (end - first) * c);
          }
          from += <usize>kwRun << 2;
        }
        row += <usize>k << 2;
      }
    }
  }
}

/** to[0..count) = from[0..count). */
// @ts-ignore: decorator
@inline
function copyRun(to: usize, from: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = <usize>i << 2;
    v128.store(to + p, v128.load(from + p));
  }
  for (; i < count; i++) {
    const p = <usize>i << 2;
    store<f32>(to + p, load<f32>(from + p));
  }
}

/** to[0..count) = 0. */
// @ts-ignore: decorator
@inline
function zeroRun(to: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(to + (<usize>i << 2), f32x4.splat(0));
  for (; i < count; i++) store<f32>(to + (<usize>i << 2), 0);
}

/** to[0..count) += from[0..count). */
// @ts-ignore: decorator
@inline
function addRun(to: usize, from: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const p = <usize>i << 2;
    v128.store(to + p, f32x4.add(v128.load(to + p), v128.load(from + p)));
  }
  for (; i < count; i++) {
    const p = <usize>i << 2;
    store<f32>(to + p, load<f32>(to + p) + load<f32>(from + p));
  }
}
