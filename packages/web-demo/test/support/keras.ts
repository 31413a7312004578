import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * The `.keras` fixtures of @mnist/models (`test/fixtures/keras`): `from-keras/` made by Keras 3 itself
 * (scripts/keras/make_keras_fixtures.py: the Keras tutorial's simple and mlp, keras.io's convnet, …), `refused/`
 * files the reader must refuse (a Lambda layer, a custom layer, logits out).
 */
export const KERAS_FIXTURES = join(
  dirname(createRequire(import.meta.url).resolve('@mnist/models/package.json')),
  'test/fixtures/keras',
);

/** A fixture's path, e.g. `kerasFixture('from-keras/mlp.keras')`. */
export const kerasFixture = (name: string) => join(KERAS_FIXTURES, name);

/** A fixture's bytes. */
export async function kerasBytes(name: string): Promise<Uint8Array<ArrayBuffer>> {
  return Uint8Array.from(await readFile(kerasFixture(name)));
}
