// `model.weights.h5`, read and written with h5wasm (the HDF5 C library compiled to WebAssembly). h5wasm is large
// (about 4 MB of JavaScript), so it is imported only when a .keras file is read or written: bundlers put it in a
// chunk of its own. HDF5 runs inside WebAssembly over Emscripten's in-memory file system, which holds only the
// one file written there for the call (under a random name, removed afterwards): whatever a hostile file links to,
// HDF5 cannot reach a file of the host. Every dataset's type and shape is checked from its header before any of
// its values is read.

import { MnistModelError } from '../../errors.js';

type H5wasm = typeof import('h5wasm');
type H5File = import('h5wasm').File;
type H5Group = import('h5wasm').Group;
type H5Dataset = import('h5wasm').Dataset;

interface Loaded {
  api: H5wasm['default'];
  fs: {
    writeFile(path: string, data: Uint8Array): void;
    readFile(path: string): Uint8Array;
    unlink(path: string): void;
  };
}

let loading: Promise<Loaded> | undefined;

/** h5wasm, imported and started once, with HDF5's errors thrown as exceptions instead of printed. */
async function h5wasm(): Promise<Loaded> {
  loading ??= import('h5wasm')
    .then(async (module) => {
      const api = module.default;
      const started = await api.ready;
      started.activate_throwing_error_handler();
      return { api, fs: started.FS as unknown as Loaded['fs'] };
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw new MnistModelError(
        'UNSUPPORTED',
        `Reading or writing .keras files needs the h5wasm package, which did not load here: ${(error as Error).message}`,
        { cause: error },
      );
    });
  return loading;
}

function scratchName(): string {
  const bytes = new Uint8Array(8);
  globalThis.crypto.getRandomValues(bytes);
  return `/keras-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}.h5`;
}

/** What the weights of one layer must be, and where they are. */
export interface LayerWeightsPlan {
  /** The layer's group, e.g. `layers/dense_1` (computed by layout.ts, never taken from the file). */
  group: string;
  /** The layer's name, for messages (and checked against the group's `name` attribute when present). */
  layer: string;
  /** The shape of each of its weights, `vars/0`, `vars/1`, … */
  shapes: readonly (readonly number[])[];
  /** Each weight's name, for messages (`dense_1/kernel`). */
  names: readonly string[];
}

class Refusal extends Error {}

/** The entry `name` of `group` (a key the group lists; never a path), which must be a group or a dataset. */
function child(
  api: Loaded['api'],
  group: H5Group,
  name: string,
  what: string,
): H5Group | H5Dataset | undefined {
  if (!group.keys().includes(name)) return undefined;
  const entity = group.get(name);
  if (entity === null) throw new Refusal(`${what} cannot be read`);
  if (!(entity instanceof api.Group) && !(entity instanceof api.Dataset)) {
    throw new Refusal(`${what} is a link or a named type, not a group or dataset`);
  }
  return entity;
}

function asGroup(entity: H5Group | H5Dataset | undefined, what: string): H5Group | undefined {
  if (entity === undefined) return undefined;
  if (!('keys' in entity)) throw new Refusal(`${what} is a dataset where a group belongs`);
  return entity;
}

function readLayer(api: Loaded['api'], root: H5Group, plan: LayerWeightsPlan): Float32Array[] {
  const [, groupName] = plan.group.split('/') as [string, string];
  const layers = asGroup(child(api, root, 'layers', 'layers'), 'layers');
  const layerGroup =
    layers === undefined ? undefined : asGroup(child(api, layers, groupName, plan.group), plan.group);
  const vars =
    layerGroup === undefined
      ? undefined
      : asGroup(child(api, layerGroup, 'vars', `${plan.group}/vars`), `${plan.group}/vars`);
  if (vars === undefined) {
    if (plan.shapes.length === 0) return [];
    throw new Refusal(
      `it has no weights for layer '${plan.layer}' (${plan.group}/vars is missing): ${plan.names.join(', ')} missing`,
    );
  }
  const recorded = vars.attrs.name?.value;
  if (typeof recorded === 'string' && recorded !== plan.layer) {
    throw new Refusal(
      `${plan.group} holds the weights of layer '${recorded}', but the config puts '${plan.layer}' there`,
    );
  }
  const keys = vars.keys();
  const expected = plan.shapes.map((_, i) => String(i));
  const extra = keys.filter((key) => !expected.includes(key));
  if (extra.length > 0) {
    throw new Refusal(
      `${plan.group}/vars holds ${extra.length} more dataset(s) (${extra.slice(0, 5).join(', ')}) than layer '${plan.layer}' has weights (${plan.shapes.length})`,
    );
  }
  return plan.shapes.map((shape, i) => {
    const path = `${plan.group}/vars/${i}`;
    const what = `weight ${plan.names[i]} (${path})`;
    const entity = child(api, vars, String(i), path);
    if (entity === undefined) throw new Refusal(`${what} is missing`);
    if ('keys' in entity) throw new Refusal(`${what} is a group, not a dataset`);
    const meta = entity.metadata;
    if (meta.type !== 1 || meta.size !== 4 || meta.littleEndian !== true || meta.vlen) {
      throw new Refusal(
        `${what} is stored as ${meta.type === 1 ? `${meta.size * 8}-bit floats` : 'non-float values'}` +
          `${meta.littleEndian === false ? ' (big-endian)' : ''}; only float32 weights load`,
      );
    }
    const found = meta.shape ?? [];
    if (found.length !== shape.length || found.some((d, k) => d !== shape[k])) {
      throw new Refusal(`${what} has shape [${found.join(', ')}] but the config needs [${shape.join(', ')}]`);
    }
    const values = entity.value;
    if (!(values instanceof Float32Array) || values.length !== shape.reduce((a, b) => a * b, 1)) {
      throw new Refusal(`${what} could not be read as ${shape.reduce((a, b) => a * b, 1)} float32 values`);
    }
    return values;
  });
}

