/**
 * Builds the drawn-digit benchmark: the first `--count` MNIST test digits (default 5,000, half the test set: the
 * build takes about 10 minutes on 2 busy cores; 10,000 allowed), traced into pen
 * strokes and redrawn in every part's way (see test/support/drawn/parts.ts) with @mnist/data's stroke renderer on a Node canvas
 * (@napi-rs/canvas), then preprocessed exactly as the web demo does. Writes IDX files to results/drawn (or --out)
 * and checks them against the committed manifest, test/fixtures/drawn/manifest.json (or, with --write-manifest,
 * records them there).
 *
 *   pnpm --filter @mnist/models bench:drawn:build
 *   pnpm --filter @mnist/models bench:drawn:build -- --count 500 --out /some/dir   # a quick partial build
 *
 * With `--heldout`, the held-out training digits 55,000–59,999 instead (the shipped cnn never trains on them),
 * into results/drawn-heldout, checked against manifest-heldout.json: the drawings that choose candidates and
 * verdict thresholds, so the benchmark's test digits are only measured.
 *
 *   pnpm --filter @mnist/models bench:drawn:build -- --heldout
 *
 * MNIST comes from @mnist/data's loadMnist (MNIST_DATA_DIR, then its usual search order). The benchmark draws test
 * digits only.
 */
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { type CanvasFactory, loadMnist, writeFileAtomicallySync } from '@mnist/data';
import { createCanvas } from '@napi-rs/canvas';
import {
  DEFAULT_BENCHMARK_DIR,
  type DrawnManifest,
  digestPart,
  HELDOUT_DIR,
  HELDOUT_FIRST,
  HELDOUT_MANIFEST_PATH,
  MANIFEST_PATH,
  readManifest,
  writeParts,
} from '../../test/support/drawn/files.js';
import { DRAWN_PARTS } from '../../test/support/drawn/parts.js';
import { renderParts } from '../../test/support/drawn/render-parts.js';
import { scriptArgs, wholeNumber } from '../../scripts/flags.js';

export const BUILD_COMMAND = 'pnpm --filter @mnist/models bench:drawn:build';

const { values } = parseArgs({
  args: scriptArgs(),
  options: {
    count: { type: 'string', default: '5000' },
    out: { type: 'string' },
    heldout: { type: 'boolean', default: false },
    'write-manifest': { type: 'boolean', default: false },
  },
});
const heldout = values.heldout === true;
const count = wholeNumber('count', values.count, 1, 10_000);
const out = values.out ?? (heldout ? HELDOUT_DIR : DEFAULT_BENCHMARK_DIR);
const manifestPath = heldout ? HELDOUT_MANIFEST_PATH : MANIFEST_PATH;
const first = heldout ? HELDOUT_FIRST : 0;

const skia: CanvasFactory = (w, h) => createCanvas(w, h) as unknown as ReturnType<CanvasFactory>;
const canvasVersion = (createRequire(import.meta.url)('@napi-rs/canvas/package.json') as { version: string })
  .version;

const data = await loadMnist();
const split = heldout ? 'train' : 'test';
const source = heldout ? data.train : data.test;
if (first + count > source.count)
  throw new Error(`--count: only ${source.count - first} digits from ${first}.`);
const digits = {
  images: source.images.subarray(first * 784, (first + count) * 784),
  labels: source.labels.subarray(first, first + count),
  firstIndex: first,
};
console.error(
  `MNIST from ${data.source.kind} (${data.source.location}); redrawing ${split} digits ${first}..${first + count - 1}`,
);
const started = performance.now();
let lastReport = started;
const rendered = await renderParts(digits, DRAWN_PARTS, skia, (done) => {
  const now = performance.now();
  if (now - lastReport > 10_000 || done === count) {
    lastReport = now;
    console.error(`  ${done}/${count} digits, ${((now - started) / 1000).toFixed(0)} s`);
  }
});
writeParts(out, rendered);
const seconds = (performance.now() - started) / 1000;
console.error(`wrote ${DRAWN_PARTS.length} parts to ${out} in ${seconds.toFixed(0)} s`);

const manifest: DrawnManifest = {
  source: { split, first, count },
  canvas: `@napi-rs/canvas ${canvasVersion}`,
  command: heldout ? `${BUILD_COMMAND} -- --heldout` : BUILD_COMMAND,
  parts: Object.fromEntries(rendered.map((r) => [r.part.name, digestPart(r)])),
};
if (values['write-manifest']) {
  writeFileAtomicallySync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  console.error(`recorded the digests in ${manifestPath}`);
} else {
  const committed = readManifest(manifestPath);
  const problems: string[] = [];
  for (const [name, digests] of Object.entries(manifest.parts)) {
    const expected = committed.parts[name];
    if (expected === undefined) problems.push(`${name}: not in the manifest`);
    else if (expected.firstImages !== digests.firstImages) problems.push(`${name}: first digits differ`);
    else if (
      count === committed.source.count &&
      (expected.images !== digests.images || expected.labels !== digests.labels)
    ) {
      problems.push(`${name}: files differ`);
    }
  }
  if (problems.length > 0) {
    console.error(`NOT the committed benchmark (${committed.canvas} expected, ${manifest.canvas} used):`);
    for (const problem of problems) console.error(`  ${problem}`);
    process.exitCode = 1;
  } else {
    console.error(
      count === committed.source.count
        ? 'every file matches the committed manifest'
        : `the first ${Math.min(count, 100)} digits of every part match the committed manifest (partial build)`,
    );
  }
}
