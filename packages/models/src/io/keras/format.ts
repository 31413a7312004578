// Facts about the Keras 3 format that the rest of the package needs without loading the reader or writer (which
// bring fflate, and h5wasm on use): which Keras release the writer follows, and how a Keras 3 config is told
// apart from a tfjs (Keras 2 layout) topology.

/** The Keras release whose format the writer follows and whose `load_model` the fixtures check it against. */
export const KERAS_FORMAT_VERSION = '3.15.1';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a parsed JSON value is a Keras 3 model config rather than a Keras 2 / tfjs topology. */
export function isKeras3Config(value: unknown): boolean {
  if (!isObject(value) || !isObject(value.config)) return false;
  if (!['Sequential', 'Functional', 'Model'].includes(String(value.class_name))) return false;
  const layers = value.config.layers;
  if (!Array.isArray(layers)) return false;
  return layers.some((layer) => {
    if (!isObject(layer)) return false;
    const config = isObject(layer.config) ? layer.config : {};
    const nodes = Array.isArray(layer.inbound_nodes) ? layer.inbound_nodes : [];
    // Keras 3 only: InputLayer's batch_shape, dtype policies as objects, call records as {args, kwargs}.
    return (
      (layer.class_name === 'InputLayer' && 'batch_shape' in config) ||
      isObject(config.dtype) ||
      nodes.some((node) => isObject(node) && 'args' in node)
    );
  });
}
