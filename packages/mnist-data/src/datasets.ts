import { MnistDataError } from './errors.js';

/** The data sets this package knows how to load and verify. */
export type DatasetName = 'mnist' | 'fashion-mnist';

/** The four files of a data set, by role. */
export type FileRole = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** All file roles, in the order they are loaded (labels first: they are small and fail fast). */
export const FILE_ROLES: readonly FileRole[] = ['trainLabels', 'testLabels', 'trainImages', 'testImages'];

/** The two splits of a data set. */
export type SplitName = 'train' | 'test';

/** Both splits, in their usual order. */
export const SPLITS: readonly SplitName[] = ['train', 'test'];

/** The image and label files of each split. */
export const SPLIT_FILES = {
  train: { images: 'trainImages', labels: 'trainLabels' },
  test: { images: 'testImages', labels: 'testLabels' },
} as const satisfies Record<SplitName, { images: FileRole; labels: FileRole }>;

/** The file roles a set of splits needs, e.g. `'testImages' | 'testLabels'` for `'test'`. */
export type SplitFileRole<S extends SplitName> = (typeof SPLIT_FILES)[S]['images' | 'labels'];

/** The split a file belongs to. */
export function splitOf(role: FileRole): SplitName {
  return role === 'trainImages' || role === 'trainLabels' ? 'train' : 'test';
}

/**
 * Checks a `splits` option: a non-empty list of known split names. Returns them without repeats, in the usual order.
 *
 * @throws {@link MnistDataError} `BAD_INPUT` for an empty list or an unknown name.
 */
export function resolveSplits<S extends SplitName>(splits: readonly S[] | undefined): S[] {
  if (splits === undefined) return [...SPLITS] as S[];
  const unknown = (splits as readonly unknown[]).filter((s) => !(SPLITS as readonly unknown[]).includes(s));
  if (!Array.isArray(splits) || splits.length === 0 || unknown.length > 0) {
    throw new MnistDataError(
      'BAD_INPUT',
      `splits must list one or both of ${SPLITS.map((s) => `'${s}'`).join(' and ')}` +
        `${unknown.length > 0 ? `; got ${unknown.map((s) => JSON.stringify(s)).join(', ')}` : ' (it is empty)'}.`,
    );
  }
  return SPLITS.filter((s) => (splits as readonly SplitName[]).includes(s)) as S[];
}

/** The files the given splits need, in loading order ({@link FILE_ROLES}). */
export function rolesOf(splits: readonly SplitName[]): FileRole[] {
  return FILE_ROLES.filter((role) => splits.includes(splitOf(role)));
}

/** What this package knows about one data set: file names, published hashes, mirrors and class names. */
export interface DatasetInfo {
  /** Identifier used in options and cache folder names. */
  name: DatasetName;
  /** Display name. */
  title: string;
  /** File names (without `.gz`), as published by the original authors. */
  files: Readonly<Record<FileRole, string>>;
  /**
   * SHA-256 (hex) of each file's UNCOMPRESSED content. Verifying the content rather than the `.gz` bytes means a
   * recompressed copy (such as Debian's Fashion-MNIST) still verifies.
   */
  sha256: Readonly<Record<FileRole, string>>;
  /** SHA-256 of the `.gz` files as the mirrors serve them, where known (informational; loading checks `sha256`). */
  gzSha256?: Readonly<Record<FileRole, string>>;
  /** Size in bytes of the `.gz` files as the mirrors serve them (see {@link maxFileBytes} for how it bounds reads). */
  gzBytes: Readonly<Record<FileRole, number>>;
  /** Base URLs (ending in `/`) that serve `<file>.gz`, tried in order. */
  mirrors: readonly string[];
  /** Number of examples in the training and test splits. */
  counts: Readonly<{ train: number; test: number }>;
  /** Human-readable name of each class, indexed by label. */
  classNames: readonly string[];
  /** Who made the data and under which licence: show it where the data is shown or redistributed. */
  credit: string;
}

