#!/usr/bin/env node
// Data check: loads MNIST with the built @mnist/data (run `pnpm --filter @mnist/data build` first) using the
// default search order, and shows where it was found, the counts, the label histograms and the first image.
// Exits 1 with the loader's explanation if MNIST cannot be found or verified.
import { DATASETS, loadMnist, MnistDataError } from '../dist/node.js';

const SHADES = ' .:-=+*#%@';

/** One 28×28 image as text, two characters per pixel so it keeps its proportions in a terminal. */
function asciiArt(pixels, rows, cols) {
  const lines = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const shade =
        SHADES[Math.min(SHADES.length - 1, Math.floor((pixels[r * cols + c] / 256) * SHADES.length))];
      line += shade + shade;
    }
    lines.push(`  |${line}|`);
  }
  const border = `  +${'-'.repeat(cols * 2)}+`;
  return [border, ...lines, border].join('\n');
}

function histogram(split) {
  return split
    .labelCounts()
    .map((count, label) => `${label}:${count}`)
    .join('  ');
}

let lastPercent = -1;
function onProgress({ file, bytesDone, bytesTotal }) {
  if (!bytesTotal) return;
  const percent = Math.floor((bytesDone / bytesTotal) * 100);
  if (percent === lastPercent || (percent % 10 !== 0 && percent !== 100)) return;
  lastPercent = percent;
  process.stderr.write(`  downloading ${file}: ${percent}%\n`);
}

try {
  const started = performance.now();
  const data = await loadMnist({ onProgress });
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const { train, test, source } = data;
  console.log(`MNIST found (${source.kind}): ${source.location}`);
  console.log('Verified: the SHA-256 of all four files (uncompressed content) matches the published values.');
  console.log(
    `Loaded in ${seconds} s: ${train.count} training and ${test.count} test images of ${train.rows}×${train.cols} pixels.`,
  );
  console.log(`Training labels: ${histogram(train)}`);
  console.log(`Test labels:     ${histogram(test)}`);
  console.log(`First training image (label ${train.label(0)}):`);
  console.log(asciiArt(train.image(0), train.rows, train.cols));
  console.log(DATASETS.mnist.credit);
} catch (error) {
  if (error instanceof MnistDataError) {
    console.error(`MNIST data check failed [${error.code}]\n${error.message}`);
    process.exit(1);
  }
  throw error;
}
