// A .keras file is untrusted input, like a model.json: these tests hand loadModel hostile archives, configs and
// weights files and check that each is refused with a typed error naming the file and the problem, before anything
// out of proportion is inflated, allocated or built, and that nothing in the file is run.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Zippable, unzipSync, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, loadModel, type MnistModel, MnistModelError } from '../src/node.js';
import { MAX_KERAS_FILE_BYTES } from '../src/io/limits.js';
import { fixtureBytes, KERAS_FIXTURES } from './support/keras.js';

type Json = Record<string, unknown>;
const SIMPLE = 'from-keras/simple.keras';
let simple: Record<string, Uint8Array>;
const loaded: MnistModel[] = [];

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  simple = unzipSync(fixtureBytes(SIMPLE));
});

afterAll(() => {
  for (const model of loaded) model.layersModel.dispose();
});

async function refused(bytes: Uint8Array, code: string, why: RegExp): Promise<MnistModelError> {
  const error = await loadModel({ keras: bytes, name: 'hostile.keras' }).then(
    (model) => {
      loaded.push(model);
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MnistModelError);
  expect((error as MnistModelError).code).toBe(code);
  expect((error as MnistModelError).message).toContain('hostile.keras');
  expect((error as MnistModelError).message).toMatch(why);
  expect((error as MnistModelError).file).toMatch(/^hostile\.keras/);
  return error as MnistModelError;
}

const config = (): Json => JSON.parse(new TextDecoder().decode(simple['config.json']));
const dense = (c: Json): Json => ((c.config as Json).layers as Json[])[1] as Json;

function rezip(changes: Zippable): Uint8Array {
  return zipSync({ ...simple, ...changes });
}

function withConfig(edit: (c: Json) => void): Uint8Array {
  const c = config();
  edit(c);
  return rezip({ 'config.json': new TextEncoder().encode(JSON.stringify(c)) });
}

/** A weights file with exactly these datasets (float32 unless given as Float64Array) and optional extras. */
async function h5(
  datasets: Record<string, { data: Float32Array | Float64Array; shape: number[] }>,
  extra?: (file: import('h5wasm').File) => void,
): Promise<Uint8Array> {
  const { default: h5wasm } = await import('h5wasm');
  const started = await h5wasm.ready;
  const path = `/hostile-${Math.random().toString(16).slice(2)}.h5`;
  const file = new h5wasm.File(path, 'w');
  for (const [at, { data, shape }] of Object.entries(datasets)) {
    const parts = at.split('/');
    const name = parts.pop() as string;
    let group: import('h5wasm').Group = file;
    for (const part of parts) {
      group = (
        group.keys().includes(part) ? group.get(part) : group.create_group(part)
      ) as import('h5wasm').Group;
    }
    group.create_dataset({ name, data, shape, dtype: data instanceof Float64Array ? '<d' : '<f' });
  }
  extra?.(file);
  file.close();
  const bytes = started.FS.readFile(path).slice();
  started.FS.unlink(path);
  return bytes;
}

const kernel = () => ({ data: new Float32Array(7840).fill(0.01), shape: [784, 10] });
const bias = () => ({ data: new Float32Array(10), shape: [10] });

/** Offsets of every zip record with this signature (local 0x04034b50, central 0x02014b50). */
function records(bytes: Uint8Array, signature: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i++) if (view.getUint32(i, true) === signature) found.push(i);
  return found;
}

