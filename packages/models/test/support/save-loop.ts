// A process that saves two models over the same directory, alternately, until it is killed: the saves-killed
// test (test/model-files-save.test.ts) SIGKILLs it at random moments and checks what is left on disk.
import { createModel, initBackend, saveModel } from '../../src/node.js';

const directory = process.argv[2];
if (directory === undefined) throw new Error('usage: save-loop.ts <directory>');
await initBackend('cpu', { log: false });
const models = [createModel('simple', { seed: 1 }), createModel('simple', { seed: 2 })];
await saveModel(models[0] as (typeof models)[0], directory);
process.stdout.write('ready\n');
for (let i = 1; ; i++) await saveModel(models[i % 2] as (typeof models)[0], directory);
