import { type DatasetInfo, type FileRole, rolesOf, SPLIT_FILES, SPLITS, type SplitName } from './datasets.js';
import { MnistDataError } from './errors.js';
import { type IdxImages, type IdxLabels, parseIdxImages, parseIdxLabels } from './idx.js';
import { MnistSplit } from './split.js';

/** One of the four files of a data set, uncompressed and parsed, with the SHA-256 of its content. */
export interface DecodedFile {
  role: FileRole;
  /** Name or path shown in messages. */
  displayName: string;
  parsed: IdxImages | IdxLabels;
  /** SHA-256 (hex) of the uncompressed bytes. */
  sha256: string;
}

/** True for the two image files of a data set. */
export function isImageRole(role: FileRole): boolean {
  return role === 'trainImages' || role === 'testImages';
}

/**
 * Parses one uncompressed file of a data set and checks its structure: the right kind (images or labels), 28×28
 * images, the number of examples the data set has. Does not check the hash (see {@link verifyFile}).
 */
export function decodeFile(
  info: DatasetInfo,
  role: FileRole,
  bytes: Uint8Array,
  sha256: string,
  displayName: string,
): DecodedFile {
  const parsed = isImageRole(role) ? parseIdxImages(bytes, displayName) : parseIdxLabels(bytes, displayName);
  if (parsed.kind === 'images' && (parsed.rows !== 28 || parsed.cols !== 28)) {
    throw new MnistDataError(
      'BAD_SHAPE',
      `${displayName} holds ${parsed.rows}×${parsed.cols} images; ${info.title} images are 28×28. Is this the right file?`,
      { file: displayName },
    );
  }
  return { role, displayName, parsed, sha256 };
}

/** Checks a decoded file's content hash against the published one. */
export function verifyFile(info: DatasetInfo, file: DecodedFile): void {
  const expected = info.sha256[file.role];
  if (file.sha256 !== expected) {
    throw new MnistDataError(
      'CHECKSUM_MISMATCH',
      `${file.displayName} is not the published ${info.title} file ${info.files[file.role]}: ` +
        `SHA-256 of its uncompressed content is ${file.sha256}, expected ${expected}. ` +
        'It is damaged or a different file: delete it and load again (a fresh copy will be looked for or downloaded).',
      { file: file.displayName, expected, actual: file.sha256 },
    );
  }
}

/**
 * Pairs decoded files into splits (both by default, or the ones in `splits`, each from its two files): checks that
 * images and labels agree on the number of examples (`COUNT_MISMATCH`), then that every file has the published hash
 * (`CHECKSUM_MISMATCH`).
 *
 * @throws {@link MnistDataError} those codes, or `BAD_INPUT` if a file a split needs is not among `files`.
 */
export function assembleSplits<S extends SplitName = SplitName>(
  info: DatasetInfo,
  files: Readonly<Partial<Record<FileRole, DecodedFile>>>,
  splits: readonly S[] = SPLITS as readonly S[],
): Record<S, MnistSplit> {
  const roles = rolesOf(splits);
  const missing = roles.filter((role) => files[role] === undefined);
  if (missing.length > 0) {
    throw new MnistDataError('BAD_INPUT', `assembleSplits needs the decoded ${missing.join(', ')} file(s).`);
  }
  const result = {} as Record<S, MnistSplit>;
  for (const split of splits) {
    const images = files[SPLIT_FILES[split].images] as DecodedFile;
    const labels = files[SPLIT_FILES[split].labels] as DecodedFile;
    const pixels = images.parsed as IdxImages;
    const values = labels.parsed as IdxLabels;
    if (pixels.count !== values.count) {
      throw new MnistDataError(
        'COUNT_MISMATCH',
        `${images.displayName} holds ${pixels.count} images but ${labels.displayName} holds ${values.count} labels. ` +
          'The two files must belong to the same split: check that none was renamed or swapped.',
        { file: labels.displayName },
      );
    }
    result[split] = new MnistSplit(pixels.pixels, values.labels, pixels.rows, pixels.cols);
  }
  for (const role of roles) verifyFile(info, files[role] as DecodedFile);
  return result;
}
