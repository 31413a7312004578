/** How a window (a convolution's kernel, a pooling window) slides along one spatial axis. */
export interface Window {
  /** Input size along the axis. */
  readonly size: number;
  /** Window size (a dilated kernel's effective size: (k − 1)·d + 1). */
  readonly window: number;
  readonly stride: number;
  readonly padding: 'same' | 'valid';
}

/** Padding before and after one axis, and the output size. */
export interface AxisPadding {
  readonly before: number;
  readonly after: number;
  readonly output: number;
}

/**
 * TensorFlow's padding for one axis. `valid`: none, ⌊(size − window) / stride⌋ + 1 outputs. `same`: ⌈size / stride⌉
 * outputs and just enough padding for them, the odd pixel going after (bottom, right): a 5×5 kernel at stride 2
 * on 28 pixels pads 1 before and 2 after. ONNX's symmetric defaults would shift every output by one pixel, so the
 * exporter writes these explicitly.
 */
export function tensorflowPadding({ size, window, stride, padding }: Window): AxisPadding {
  if (padding === 'valid') return { before: 0, after: 0, output: Math.floor((size - window) / stride) + 1 };
  const output = Math.ceil(size / stride);
  const total = Math.max((output - 1) * stride + window - size, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, output };
}

/** ONNX's `pads` for two spatial axes: [top, left, bottom, right]. */
export function onnxPads(height: AxisPadding, width: AxisPadding): number[] {
  return [height.before, width.before, height.after, width.after];
}
