import { readFileSync } from 'node:fs';

/** One labelled case evaluated by scikit-learn (see scripts/make-fixtures.py). */
export interface LabelCase {
  name: string;
  numClasses: number;
  zeroDivision: 0 | 1;
  yTrue: number[];
  yPred: number[];
  counts: number[][];
  normalized: { true: number[][]; pred: number[][]; all: number[][] };
  accuracy: number;
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macroAvg: { precision: number; recall: number; f1: number };
  weightedAvg: { precision: number; recall: number; f1: number };
  reports: { digits: number; targetNames: string[] | null; text: string }[];
}

/** Scores with top-k accuracies computed by scikit-learn. */
export interface TopKCase {
  name: string;
  numClasses: number;
  yTrue: number[];
  scores: number[][];
  results: { k: number; value: number }[];
}

/** Probabilities with log losses computed by scikit-learn. */
export interface LogLossCase {
  name: string;
  numClasses: number;
  yTrue: number[];
  probabilities: number[][];
  results: { eps: number | null; reduction: 'mean' | 'sum'; value: number }[];
}

function readFixture<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

/** Labelled cases, scikit-learn's results and its report texts. */
export const labelFixtures = readFixture<{ versions: Record<string, string>; cases: LabelCase[] }>(
  'sklearn-labels.json',
);

/** Top-k accuracy and log-loss cases. */
export const probabilityFixtures = readFixture<{ topK: TopKCase[]; logLoss: LogLossCase[] }>(
  'sklearn-probabilities.json',
);

/** matplotlib's 256-entry viridis table, channels 0..255. */
export const viridisTable = readFixture<{ colors: [number, number, number][] }>(
  'matplotlib-viridis.json',
).colors;