/**
 * Reads every layer's weights from `model.weights.h5` as `plans` say (groups, dataset count, float32 type and shape),
 * and refuses any `layers/…` group no layer owns. The optimizer's state (`optimizer/vars`) is not read.
 *
 * @returns the weights of each plan, in order
 * @throws MnistModelError `CORRUPT_FILE` naming `file` and the weight concerned
 */
export async function readWeightsH5(
  bytes: Uint8Array,
  plans: readonly LayerWeightsPlan[],
  file: string,
): Promise<Float32Array[][]> {
  const { api, fs } = await h5wasm();
  const scratch = scratchName();
  let h5: H5File | undefined;
  try {
    fs.writeFile(scratch, bytes);
    h5 = new api.File(scratch, 'r');
    const layers = asGroup(child(api, h5, 'layers', 'layers'), 'layers');
    const owned = new Set(plans.map((plan) => plan.group.split('/')[1]));
    const stray = (layers?.keys() ?? []).filter((key) => !owned.has(key));
    if (stray.length > 0) {
      throw new Refusal(
        `it holds weights for layers the config does not have (layers/${stray.slice(0, 5).join(', layers/')})`,
      );
    }
    const root = h5;
    return plans.map((plan) => readLayer(api, root, plan));
  } catch (error) {
    const why = error instanceof Refusal ? error.message : `HDF5 cannot read it (${firstLine(error)})`;
    throw new MnistModelError(
      'CORRUPT_FILE',
      `The weights (model.weights.h5) of ${file} do not fit its config: ${why}. Save the model again with ` +
        'model.save("x.keras").',
      { file, cause: error },
    );
  } finally {
    try {
      h5?.close();
    } catch {
      // already reported
    }
    try {
      fs.unlink(scratch);
    } catch {
      // never written
    }
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const minor = /minor: ([^\n]+)/.exec(text)?.[1];
  return (minor ?? text.split('\n')[0] ?? '').slice(0, 200);
}

/** One group of datasets to write: `vars` under `group` (or at the root for ''), named `name`. */
export interface VarsGroup {
  group: string;
  name: string;
  datasets: readonly ({ shape: readonly number[]; values: Float32Array } | { scalarInt64: bigint })[];
}

/** Writes `model.weights.h5` as Keras's H5IOStore does: `<group>/vars/<i>` datasets, each group's `name` attribute. */
export async function writeWeightsH5(groups: readonly VarsGroup[]): Promise<Uint8Array> {
  const { api, fs } = await h5wasm();
  const scratch = scratchName();
  let h5: H5File | undefined;
  try {
    h5 = new api.File(scratch, 'w');
    for (const { group, name, datasets } of groups) {
      let parent: H5Group = h5;
      for (const part of group === '' ? [] : group.split('/')) {
        parent = (parent.keys().includes(part) ? parent.get(part) : parent.create_group(part)) as H5Group;
      }
      const vars = parent.create_group('vars');
      vars.create_attribute('name', name);
      datasets.forEach((dataset, i) => {
        if ('scalarInt64' in dataset) {
          vars.create_dataset({
            name: String(i),
            data: new BigInt64Array([dataset.scalarInt64]),
            shape: [],
            dtype: '<q',
          });
        } else {
          vars.create_dataset({
            name: String(i),
            data: dataset.values,
            shape: [...dataset.shape],
            dtype: '<f',
          });
        }
      });
    }
    h5.close();
    h5 = undefined;
    return fs.readFile(scratch).slice();
  } catch (error) {
    if (error instanceof MnistModelError) throw error;
    throw new MnistModelError(
      'WRITE_FAILED',
      `Could not write the weights of a .keras file: ${firstLine(error)}`,
      {
        cause: error,
      },
    );
  } finally {
    try {
      h5?.close();
    } catch {
      // reported above
    }
    try {
      fs.unlink(scratch);
    } catch {
      // never written
    }
  }
}
