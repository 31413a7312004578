// Property-based fuzzing of model loading (issue 12): random and mutated model.json documents and weights, from
// memory and from a directory on disk, must give a typed MnistModelError or a model that works, never another
// exception, a hang or runaway memory. Bounded in time and runs; seeded so that a failure replays.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createModel,
  initBackend,
  loadModel,
  type MnistModel,
  MnistModelError,
  type ModelJson,
  modelToFiles,
  predict,
} from '../src/node.js';

let json: ModelJson;
let weights: Uint8Array;
let work: string;
let counter = 0;

beforeAll(async () => {
  await initBackend('cpu', { log: false });
  const model = createModel('mlp', { seed: 11 });
  const files = await modelToFiles(model);
  model.layersModel.dispose();
  json = files.modelJson;
  weights = new Uint8Array(files.weights);
  work = await mkdtemp(join(tmpdir(), 'mnist-fuzz-'));
});

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

/** Paths to every value inside a JSON document (keys and indices), to pick one to mutate. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  } else if (typeof value === 'object' && value !== null)
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  if (remove && !Array.isArray(node)) delete node[last];
  else node[last] = value;
  return copy;
}

/** Values that stress sizes and types: huge and odd numbers, hostile strings, nested junk. */
const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(
    -1,
    0,
    1e9,
    2 ** 31,
    4096 * 4096,
    1e300,
    Number.NaN,
    null,
    '',
    '../weights.bin',
    '/etc/passwd',
    '\\\\host\\x',
    'float64',
    'string',
    [[1e6, 1e6]],
    [null, 1e9],
  ),
  fc.integer({ min: -10, max: 10_000_000 }),
);

/** A model.json mutation: one value replaced or removed somewhere in the document, possibly several times. */
const mutatedJson = fc
  .array(fc.tuple(fc.nat(), nasty, fc.boolean()), { minLength: 1, maxLength: 3 })
  .map((edits) => {
    let doc: unknown = json;
    for (const [pick, value, remove] of edits) {
      const all = paths(doc);
      doc = setAt(doc, all[pick % all.length] as (string | number)[], value, remove);
    }
    return doc;
  });

/** The document as text, sometimes truncated or with bytes flipped. */
const jsonText = fc.tuple(mutatedJson, fc.nat(), fc.integer({ min: 0, max: 3 })).map(([doc, at, how]) => {
  const text = JSON.stringify(doc) ?? 'null';
  if (how === 1) return text.slice(0, at % (text.length + 1));
  if (how === 2) {
    const i = at % Math.max(1, text.length);
    return `${text.slice(0, i)}\u0000{"${text.slice(i)}`;
  }
  return text;
});

/** Weights truncated, extended, or with random bytes (including NaN patterns) written into them. */
const mutatedWeights = fc
  .tuple(fc.integer({ min: 0, max: 4 }), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }))
  .map(([how, at, bytes]) => {
    const copy = weights.slice();
    const offset = at % copy.length;
    if (how === 0) return copy;
    if (how === 1) return copy.subarray(0, offset);
    if (how === 2) return Uint8Array.from([...copy, ...bytes]);
    copy.set(bytes.subarray(0, copy.length - offset), offset);
    return copy;
  });

/** Loads, and if a model comes back, checks that it works; any failure must be a MnistModelError. */
async function loadsOrRefuses(load: () => Promise<MnistModel>): Promise<void> {
  const tensorsBefore = tf.memory().numTensors;
  let model: MnistModel | undefined;
  try {
    model = await load();
  } catch (error) {
    if (!(error instanceof MnistModelError)) throw error;
    expect(error.message.length).toBeGreaterThan(20);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    return;
  }
  try {
    const out = await predict(model, new Float32Array(784 * 2).fill(0.5));
    expect(out).toHaveLength(20);
    for (const p of out) expect(Number.isFinite(p)).toBe(true);
  } finally {
    model.layersModel.dispose();
  }
}

const timeLimit = { interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false };

describe('fuzzing model loading', () => {
  it('from memory: a typed error or a working model, never anything else', async () => {
    const rssBefore = process.memoryUsage().rss;
    await fc.assert(
      fc.asyncProperty(jsonText, mutatedWeights, (text, bytes) =>
        loadsOrRefuses(() => loadModel({ modelJson: text, weights: bytes })),
      ),
      { numRuns: 300, seed: 20261201, ...timeLimit },
    );
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(512 * 1024 ** 2);
  }, 60_000);

  it('from a directory: the same, with mutated weight paths and manifests on real files', async () => {
    await fc.assert(
      fc.asyncProperty(jsonText, mutatedWeights, async (text, bytes) => {
        const dir = join(work, `case-${counter++}`);
        await mkdir(dir);
        await writeFile(join(dir, 'model.json'), text);
        await writeFile(join(dir, 'weights.bin'), bytes);
        await loadsOrRefuses(() => loadModel(dir));
        await rm(dir, { recursive: true, force: true });
      }),
      { numRuns: 200, seed: 4242, ...timeLimit },
    );
  }, 60_000);

  it('random bytes as model.json and as weights are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), fc.uint8Array({ maxLength: 4096 }), (a, b) =>
        loadsOrRefuses(() => loadModel({ modelJson: a, weights: b })),
      ),
      { numRuns: 200, seed: 7, ...timeLimit },
    );
  }, 60_000);
});