/** Known data sets: everything needed to find, download and verify them. */
export const DATASETS: Readonly<Record<DatasetName, DatasetInfo>> = {
  mnist: {
    name: 'mnist',
    title: 'MNIST',
    files: {
      trainImages: 'train-images-idx3-ubyte',
      trainLabels: 'train-labels-idx1-ubyte',
      testImages: 't10k-images-idx3-ubyte',
      testLabels: 't10k-labels-idx1-ubyte',
    },
    sha256: {
      trainImages: 'ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db',
      trainLabels: '65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5',
      testImages: '0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7',
      testLabels: 'ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2',
    },
    gzSha256: {
      trainImages: '440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609',
      trainLabels: '3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c',
      testImages: '8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6',
      testLabels: 'f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6',
    },
    gzBytes: { trainImages: 9_912_422, trainLabels: 28_881, testImages: 1_648_877, testLabels: 4_542 },
    // TensorFlow Datasets' mirror, then torchvision's. Never yann.lecun.com: it refuses automated downloads.
    mirrors: [
      'https://storage.googleapis.com/cvdf-datasets/mnist/',
      'https://ossci-datasets.s3.amazonaws.com/mnist/',
    ],
    counts: { train: 60000, test: 10000 },
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    credit:
      'MNIST by Yann LeCun, Corinna Cortes and Christopher J.C. Burges, licensed under CC BY-SA 3.0 (https://creativecommons.org/licenses/by-sa/3.0/).',
  },
  'fashion-mnist': {
    name: 'fashion-mnist',
    title: 'Fashion-MNIST',
    files: {
      trainImages: 'train-images-idx3-ubyte',
      trainLabels: 'train-labels-idx1-ubyte',
      testImages: 't10k-images-idx3-ubyte',
      testLabels: 't10k-labels-idx1-ubyte',
    },
    sha256: {
      trainImages: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
      trainLabels: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
      testImages: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
      testLabels: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
    },
    // As Zalando's bucket serves them (Debian's recompressed copies are 24 bytes smaller: no file name inside).
    gzBytes: { trainImages: 26_421_880, trainLabels: 29_515, testImages: 4_422_102, testLabels: 5_148 },
    // Zalando Research's own bucket (the one TFDS and torchvision use).
    mirrors: ['http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/'],
    counts: { train: 60000, test: 10000 },
    classNames: [
      'T-shirt/top',
      'Trouser',
      'Pullover',
      'Dress',
      'Coat',
      'Sandal',
      'Shirt',
      'Sneaker',
      'Bag',
      'Ankle boot',
    ],
    credit: 'Fashion-MNIST by Zalando Research (Han Xiao, Kashif Rasul, Roland Vollgraf), MIT licence.',
  },
};

/** Returns the {@link DatasetInfo} for a name, or throws a `BAD_INPUT` error listing the known names. */
export function datasetInfo(name: DatasetName): DatasetInfo {
  const info = (DATASETS as Record<string, DatasetInfo | undefined>)[name];
  if (!info) {
    throw new MnistDataError(
      'BAD_INPUT',
      `Unknown data set "${String(name)}". Known data sets: ${Object.keys(DATASETS).join(', ')}.`,
    );
  }
  return info;
}

/** IDX header sizes: magic and count, plus rows and columns for images. */
const HEADER_BYTES = { images: 16, labels: 8 } as const;

/** Size in bytes of a file's uncompressed content: its IDX header, then one byte per pixel or label. */
export function contentBytes(info: DatasetInfo, role: FileRole): number {
  const count = info.counts[splitOf(role)];
  const isImages = role === 'trainImages' || role === 'testImages';
  return isImages ? HEADER_BYTES.images + count * 28 * 28 : HEADER_BYTES.labels + count;
}

/**
 * The most bytes a genuine copy of a file can take, gzipped or not: the published `.gz` size, or the content size
 * plus the most gzip can add (zlib's deflateBound for incompressible input, and 1 KiB of header fields such as a
 * file name), whichever is larger. Reads and downloads stop there, so a hostile or broken source costs at most this
 * much memory. Not the `.gz` size alone: the content hash is what proves a copy genuine, and a recompressed copy
 * (Debian's Fashion-MNIST, the web demo's, `gzip -1` of MNIST's training images: 10.9 MB against 9.9 MB) may
 * legitimately be larger than the published `.gz`.
 */
export function maxFileBytes(info: DatasetInfo, role: FileRole): number {
  const n = contentBytes(info, role);
  const gzipBound = n + (n >>> 12) + (n >>> 14) + (n >>> 25) + 13 + 18 + 1024;
  return Math.max(info.gzBytes[role], gzipBound);
}
