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

/** The browser's canvas factory: `OffscreenCanvas` where available (no DOM node), else a detached `<canvas>`. */
export const browserCanvasFactory: CanvasFactory = (width, height) => {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
};