describe('loadModel refuses hostile .keras archives', () => {
  it('loads the untouched fixture (the baseline every case below changes)', async () => {
    const model = await loadModel({ keras: rezip({}), name: 'hostile.keras' });
    loaded.push(model);
    expect(model.name).toBe('simple');
  });

  it('refuses bytes that are not a zip archive, and a truncated one', async () => {
    await refused(new TextEncoder().encode('{"not": "a zip"}'), 'CORRUPT_FILE', /not a zip archive/);
    await refused(new Uint8Array(0), 'CORRUPT_FILE', /not a zip archive/);
    const whole = fixtureBytes(SIMPLE);
    await refused(
      whole.subarray(0, whole.length >> 1),
      'CORRUPT_FILE',
      /not a zip archive, or a truncated one/,
    );
    await refused(whole.subarray(0, whole.length - 30), 'CORRUPT_FILE', /truncated|not a zip/);
  });

  it('refuses a zip bomb from its declared sizes, before inflating anything', async () => {
    const bomb = zipSync({ ...simple, 'model.weights.h5': [new Uint8Array(64 << 20), { level: 9 }] });
    expect(bomb.length).toBeLessThan(1 << 20);
    const view = new DataView(bomb.buffer);
    for (const at of records(bomb, 0x02014b50)) view.setUint32(at + 24, 0xffffffff, true); // declared size
    await refused(bomb, 'CORRUPT_FILE', /declares 4294967295 bytes, more than the \d+ read for it/);
  });

  it('stops inflating an entry that inflates past the size it declares (a bomb that lies about its size)', async () => {
    const bomb = zipSync({ ...simple, 'model.weights.h5': [new Uint8Array(64 << 20), { level: 9 }] });
    const view = new DataView(bomb.buffer);
    // Both headers say 1 kB; the data inflates to 64 MiB. Nothing past the 1 kB buffer is kept: the first chunk
    // that would overflow it stops the inflation.
    for (const at of records(bomb, 0x02014b50))
      if (view.getUint32(at + 24, true) === 64 << 20) view.setUint32(at + 24, 1024, true);
    for (const at of records(bomb, 0x04034b50))
      if (view.getUint32(at + 22, true) === 64 << 20) view.setUint32(at + 22, 1024, true);
    await refused(
      bomb,
      'CORRUPT_FILE',
      /model\.weights\.h5 inflates to more than the 1024 bytes it declares \(a zip bomb\)/,
    );
  });

  it('refuses an entry holding less than it declares', async () => {
    const short = zipSync({ ...simple }, { level: 0 });
    const view = new DataView(short.buffer);
    const size = simple['config.json']?.length as number;
    for (const at of records(short, 0x02014b50))
      if (view.getUint32(at + 24, true) === size) view.setUint32(at + 24, size + 5, true);
    await refused(short, 'CORRUPT_FILE', /config\.json holds \d+ of the \d+ bytes it declares/);
  });

  it('refuses too many entries, unknown entries and names that climb out, using no name as a path', async () => {
    const many: Zippable = { ...simple };
    for (let i = 0; i < 20; i++) many[`assets/${i}.txt`] = new Uint8Array(1);
    await refused(zipSync(many), 'CORRUPT_FILE', /lists more than 16 entries/);
    await refused(
      rezip({ '../../evil.sh': new Uint8Array(1) }),
      'CORRUPT_FILE',
      /holds the entry "\.\.\/\.\.\/evil\.sh"/,
    );
    await refused(
      rezip({ 'assets/../../evil.sh': new Uint8Array(1) }),
      'CORRUPT_FILE',
      /assets\/\.\.\/\.\.\/evil\.sh/,
    );
    await refused(
      rezip({ '/etc/cron.d/x': new Uint8Array(1) }),
      'CORRUPT_FILE',
      /holds the entry "\/etc\/cron\.d\/x"/,
    );
    const missing: Zippable = { ...simple };
    delete missing['model.weights.h5'];
    await refused(zipSync(missing), 'CORRUPT_FILE', /it has no model\.weights\.h5/);
  });
});

