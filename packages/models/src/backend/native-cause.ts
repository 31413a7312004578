// Why @tensorflow/tfjs-node did not load, from the error its import or smoke test gave: the four ways it fails for
// users (not installed; installed but its install script never built the addon, which pnpm 10 skips unless allowed
// and which needs storage.googleapis.com for libtensorflow; the library itself missing; a Node it does not run on).

/** A short cause (for one-line reasons) and what to do about it (for the one-time notice). */
export interface NativeCause {
  short: string;
  advice: string;
}

const INSTALL = 'npm install @tensorflow/tfjs-node@4.22.0';

/** The cause of a tfjs-node failure from its error text, or undefined when the text matches none of them. */
export function nativeCause(error: string, nodeVersion: string): NativeCause | undefined {
  if (/Cannot find (?:package|module) '@tensorflow\/tfjs-node'/.test(error))
    return { short: 'tfjs-node not installed', advice: `it is optional: ${INSTALL} for the native backend` };
  if (/tfjs_binding\.node/.test(error))
    return {
      short: 'native addon not built',
      advice:
        'it is installed but its install script never built the addon: pnpm 10 runs it only when the package is ' +
        'listed in onlyBuiltDependencies, and the script downloads libtensorflow from storage.googleapis.com',
    };
  if (/libtensorflow/.test(error))
    return {
      short: 'libtensorflow missing',
      advice: `its native library libtensorflow cannot be loaded; reinstall it (${INSTALL}) where the download works`,
    };
  const major = Number(nodeVersion.replace(/^v/, '').split('.')[0]);
  if (/isNullOrUndefined/.test(error) || major >= 23)
    return {
      short: `does not run on Node ${major}`,
      advice: `tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23 removed; use Node 22 or older for it`,
    };
  return undefined;
}
