// Everything that works the same in browsers and Node (no node: imports). Both entries re-export it.
export { assembleSplits, type DecodedFile, decodeFile, verifyFile } from './assemble.js';
export {
  type AtomicFile,
  type AtomicWriteOptions,
  openAtomicFile,
  writeFileAtomically,
  writeFileAtomicallySync,
} from './atomic-write.js';
export {
  contentBytes,
  DATASETS,
  type DatasetInfo,
  type DatasetName,
  datasetInfo,
  FILE_ROLES,
  type FileRole,
  maxFileBytes,
  SPLIT_FILES,
  SPLITS,
  type SplitFileRole,
  type SplitName,
} from './datasets.js';
export {
  isMnistDataError,
  MnistDataError,
  type MnistDataErrorCode,
  type MnistDataErrorDetails,
  type SearchAttempt,
} from './errors.js';
export { gzipDeclaredSize, isGzip } from './gzip.js';
export { makeDirectories, makeDirectoriesSync } from './make-directories.js';
export {
  type CanvasFactory,
  coverageToInput,
  createInputRenderer,
  INPUT_CANVAS_SIZE,
  type InputRendererOptions,
  inkCoverage,
  type ReadableStrokeContext,
  type RgbaImage,
} from './drawing/input.js';
export { DEFAULT_JITTER, type JitterOptions, jitterStrokes } from './drawing/jitter.js';
export { pixelate, resampleArea } from './drawing/lowres.js';
export { fitStrokes, type Placement, strokesBox } from './drawing/place.js';
export { type RenderOptions, renderStrokes, type StrokeContext } from './drawing/render.js';
export { thinZhangSuen } from './drawing/skeleton.js';
export {
  isEmptyDrawing,
  STROKE_WIDTH_FRACTION,
  type Stroke,
  type StrokePoint,
  strokeWidthFor,
} from './drawing/strokes.js';
export {
  type DigitToStrokesOptions,
  digitToStrokes,
  type PathPoint,
  resamplePath,
  type SkeletonPath,
  traceSkeleton,
  upscaleBilinear,
} from './drawing/trace.js';
export { INKED, type InkShape, inkShape, MAX_INK_DEPTH } from './ink-shape.js';
export {
  encodeIdx,
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  type IdxImages,
  type IdxLabels,
  parseIdx,
  parseIdxImages,
  parseIdxLabels,
} from './idx.js';
export {
  analyzeDrawing,
  centerOfMass,
  type DrawingAnalysis,
  MNIST_BOX,
  MNIST_CENTER,
  MNIST_SIZE,
  type Point,
  type PreprocessOptions,
  preprocessDrawing,
} from './preprocess.js';
export { seededPermutation, seededRandom } from './random.js';
export { sha256Hex, sha256HexWeb } from './sha256.js';
export {
  type Batch,
  type BatchOptions,
  MnistSplit,
  type TrainValidationOptions,
  trainValidationSplit,
} from './split.js';
export { DEFAULT_TIMEOUT_MS, defaultDeadlineMs } from './transfer.js';
export type {
  DataSource,
  LoadOptions,
  MnistData,
  MnistDataInfo,
  ProgressEvent,
  SourceKind,
} from './types.js';
export { type FileDecoder, loadFromUrl, type UrlLoadOptions } from './url-loader.js';
export { decodeMnistFiles, gunzipWeb } from './web-decode.js';
export { yieldToEventLoop } from './yield.js';
