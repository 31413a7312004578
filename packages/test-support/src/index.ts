/**
 * `@mnist/test-support`: what the workspace's tests share (private, never published). One rule to find and start
 * Chromium, one static file server on 127.0.0.1, one way to find MNIST, and skips that print what is missing.
 *
 * @packageDocumentation
 */
export {
  CHROMIUM_ENV,
  CHROMIUM_FLAGS,
  CHROMIUM_HOW_TO,
  CHROMIUM_LOCATIONS,
  type ChromiumLookup,
  findChromium,
  launchChromium,
} from './chromium.js';
export {
  type FashionLookup,
  type FindOptions,
  type FoundMnist,
  findFashionMnist,
  findMnist,
  gzippedDir,
  type LoadMnist,
  type Located,
  readUncompressed,
} from './mnist.js';
export {
  MissingRequirementError,
  REQUIRE_ALL_ENV,
  type Requirement,
  requireAll,
  skipUnless,
} from './requirements.js';
export {
  CONTENT_TYPES,
  CROSS_ORIGIN_ISOLATION,
  type StaticServer,
  type StaticServerOptions,
  startStaticServer,
} from './static-server.js';
