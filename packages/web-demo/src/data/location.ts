/**
 * Where the site serves the four MNIST `.gz` files, relative to the page. The build writes them there (see
 * build/mnistData.ts); pages fetch them only on demand (the explorer the test split, training all four).
 */
export const DATA_DIR = 'data/mnist';

/** The absolute URL of the data folder, resolved against the page (so it works under any sub-path). */
export function dataUrl(base: string = globalThis.document?.baseURI ?? import.meta.url): string {
  return new URL(`${DATA_DIR}/`, base).href;
}
