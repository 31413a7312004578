// What in a Keras 3 config would make Keras run code that is not Keras's: a Lambda layer (Python bytecode in the
// file), a serialized Python function, or any custom object (a class registered by the user, found by its
// `registered_name`, or from a module outside `keras`). Keras itself refuses the first two under `safe_mode` and
// needs the user's code for the third; @mnist/models never runs any of it, so all three are refused by name
// before anything else is read from the config.

import { MnistModelError } from '../../errors.js';

/** The deepest nesting a genuine config has is about 8; this bounds the walk. */
const MAX_DEPTH = 64;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A module of Keras itself: `keras`, `keras.layers`, `keras.src.models.functional`, … */
function isKerasModule(module: unknown): boolean {
  return typeof module === 'string' && (module === 'keras' || module.startsWith('keras.'));
}

/** A short name for a serialized object, for messages: `Lambda layer 'double'`, `function 'my_activation'`. */
function describe(object: Json): string {
  const config = isObject(object.config) ? object.config : {};
  const name = typeof config.name === 'string' ? ` '${config.name}'` : '';
  return `${String(object.class_name)}${name}`;
}

/**
 * Walks a Keras 3 config and refuses (`UNSUPPORTED`, naming the object and the file) a Lambda layer, a serialized
 * function or lambda, and any object whose `registered_name` is not its own class name or whose `module` is not
 * Keras's. Nothing in the config is run, imported or looked up by name.
 */
export function refuseCode(config: unknown, file: string): void {
  const refuse = (what: string, why: string): never => {
    throw new MnistModelError(
      'UNSUPPORTED',
      `${file} holds ${what}, ${why}. @mnist/models never runs code from a model file (as Keras's safe_mode ` +
        'refuses Lambda layers): rebuild the model with built-in Keras layers only, or load it in Python.',
      { file },
    );
  };
  const walk = (value: unknown, depth: number): void => {
    if (depth > MAX_DEPTH) refuse('a config nested more than 64 levels deep', 'which no Keras model has');
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    const className = value.class_name;
    if (className === 'Lambda') refuse(`a Lambda layer (${describe(value)})`, 'which holds Python code');
    if (className === '__lambda__' || className === 'function') {
      refuse(`a serialized Python ${className === 'function' ? 'function' : 'lambda'}`, 'which is code');
    }
    if (typeof className === 'string' && className !== '__keras_tensor__') {
      const registered = value.registered_name;
      if (registered !== undefined && registered !== null && registered !== className) {
        refuse(
          `the custom object ${JSON.stringify(registered)} (${describe(value)})`,
          'which is not part of Keras',
        );
      }
      if ('module' in value && !isKerasModule(value.module)) {
        refuse(
          `${describe(value)} from module ${JSON.stringify(value.module)}`,
          'a custom object that is not part of Keras',
        );
      }
    }
    for (const entry of Object.values(value)) walk(entry, depth + 1);
  };
  walk(config, 0);
}
