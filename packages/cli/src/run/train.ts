import { join, resolve } from 'node:path';
import { createModel, type MnistModel, recipeFor, saveModel, train } from '@mnist/models';
import type { TrainOptions as CliTrainOptions, ModelName } from '../args/commands';
import { formatDuration } from '../render/format';
import { renderHtmlReport } from '../report/html';
import { writeFileAtomic } from './atomic';
import { initBackendFor } from './backend';
import { loadData } from './data';
import { countParameters, describeLayers } from './describe-model';
import { evaluateModel } from './evaluation';
import type { EventSink, ModelResult } from './events';
import type { RunContext } from './context';

/** Training images drawn as samples at the start (the tutorial shows one; the dashboard shows a row). */
export const SAMPLE_COUNT = 6;

/**
 * `mnist train`: load and verify the data, pick the backend, then for each model train, evaluate on
 * the test set, save (with --save) and finally write the HTML report (with --report). Emits
 * {@link RunEvent}s on `context.sink`; stops between batches when `context.signal` aborts.
 * @returns the exit code: 0 when every model finished, 1 when the user stopped the run
 */
export async function runTrain(options: CliTrainOptions, context: RunContext): Promise<number> {
  const started = performance.now();
  const { sink, signal } = context;
  const data = await loadData(options, signal, context.progress);
  const backend = await initBackendFor(options.backend);
  const trainSplit = options.limit === undefined ? data.train : data.train.take(options.limit);
  const testSplit = options.testLimit === undefined ? data.test : data.test.take(options.testLimit);
  context.images.trainImage = (index) => data.train.image(index);
  context.images.testImage = (index) => data.test.image(index);

  sink({
    type: 'start',
    command: 'train',
    version: context.version,
    time: new Date().toISOString(),
    dataset: data.dataset,
    classNames: data.classNames,
    source: { kind: data.source.kind, location: data.source.location },
    trainCount: trainSplit.count,
    testCount: testSplit.count,
    backend,
    models: options.models,
    seed: options.seed,
    sampleIndices: Array.from({ length: Math.min(SAMPLE_COUNT, trainSplit.count) }, (_, i) => i),
  });

  const results: ModelResult[] = [];
  let stoppedIn: { model: string; epoch: number; epochs: number } | undefined;
  for (const name of options.models) {
    if (signal.aborted) {
      stoppedIn ??= { model: name, epoch: 0, epochs: 0 };
      break;
    }
    const outcome = await trainOne(
      name,
      options,
      { trainSplit, testSplit, classNames: data.classNames },
      sink,
      signal,
    );
    results.push(outcome.result);
    if (outcome.stoppedAt !== undefined) {
      stoppedIn = { model: name, ...outcome.stoppedAt };
      break;
    }
  }

  if (options.report !== undefined) {
    const file = resolve(options.report);
    // The report is written even after a stop: it shows what was done, and says the run was stopped.
    const html = renderHtmlReport(context.state(), { testImage: (index) => data.test.image(index) });
    await writeFileAtomic(file, html);
    sink({ type: 'report', file });
  }

  const aborted = stoppedIn !== undefined;
  const seconds = (performance.now() - started) / 1000;
  sink({
    type: 'done',
    aborted,
    seconds,
    results,
    message: summarise(results, stoppedIn, options.save !== undefined, options.models, seconds),
  });
  return aborted ? 1 : 0;
}

interface Splits {
  readonly trainSplit: Parameters<typeof train>[1];
  readonly testSplit: Parameters<typeof evaluateModel>[2];
  readonly classNames: readonly string[];
}

