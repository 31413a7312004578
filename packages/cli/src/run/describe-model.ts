import type { MnistModel } from '@mnist/models';

interface LayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/**
 * A one-line description of a model's layers, e.g. "Dense(100, relu) → Dense(100, relu) → Dense(10, sigmoid)",
 * read from the tfjs layer configs (layers without weights, such as Flatten, are kept short).
 */
export function describeLayers(model: MnistModel): string {
  const layers = model.layersModel.layers as unknown as LayerLike[];
  return layers
    .map((layer) => {
      const kind = layer.getClassName();
      const config = layer.getConfig();
      const activation = typeof config.activation === 'string' ? config.activation : undefined;
      const act = activation && activation !== 'linear' ? `, ${activation}` : '';
      switch (kind) {
        case 'Dense':
          return `Dense(${config.units}${act})`;
        case 'Conv2D':
        case 'SeparableConv2D':
        case 'DepthwiseConv2D': {
          const size = Array.isArray(config.kernelSize)
            ? config.kernelSize.join('×')
            : `${config.kernelSize}×${config.kernelSize}`;
          return `${kind}(${config.filters ?? ''}${config.filters ? ', ' : ''}${size}${act})`;
        }
        case 'MaxPooling2D':
        case 'AveragePooling2D': {
          const size = Array.isArray(config.poolSize) ? config.poolSize.join('×') : String(config.poolSize);
          return `${kind.replace('2D', '')}(${size})`;
        }
        case 'Dropout':
          return `Dropout(${config.rate})`;
        case 'InputLayer':
          return undefined;
        default:
          return kind;
      }
    })
    .filter((text): text is string => text !== undefined)
    .join(' → ');
}

/** Trainable and non-trainable parameters of the model. */
export function countParameters(model: MnistModel): number {
  return model.layersModel.countParams();
}
