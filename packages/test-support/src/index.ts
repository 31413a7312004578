/**
 * `@mnist/test-support`: what the workspace's tests share (private, never published). One rule to find and start
 * Chromium, one static file server on 127.0.0.1, browser bundles and the pages that load them, one way to find
 * MNIST, skips that print what is missing, and a bounded wait for states without an event.
 *
 * @packageDocumentation
 */
export {
  type BrowserBundle,
  type BrowserBundleOptions,
  type BundleEntry,
  bundleForBrowser,
} from './browser-bundle.js';
export { type BrowserSite, type BrowserSiteOptions, startBrowserSite } from './browser-site.js';
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
  modulePage,
  type OpenModulePageOptions,
  openModulePage,
  type PageErrorOptions,
  recordPageErrors,
} from './page.js';
export {
  ALLOW_SKIP_ENV,
  allowedSkips,
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
export { correlation } from './similarity.js';
export { type WaitOptions, waitUntil } from './wait.js';
