// one-split.mjs — run with: node one-split.mjs
// Loads MNIST's test split alone (its two files, 1.6 MB compressed) from wherever @mnist/data finds it, downloading
// just those two files if needed. The result has `test` and no `train`.
import { loadMnist } from '@mnist/data';

const data = await loadMnist({ splits: ['test'] });
console.log(`${data.test.count} test images, the first one a ${data.test.label(0)}`);
console.log('train' in data ? 'and the training split' : 'and no training split: it was not asked for');
