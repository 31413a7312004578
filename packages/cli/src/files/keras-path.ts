/** Whether a `--save` or `--model` path names a Keras 3 `.keras` file (saved and loaded as one file). */
export function isKerasFile(path: string): boolean {
  return /\.keras$/i.test(path);
}
