// The Keras 3 fixtures (test/fixtures/keras/, made by scripts/keras/make_keras_fixtures.py and
// scripts/keras/export-keras-fixtures.ts) and Keras's own figures for them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The fixtures folder. */
export const KERAS_FIXTURES = fileURLToPath(new URL('../fixtures/keras/', import.meta.url));

/** What Keras's `evaluate` gave on the 10,000 test images. */
export interface KerasEvaluation {
  loss: number;
  accuracy: number;
  correct: number;
  count: number;
}

/** figures.json. */
export interface KerasFigures {
  versions: { keras: string; tensorflow: string; backend: string };
  fromKeras: Record<string, KerasEvaluation & { file: string; input: 'flat' | 'image' | '28x28' }>;
  toKeras: Record<
    string,
    {
      file: string;
      warnings: string[];
      compiled: boolean;
      optimizer: string;
      learningRate: number;
      loss: string;
      metrics: unknown;
      input: 'flat' | 'image';
      mnistMetadata: Record<string, unknown> | null;
      evaluate: KerasEvaluation;
    }
  >;
}

/** The recorded figures. */
export function kerasFigures(): KerasFigures {
  return JSON.parse(readFileSync(`${KERAS_FIXTURES}figures.json`, 'utf8')) as KerasFigures;
}

/** A fixture's bytes. */
export function fixtureBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(`${KERAS_FIXTURES}${relative}`));
}

/** One dataset of an HDF5 file: its shape and values. */
export interface H5Entry {
  shape: number[];
  values: number[];
}

/** Every dataset of an HDF5 file by path, and every group's `name` attribute, read with h5wasm. */
export async function h5Contents(
  bytes: Uint8Array,
): Promise<{ datasets: Record<string, H5Entry>; names: Record<string, string> }> {
  const { default: h5 } = await import('h5wasm');
  const started = await h5.ready;
  const path = `/test-${Math.random().toString(16).slice(2)}.h5`;
  started.FS.writeFile(path, bytes);
  const file = new h5.File(path, 'r');
  const datasets: Record<string, H5Entry> = {};
  const names: Record<string, string> = {};
  try {
    const walk = (group: InstanceType<typeof h5.Group>, prefix: string): void => {
      const name = group.attrs.name?.value;
      if (typeof name === 'string') names[prefix] = name;
      for (const key of group.keys()) {
        const entity = group.get(key);
        const at = prefix === '' ? key : `${prefix}/${key}`;
        if (entity instanceof h5.Group) walk(entity, at);
        else if (entity instanceof h5.Dataset) {
          const value = entity.value;
          datasets[at] = {
            shape: entity.shape ?? [],
            values: ArrayBuffer.isView(value)
              ? Array.from(value as ArrayLike<number | bigint>, Number)
              : [Number(value)],
          };
        }
      }
    };
    walk(file, '');
  } finally {
    file.close();
    started.FS.unlink(path);
  }
  return { datasets, names };
}