describe('loadModel runs nothing from a .keras config and converts only what it knows', () => {
  it("refuses Keras's own Lambda layer and custom-object files by name", async () => {
    const lambda = await refused(
      fixtureBytes('refused/lambda.keras'),
      'UNSUPPORTED',
      /a Lambda layer \(Lambda 'lambda'\), which holds Python code/,
    );
    expect(lambda.message).toMatch(/never runs code from a model file/);
    await refused(
      fixtureBytes('refused/custom-layer.keras'),
      'UNSUPPORTED',
      /the custom object "Fixture>Doubling" \(Doubling 'doubling'\)/,
    );
  });

  it('refuses serialized functions, lambdas and objects from modules outside Keras anywhere in the config', async () => {
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).activation = {
          module: 'builtins',
          class_name: 'function',
          config: 'evil',
          registered_name: 'function',
        };
      }),
      'UNSUPPORTED',
      /a serialized Python function/,
    );
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).activation = { class_name: '__lambda__', config: { code: 'AAAA' } };
      }),
      'UNSUPPORTED',
      /a serialized Python lambda/,
    );
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).kernel_initializer = {
          module: 'os',
          class_name: 'system',
          config: {},
          registered_name: null,
        };
      }),
      'UNSUPPORTED',
      /system from module "os"/,
    );
  });

  it('names an unsupported layer and what is supported; refuses settings tfjs cannot reproduce', async () => {
    const lstm = await refused(
      withConfig((c) => {
        dense(c).class_name = 'LSTM';
      }),
      'UNSUPPORTED',
      /layer 'dense' is a LSTM, which the \.keras reader does not convert; supported: InputLayer, Dense, Conv2D/,
    );
    expect(lstm.message).toMatch(/Softmax/);
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).lora_rank = 4;
      }),
      'UNSUPPORTED',
      /Dense layer 'dense' sets lora_rank to 4/,
    );
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).dtype = {
          module: 'keras',
          class_name: 'DTypePolicy',
          config: { name: 'mixed_float16' },
          registered_name: null,
        };
      }),
      'UNSUPPORTED',
      /computes in "mixed_float16"; only float32 layers load/,
    );
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).activation = 'gelu';
      }),
      'UNSUPPORTED',
      /uses the activation "gelu"; supported: linear, relu/,
    );
  });

  it('sizes the topology before reading any weight: a Dense of 10⁸ units is refused from the config', async () => {
    await refused(
      withConfig((c) => {
        (dense(c).config as Json).units = 100_000_000;
      }),
      'CORRUPT_FILE',
      /units is 100000000/,
    );
  });

  it('refuses a model that gives logits, saying how to fix it', async () => {
    const error = await refused(
      fixtureBytes('refused/logits.keras'),
      'WRONG_ARCHITECTURE',
      /gives logits \(no activation\)/,
    );
    expect(error.message).toMatch(/keras\.layers\.Softmax\(\)/);
  });

  it('refuses a config that is not JSON', async () => {
    await refused(
      rezip({ 'config.json': new TextEncoder().encode('{"class_name": ') }),
      'CORRUPT_FILE',
      /its config\.json is not valid JSON/,
    );
  });
});

