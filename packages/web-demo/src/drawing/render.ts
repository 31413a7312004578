// The stroke renderer lives in @mnist/data, shared with the drawn-digit benchmark that redraws MNIST test digits.
export { type RenderOptions, renderStrokes, type StrokeContext } from '@mnist/data';