async function trainOne(
  name: ModelName,
  options: CliTrainOptions,
  { trainSplit, testSplit, classNames }: Splits,
  sink: EventSink,
  signal: AbortSignal,
): Promise<{ result: ModelResult; stoppedAt?: { epoch: number; epochs: number } }> {
  const recipe = recipeFor(name);
  const epochs = options.epochs ?? recipe.epochs;
  const batchSize = options.batchSize ?? recipe.batchSize;
  const learningRate = options.learningRate ?? recipe.learningRate;
  const model: MnistModel = createModel(name, { seed: options.seed });
  try {
    sink({
      type: 'model',
      model: name,
      summary: describeLayers(model),
      parameters: countParameters(model),
      epochs,
      batchSize,
      learningRate,
      trainCount: trainSplit.count,
    });
    const batches = Math.ceil(trainSplit.count / batchSize);
    const trained = await train(model, trainSplit, {
      epochs,
      batchSize,
      learningRate,
      seed: options.seed,
      signal,
      onBatchEnd: (log) => {
        const samplesLeft = trainSplit.count - log.samplesSeen;
        sink({
          type: 'batch',
          model: name,
          epoch: log.epoch,
          epochs,
          batch: log.batch,
          batches: log.batches ?? batches,
          samples: log.samplesSeen,
          samplesTotal: trainSplit.count,
          loss: log.loss,
          accuracy: log.accuracy,
          samplesPerSecond: log.samplesPerSecond,
          etaSeconds: log.samplesPerSecond > 0 ? samplesLeft / log.samplesPerSecond : Number.NaN,
        });
      },
      onEpochEnd: (log) => {
        sink({
          type: 'epoch',
          model: name,
          epoch: log.epoch,
          epochs,
          loss: log.loss,
          accuracy: log.accuracy,
          seconds: log.seconds,
          samplesPerSecond: log.samplesPerSecond,
        });
      },
    });
    const result = {
      model: name,
      epochsCompleted: trained.history.length,
      trainSeconds: trained.seconds,
      testAccuracy: null,
      saved: null,
    };
    if (trained.aborted) return { result, stoppedAt: { epoch: trained.history.length + 1, epochs } };

    const evaluation = await evaluateModel(model, name, testSplit, classNames);
    sink(evaluation);
    let saved: string | null = null;
    if (options.save !== undefined) {
      // One model: --save DIR is the model directory. Several: one sub-directory per model.
      saved = resolve(options.models.length === 1 ? options.save : join(options.save, name));
      await saveModel(model, saved);
      sink({ type: 'saved', model: name, dir: saved });
    }
    return { result: { ...result, testAccuracy: evaluation.accuracy, saved } };
  } finally {
    model.layersModel.dispose();
  }
}

/** The closing sentence: accuracies, or where the run stopped and what was (not) saved. */
export function summarise(
  results: readonly ModelResult[],
  stoppedIn: { model: string; epoch: number; epochs: number } | undefined,
  saving: boolean,
  planned: readonly string[],
  seconds: number,
): string {
  const accuracies = results
    .filter((r) => r.testAccuracy !== null)
    .map((r) => `${r.model} ${((r.testAccuracy ?? 0) * 100).toFixed(2)}%`);
  const saved = results.filter((r) => r.saved !== null).map((r) => `${r.model} → ${r.saved}`);
  if (stoppedIn === undefined) {
    return `Done in ${formatDuration(seconds)}. Test accuracy: ${accuracies.join(', ')}.${saved.length > 0 ? ` Saved ${saved.join(', ')}.` : ''}`;
  }
  const where =
    stoppedIn.epochs > 0
      ? `${stoppedIn.model} during epoch ${stoppedIn.epoch}/${stoppedIn.epochs}`
      : `before ${stoppedIn.model}`;
  const notTrained = planned.slice(planned.indexOf(stoppedIn.model));
  const savedText = !saving
    ? 'Nothing was saved (no --save given).'
    : `${saved.length > 0 ? `Saved: ${saved.join(', ')}. ` : 'Nothing was saved. '}Not saved: ${notTrained.join(', ')} (training incomplete; no model directory was written for it).`;
  return `Stopped by you ${where}. ${accuracies.length > 0 ? `Finished: ${accuracies.join(', ')}. ` : ''}${savedText}`;
}
