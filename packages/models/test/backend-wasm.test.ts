import { describeModelSuite } from './support/model-suite.js';

describeModelSuite('wasm');
