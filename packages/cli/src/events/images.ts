/** The images a run's outputs may draw (sample digits, examples of mistakes), once the command has loaded them. */
export interface ImageSource {
  /** The pixels of training image `index` (row-major, 0..255); absent when the command loaded only the test split. */
  readonly trainImage?: (index: number) => Uint8Array;
  /** The pixels of test image `index`. */
  readonly testImage: (index: number) => Uint8Array;
}
