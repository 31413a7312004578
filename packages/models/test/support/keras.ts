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
