/**
 * `@mnist/data` for Node: everything in the universal core, plus `loadMnist` searching local directories, the
 * cache, installed copies and the public mirrors.
 *
 * @packageDocumentation
 */
export * from './core.js';
export { loadMnist } from './node/load.js';
export {
  CACHE_DIR_ENV,
  DATA_DIR_ENV,
  DOWNLOAD_ENV,
  datasetCacheDir,
  defaultCacheRoot,
  findMnistDataPackage,
  type Env,
  SYSTEM_DIRS,
} from './node/locations.js';
