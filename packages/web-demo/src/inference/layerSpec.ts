import type { MnistModel } from '@mnist/models/browser';

/** The parts of a layer's config this description reads (tfjs `getConfig()` keys). */
interface LayerConfig {
  units?: number;
  filters?: number;
  kernelSize?: number | number[];
  strides?: number | number[];
  padding?: string;
  activation?: string;
  poolSize?: number | number[];
  rate?: number;
}

const pair = (v: number | number[] | undefined): number[] =>
  Array.isArray(v) ? v : v === undefined ? [] : [v, v];

/** One layer as a short formula, e.g. `Conv2D(32, 5×5, stride 2, relu)` or `Dense(10, softmax)`. */
export function describeLayer(className: string, config: LayerConfig): string {
  const activation = config.activation && config.activation !== 'linear' ? config.activation : undefined;
  const kernel = pair(config.kernelSize).join('×');
  const stride = pair(config.strides);
  const strided = stride.some((s) => s !== 1)
    ? `stride ${stride[0] === stride[1] ? stride[0] : stride.join('×')}`
    : '';
  const parts = (...items: (string | number | undefined)[]) =>
    items.filter((i) => i !== undefined && i !== '').join(', ');
  switch (className) {
    case 'Dense':
      return `Dense(${parts(config.units, activation)})`;
    case 'Conv2D':
      return `Conv2D(${parts(config.filters, kernel, strided, config.padding === 'same' ? 'same' : undefined, activation)})`;
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return `${className}(${pair(config.poolSize).join('×')})`;
    case 'Dropout':
      return `Dropout(${config.rate})`;
    default:
      return className;
  }
}

/** A model's layers, input to output, as one line: `Flatten → Dense(100, relu) → …`. */
export function layerSpec(model: MnistModel): string {
  return model.layersModel.layers
    .filter((layer) => layer.getClassName() !== 'InputLayer')
    .map((layer) => describeLayer(layer.getClassName(), layer.getConfig() as LayerConfig))
    .join(' → ');
}

/** Trainable parameters of a model. */
export function parameterCount(model: MnistModel): number {
  return model.layersModel.countParams();
}
