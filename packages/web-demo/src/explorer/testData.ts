import {
  DATASETS,
  decodeFile,
  type FileRole,
  gunzipWeb,
  isGzip,
  type IdxImages,
  type IdxLabels,
  MnistDataError,
  MnistSplit,
  sha256HexWeb,
  verifyFile,
} from '@mnist/data';
import { dataUrl } from '../data/location';

/** The two files the explorer needs, in fetch order (labels first: tiny, so a broken deployment fails fast). */
export const TEST_FILE_ROLES = ['testLabels', 'testImages'] as const satisfies readonly FileRole[];

/** Progress over both files. */
export interface TestDataProgress {
  bytesDone: number;
  /** Sum of the sizes announced so far, undefined until every file announced one. */
  bytesTotal: number | undefined;
}

/** The `.gz` file name of a test file. */
export function testFileName(role: (typeof TEST_FILE_ROLES)[number]): string {
  return `${DATASETS.mnist.files[role]}.gz`;
}

async function fetchWithProgress(
  url: string,
  signal: AbortSignal | undefined,
  onBytes: (done: number, total: number | undefined) => void,
): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, signal ? { signal } : {});
  } catch (cause) {
    if (signal?.aborted)
      throw new MnistDataError('ABORTED', 'Loading the test set was cancelled.', { cause });
    throw new MnistDataError('DOWNLOAD_FAILED', `Could not fetch ${url}: ${String(cause)}`, { cause });
  }
  if (!response.ok || !response.body) {
    throw new MnistDataError(
      'DOWNLOAD_FAILED',
      `${url} answered HTTP ${response.status}: this deployment of the demo is missing its MNIST test files.`,
    );
  }
  const length = Number(response.headers.get('content-length'));
  const encoded = response.headers.get('content-encoding');
  const total = Number.isSafeInteger(length) && length > 0 && !encoded ? length : undefined;
  const chunks: Uint8Array[] = [];
  let done = 0;
  const reader = response.body.getReader();
  onBytes(0, total);
  for (;;) {
    const { done: finished, value } = await reader.read();
    if (finished) break;
    chunks.push(value);
    done += value.byteLength;
    onBytes(done, total);
  }
  const bytes = new Uint8Array(done);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * Fetches the MNIST test split alone from the site (relative to `baseUrl`, which defaults to the page), then inflates
 * and verifies it with @mnist/data (IDX structure and the published SHA-256 of the content).
 *
 * @throws MnistDataError `DOWNLOAD_FAILED`, `ABORTED`, `CHECKSUM_MISMATCH` or a decoding code.
 */
export async function loadTestSplit(
  options: { baseUrl?: string; signal?: AbortSignal; onProgress?: (progress: TestDataProgress) => void } = {},
): Promise<MnistSplit> {
  const info = DATASETS.mnist;
  const base = dataUrl(options.baseUrl);
  const sizes = new Map<string, { done: number; total: number | undefined }>();
  const report = () => {
    let bytesDone = 0;
    let bytesTotal: number | undefined = 0;
    for (const role of TEST_FILE_ROLES) {
      const s = sizes.get(role);
      bytesDone += s?.done ?? 0;
      bytesTotal = s?.total === undefined || bytesTotal === undefined ? undefined : bytesTotal + s.total;
    }
    options.onProgress?.({ bytesDone, bytesTotal });
  };
  const parsed: Partial<Record<FileRole, IdxImages | IdxLabels>> = {};
  for (const role of TEST_FILE_ROLES) {
    const name = testFileName(role);
    const bytes = await fetchWithProgress(new URL(name, base).href, options.signal, (done, total) => {
      sizes.set(role, { done, total });
      report();
    });
    const raw = isGzip(bytes) ? await gunzipWeb(bytes, name) : bytes;
    const decoded = decodeFile(info, role, raw, await sha256HexWeb(raw), name);
    verifyFile(info, decoded);
    parsed[role] = decoded.parsed;
  }
  const images = parsed.testImages as IdxImages;
  const labels = parsed.testLabels as IdxLabels;
  return new MnistSplit(images.pixels, labels.labels, images.rows, images.cols);
}
