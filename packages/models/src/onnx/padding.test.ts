import { backend_util } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { onnxPads, tensorflowPadding } from './padding.js';

describe('tensorflowPadding', () => {
  it('pads the odd pixel after, as TensorFlow does', () => {
    expect(tensorflowPadding({ size: 28, window: 3, stride: 2, padding: 'same' })).toEqual({
      before: 0,
      after: 1,
      output: 14,
    });
    expect(tensorflowPadding({ size: 28, window: 5, stride: 2, padding: 'same' })).toEqual({
      before: 1,
      after: 2,
      output: 14,
    });
    expect(tensorflowPadding({ size: 28, window: 4, stride: 1, padding: 'same' })).toEqual({
      before: 1,
      after: 2,
      output: 28,
    });
    expect(tensorflowPadding({ size: 5, window: 1, stride: 3, padding: 'same' })).toEqual({
      before: 0,
      after: 0,
      output: 2,
    });
    expect(tensorflowPadding({ size: 7, window: 2, stride: 2, padding: 'valid' })).toEqual({
      before: 0,
      after: 0,
      output: 3,
    });
    expect(onnxPads({ before: 0, after: 1, output: 14 }, { before: 2, after: 3, output: 9 })).toEqual([
      0, 2, 1, 3,
    ]);
  });

  it("agrees with tfjs's own convolution geometry on every size, window, stride and dilation up to 30", () => {
    let checked = 0;
    for (const padding of ['same', 'valid'] as const) {
      for (let size = 1; size <= 30; size++) {
        for (let kernel = 1; kernel <= 6; kernel++) {
          for (let stride = 1; stride <= 4; stride++) {
            for (const dilation of stride === 1 ? [1, 2, 3] : [1]) {
              const window = (kernel - 1) * dilation + 1;
              if (padding === 'valid' && window > size) continue;
              const info = backend_util.computeConv2DInfo(
                [1, size, size + 1, 1],
                [kernel, kernel, 1, 1],
                stride,
                dilation,
                padding,
              );
              const height = tensorflowPadding({ size, window, stride, padding });
              const width = tensorflowPadding({ size: size + 1, window, stride, padding });
              expect([height.before, height.after, height.output]).toEqual([
                info.padInfo.top,
                info.padInfo.bottom,
                info.outHeight,
              ]);
              expect([width.before, width.after, width.output]).toEqual([
                info.padInfo.left,
                info.padInfo.right,
                info.outWidth,
              ]);
              checked++;
            }
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });
});
