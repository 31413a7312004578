// Prints the size of the built site (dist/) by what a visitor downloads, raw and gzipped, as a Markdown table.
// Usage: pnpm --filter web-demo build && pnpm --filter web-demo size
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (!name.endsWith('.map')) yield path;
  }
}

/** Which part of the site a file belongs to, and when a visitor fetches it. */
function group(file) {
  if (file.startsWith('data/mnist/t10k-'))
    return 'MNIST test set (explorer or training, fetched on first use)';
  if (file.startsWith('data/mnist/train-')) return 'MNIST training set (fetched on the first Train)';
  if (file.startsWith('assets/training-'))
    return 'training worker: tfjs, wasm backend, models (on the first Train)';
  if (/tfjs-backend-wasm.*\.wasm$/.test(file)) return 'wasm binary (one of three, wasm backend only)';
  if (/tfjs-backend-(webgl|wasm|cpu)-/.test(file))
    return `tfjs ${/tfjs-backend-(\w+)-/.exec(file)[1]} backend (on selection)`;
  if (/assets\/(shared|Unique_impl)-/.test(file))
    return 'tfjs kernels shared by the backends (with the first backend)';
  if (/assets\/(YourModelActions|files)-/.test(file))
    return "your model's actions and file reading (once there is one, or on the first pick)";
  if (/assets\/model-io-hdf5_hl-/.test(file))
    return 'h5wasm, for Keras .keras files (on the first one read or written)';
  if (/assets\/model-io-/.test(file))
    return '.keras reader and writer, ONNX export and encoder (on the first file read or written)';
  if (file.includes('weights-')) return `${/weights-(\w+)-/.exec(file)[1]} weights (on selection)`;
  return 'app shell (HTML, CSS, JS: React, tfjs-core and -layers, the app; icon, service worker)';
}

const groups = new Map();
for (const path of files(dist)) {
  const file = relative(dist, path).split('\\').join('/');
  const bytes = readFileSync(path);
  // Already-compressed files travel as they are.
  const gz = file.endsWith('.gz') ? bytes.length : gzipSync(bytes, { level: 9 }).length;
  const g = groups.get(group(file)) ?? { raw: 0, gz: 0, files: 0 };
  g.raw += bytes.length;
  g.gz += gz;
  g.files++;
  groups.set(group(file), g);
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`;
console.log('| part | files | size | gzipped |\n| --- | ---: | ---: | ---: |');
for (const [name, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  console.log(`| ${name} | ${g.files} | ${kb(g.raw)} | ${kb(g.gz)} |`);
}
