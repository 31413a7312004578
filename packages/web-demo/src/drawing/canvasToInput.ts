// The strokes-to-model-input path lives in @mnist/data (shared with the drawn-digit benchmark); only the browser's
// canvas factory is the page's own.
import type { CanvasFactory } from '@mnist/data';

export {
  type CanvasFactory,
  coverageToInput,
  createInputRenderer,
  INPUT_CANVAS_SIZE,
  inkCoverage,
  type ReadableStrokeContext,
  type RgbaImage,
} from '@mnist/data';

/**
 * The browser's canvas factory: `OffscreenCanvas` where available (no DOM node), else a detached `<canvas>`. Its 2D
 * context is asked for with `willReadFrequently`: the input is read back after every stroke, so the browser keeps
 * the canvas in memory rather than on the GPU (and does not warn about repeated readbacks).
 */
export const browserCanvasFactory: CanvasFactory = (width, height) => {
  const canvas: OffscreenCanvas | HTMLCanvasElement =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(width, height)
      : Object.assign(document.createElement('canvas'), { width, height });
  return { getContext: (type: '2d') => canvas.getContext(type, { willReadFrequently: true }) };
};
