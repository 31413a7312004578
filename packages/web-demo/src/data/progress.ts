/** Bytes received for one file of a download, as @mnist/data's `onProgress` reports them. */
export interface FileProgress {
  file: string;
  bytesDone: number;
  bytesTotal: number | undefined;
}

/**
 * Bytes received over several files, and the total: the shipped sizes when known (so the bar is right from the
 * first byte), else the sum of the sizes the server announced, once every file has announced one.
 */
export function sumProgress(
  files: Readonly<Record<string, FileProgress>>,
  expected?: Readonly<Record<string, number>>,
): { bytesDone: number; bytesTotal: number | undefined } {
  const list = Object.values(files);
  const bytesDone = list.reduce((n, p) => n + p.bytesDone, 0);
  if (expected) return { bytesDone, bytesTotal: Object.values(expected).reduce((a, b) => a + b, 0) };
  let bytesTotal: number | undefined = 0;
  for (const p of list) {
    bytesTotal =
      bytesTotal === undefined || p.bytesTotal === undefined ? undefined : bytesTotal + p.bytesTotal;
  }
  return { bytesDone, bytesTotal };
}
