// How much of a model file is read and built at most. Model files are untrusted input (see SECURITY.md at the
// repository root); every size below is far above what an MNIST classifier needs and far below what would
// exhaust a machine.

/** The largest `model.json` read (an MNIST model's topology is a few kB; large custom models stay far below). */
export const MAX_MODEL_JSON_BYTES = 16 * 1024 * 1024;

/** The most weight bytes a manifest may declare and a topology may need (an MNIST classifier needs a few MB). */
export const MAX_WEIGHT_BYTES = 512 * 1024 * 1024;

/** The most shard files a manifest may list. */
export const MAX_SHARDS = 1024;

/** The most elements one sample's activation may have at any layer (28×28×1024 would be far beyond MNIST). */
export const MAX_ACTIVATION_ELEMENTS = 1 << 24;

/** The most layers a topology may have (Keras's ResNet-50 has 177). */
export const MAX_LAYERS = 512;

/**
 * The most arithmetic one image may cost on its way through a network: multiply-adds of dense layers and
 * convolutions, a window's values for pooling, one per value for every other layer, summed over the layers
 * (MNIST's convnets need a few million; the shipped `cnn` about 12 million). At this figure one image takes
 * well under a second on the slowest backend (plain JavaScript), so a stop request is seen within a second or
 * two whatever model was loaded; inference batches are sized from it too (see `operationsPerImage`).
 */
export const MAX_OPERATIONS_PER_IMAGE = 1 << 28;

/** The most entries a `.keras` archive may list (Keras writes three: metadata.json, config.json, model.weights.h5). */
export const MAX_KERAS_ENTRIES = 16;

/** The largest `metadata.json` read from a `.keras` file (Keras writes about 64 bytes). */
export const MAX_KERAS_METADATA_BYTES = 1024 * 1024;

/**
 * The largest `model.weights.h5` inflated from a `.keras` file: the weights cap plus room for HDF5's own structure
 * and an optimizer's state (Adam keeps two values per weight, so a compiled model's file is about three times its
 * weights).
 */
export const MAX_KERAS_WEIGHTS_FILE_BYTES = MAX_WEIGHT_BYTES + 64 * 1024 * 1024;

/** The largest `.keras` file read: its three entries at their caps, stored uncompressed. */
export const MAX_KERAS_FILE_BYTES =
  MAX_KERAS_WEIGHTS_FILE_BYTES + MAX_MODEL_JSON_BYTES + MAX_KERAS_METADATA_BYTES + 64 * 1024;
