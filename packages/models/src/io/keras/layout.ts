// Where Keras 3 keeps each layer's weights inside `model.weights.h5`. Not under the layer's name (names are
// generated and differ between two instances of one model) but under its class name in snake case, numbered in
// the order of `model.layers`: `layers/dense`, `layers/dense_1`, `layers/conv2d`, … (keras/src/saving/saving_lib.py,
// `_save_container_state` with `naming.to_snake_case` and `_get_unique_name`). A Sequential model's `layers` leave
// its InputLayer out; a functional model's include theirs. Each layer's weights are the datasets `vars/0`,
// `vars/1`, … of that group, in the order the layer created them (its trainable weights, then the rest).

/** Keras's `to_snake_case`: `Conv2D` → `conv2d`, `MaxPooling2D` → `max_pooling2d`, `ReLU` → `re_lu`. */
export function snakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The group of each layer in `model.weights.h5`, for the layers Keras walks (in `model.layers` order), as
 * `layers/<snake case class>[_<n>]`.
 *
 * @param classNames - the class name of every layer Keras saves, in order
 */
export function layerGroups(classNames: readonly string[]): string[] {
  const used = new Map<string, number>();
  return classNames.map((className) => {
    const base = snakeCase(className);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    return `layers/${seen === undefined ? base : `${base}_${seen + 1}`}`;
  });
}

/** Whether Keras saves this layer under `layers/…` (a Sequential model's InputLayer is not in its `layers`). */
export function savedByKeras(className: string, functional: boolean): boolean {
  return functional || className !== 'InputLayer';
}