describe('loadModel checks every weight of model.weights.h5 against the config', () => {
  const weights = async (datasets: Parameters<typeof h5>[0], extra?: Parameters<typeof h5>[1]) =>
    rezip({ 'model.weights.h5': await h5(datasets, extra) });

  it('loads weights written from scratch in the right places (the checks below start from this)', async () => {
    const model = await loadModel({
      keras: await weights({ 'layers/dense/vars/0': kernel(), 'layers/dense/vars/1': bias() }),
      name: 'hostile.keras',
    });
    loaded.push(model);
    expect(model.layersModel.countParams()).toBe(7850);
  });

  it('names a missing, extra, wrong-shaped or wrongly typed weight', async () => {
    await refused(
      await weights({ 'layers/dense/vars/0': kernel() }),
      'CORRUPT_FILE',
      /weight dense\/bias \(layers\/dense\/vars\/1\) is missing/,
    );
    await refused(
      await weights({}),
      'CORRUPT_FILE',
      /no weights for layer 'dense' \(layers\/dense\/vars is missing\)/,
    );
    await refused(
      await weights({
        'layers/dense/vars/0': kernel(),
        'layers/dense/vars/1': bias(),
        'layers/dense/vars/2': bias(),
      }),
      'CORRUPT_FILE',
      /layers\/dense\/vars holds 1 more dataset\(s\) \(2\) than layer 'dense' has weights \(2\)/,
    );
    await refused(
      await weights({
        'layers/dense/vars/0': kernel(),
        'layers/dense/vars/1': bias(),
        'layers/dense_9/vars/0': bias(),
      }),
      'CORRUPT_FILE',
      /holds weights for layers the config does not have \(layers\/dense_9\)/,
    );
    await refused(
      await weights({
        'layers/dense/vars/0': { data: new Float32Array(784 * 9), shape: [784, 9] },
        'layers/dense/vars/1': bias(),
      }),
      'CORRUPT_FILE',
      /weight dense\/kernel \(layers\/dense\/vars\/0\) has shape \[784, 9\] but the config needs \[784, 10\]/,
    );
    await refused(
      await weights({
        'layers/dense/vars/0': { data: new Float64Array(7840), shape: [784, 10] },
        'layers/dense/vars/1': bias(),
      }),
      'CORRUPT_FILE',
      /weight dense\/kernel \(layers\/dense\/vars\/0\) is stored as 64-bit floats; only float32 weights load/,
    );
  });

  it('refuses links where weights belong, and NaN weights', async () => {
    await refused(
      await weights({ 'layers/dense/vars/0': kernel() }, (file) => {
        (file.get('layers/dense/vars') as import('h5wasm').Group).create_external_link(
          '/etc/passwd',
          '/x',
          '1',
        );
      }),
      'CORRUPT_FILE',
      /layers\/dense\/vars\/1 is a link or a named type, not a group or dataset/,
    );
    const nan = kernel();
    nan.data[123] = Number.NaN;
    await refused(
      await weights({ 'layers/dense/vars/0': nan, 'layers/dense/vars/1': bias() }),
      'CORRUPT_FILE',
      /non-finite value \(NaN or ±Infinity\) in weight 'dense\/kernel' at index 123/,
    );
  });

  it('refuses a weights file that is not HDF5', async () => {
    await refused(
      rezip({ 'model.weights.h5': new TextEncoder().encode('not hdf5') }),
      'CORRUPT_FILE',
      /HDF5 cannot read it/,
    );
  });
});

it('reads no file of the host through the fixture folder (sanity: the folder is where the tests think)', () => {
  expect(KERAS_FIXTURES.endsWith('/fixtures/keras/')).toBe(true);
});

describe('loadModel("x.keras") reads only a regular file of bounded size', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'mnist-keras-hostile-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('refuses a FIFO, a directory and a file over the cap without reading them, and names a missing file', async () => {
    const fifo = join(work, 'fifo.keras');
    execFileSync('mkfifo', [fifo]);
    const fromFifo = await loadModel(fifo).catch((e: unknown) => e);
    expect((fromFifo as MnistModelError).message).toMatch(/is not a regular file/);
    await mkdir(join(work, 'dir.keras'));
    expect(((await loadModel(join(work, 'dir.keras')).catch((e: unknown) => e)) as Error).message).toMatch(
      /is not a regular file/,
    );
    const huge = join(work, 'huge.keras');
    await writeFile(huge, '');
    await truncate(huge, MAX_KERAS_FILE_BYTES + 1);
    const tooBig = (await loadModel(huge).catch((e: unknown) => e)) as MnistModelError;
    expect(tooBig.code).toBe('CORRUPT_FILE');
    expect(tooBig.message).toMatch(/more than the \d+ read for a \.keras file/);
    const missing = (await loadModel(join(work, 'nope.keras')).catch((e: unknown) => e)) as MnistModelError;
    expect(missing.code).toBe('NOT_FOUND');
    expect(missing.message).toMatch(/No \.keras file at .*nope\.keras/);
  });
});
