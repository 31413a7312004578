// One rule to find Chromium and one way to start it for every browser test in the workspace.
import { accessSync, constants, statSync } from 'node:fs';
import { type Browser, chromium, type LaunchOptions } from 'playwright-core';
import type { Requirement } from './requirements.js';

/** The environment variable naming the Chromium (or Chrome) executable; it wins over the usual locations. */
export const CHROMIUM_ENV = 'CHROMIUM_PATH';

/** Where Linux distributions and Google's packages put the executable, in the order they are tried. */
export const CHROMIUM_LOCATIONS: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * The flags every test browser gets: headless, no sandbox (CI runs as root), no GPU, no traffic of its own
 * (updates, sync, field trials), and no name resolution, so nothing but 127.0.0.1 can be reached.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

/** How to get Chromium, for the skip message. */
export const CHROMIUM_HOW_TO =
  "install Debian's chromium package (sudo apt-get install chromium; bash .ci/run does it) " +
  `or set ${CHROMIUM_ENV} to a Chromium or Chrome executable`;

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The Chromium executable, or why there is none. */
export type ChromiumLookup = Requirement & { readonly path?: string };

/**
 * Finds Chromium: `$CHROMIUM_PATH` when set (and then only there: a wrong explicit path is reported, not
 * guessed around), else the first of {@link CHROMIUM_LOCATIONS} that is an executable file.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLookup {
  const name = 'Chromium';
  const explicit = env[CHROMIUM_ENV];
  if (explicit) {
    return isExecutableFile(explicit)
      ? { name, found: true, path: explicit }
      : {
          name,
          found: false,
          reason: `${CHROMIUM_ENV}=${explicit} is not an executable file; ${CHROMIUM_HOW_TO}`,
        };
  }
  const path = CHROMIUM_LOCATIONS.find(isExecutableFile);
  if (path !== undefined) return { name, found: true, path };
  return {
    name,
    found: false,
    reason: `not found in ${CHROMIUM_LOCATIONS.join(', ')}; ${CHROMIUM_HOW_TO}`,
  };
}

/**
 * Starts the Chromium {@link findChromium} finds, with {@link CHROMIUM_FLAGS} plus `options.args`. Each launch gets
 * a fresh, temporary user-data-dir (playwright creates it and removes it on `close()`), so no profile, cache or
 * service worker carries over between test files. Throws with the skip message when there is no Chromium.
 */
export async function launchChromium(options: Omit<LaunchOptions, 'executablePath'> = {}): Promise<Browser> {
  const found = findChromium();
  if (!found.found || found.path === undefined) {
    throw new Error(`Chromium missing: ${found.found ? 'no path' : found.reason}`);
  }
  return chromium.launch({
    ...options,
    executablePath: found.path,
    args: [...CHROMIUM_FLAGS, ...(options.args ?? [])],
  });
}
