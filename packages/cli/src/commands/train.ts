import { join } from 'node:path';
import {
  createModel,
  crossEntropyOf,
  type LabelledImages,
  type MnistModel,
  resolveRecipe,
  train,
} from '@mnist/models';
import type { ModelName, TrainOptions } from '../args/commands';
import type { EventSink, ModelResult } from '../events/types';
import {
  checkDirectoryDestination,
  checkFileDestination,
  checkOutputsApart,
  type SaveFolder,
} from '../files/destinations';
import { isKerasFile } from '../files/keras-path';
import { formatDuration } from '../render/format';
import { initBackendFor } from '../run/backend';
import type { CommandContext, CommandOutcome } from '../run/context';
import { firstImages, loadData } from '../run/data';
import { countParameters, describeLayers } from '../run/describe-model';
import { evaluateModel } from '../run/evaluation';
import { loadModelReference } from '../run/load-model';
import { saveTrainedModel } from '../run/save';

/** Training images drawn as samples at the start (the tutorial shows one; the dashboard shows a row). */
export const SAMPLE_COUNT = 6;

/** Where a stopped run stopped. */
interface StopPoint {
  readonly model: string;
  /** The epoch running when it stopped (1-based), 0 before training, `evaluation`, or `save` (its final save). */
  readonly epoch: number | 'evaluation' | 'save';
  readonly epochs: number;
}

/**
 * Each model's `--save` destination: DIR (or FILE.keras) itself for one model (or the --init one), DIR/<model> for
 * several.
 */
export function saveDirectories(
  options: Pick<TrainOptions, 'save' | 'models' | 'init'>,
): Map<ModelName | typeof INIT, string> {
  const { save, models } = options;
  if (save === undefined) return new Map();
  if (options.init !== undefined) return new Map([[INIT, save]]);
  return new Map(models.map((name) => [name, models.length === 1 ? save : join(save, name)]));
}

/** The key of the model `--init` loads, among the zoo's names. */
const INIT = Symbol('--init');

/** One model a run trains: its name in the output, where it comes from, and its default recipe. */
interface Candidate {
  readonly name: string;
  readonly key: ModelName | typeof INIT;
  /** Builds (or loaded) the model with its starting weights; the run disposes it. */
  readonly model: () => MnistModel;
  /** `--init`'s reference, shown with the model. */
  readonly from?: string;
}

/**
 * `mnist train`: check the `--save` destination, load and verify the data, pick the backend, then for
 * each model train, evaluate on the test set and save (with --save). Emits events on `context.sink`
 * (the HTML report is one of the outputs listening there); stops between batches, or between chunks of
 * the evaluation, when `context.signal` aborts.
 */
export async function runTrain(options: TrainOptions, context: CommandContext): Promise<CommandOutcome> {
  const started = performance.now();
  const { sink, signal } = context;
  const saveDirs = saveDirectories(options);
  // Before any work: a destination that cannot be written must not cost a training run. What each folder held is
  // kept, so that a save does not overwrite what another run put there meanwhile.
  const checked = new Map<string, SaveFolder>();
  for (const dir of saveDirs.values()) {
    const flag = `--save ${options.save}`;
    if (isKerasFile(dir)) await checkFileDestination(dir, flag);
    else checked.set(dir, await checkDirectoryDestination(dir, flag));
  }
  if (options.report !== undefined) {
    await checkOutputsApart(
      options.report,
      `--report ${options.report}`,
      saveDirs.values(),
      `--save ${options.save}`,
    );
  }
  const data = await loadData(options, signal, context.progress);
  const trainSplit = firstImages(data.train, options.limit, '--limit', `training images of ${data.dataset}`);
  const testSplit = firstImages(
    data.test,
    options.testLimit,
    '--test-limit',
    `test images of ${data.dataset}`,
  );
  const backend = await initBackendFor(options.backend);
  const candidates = await candidatesOf(options);
  context.showImages({ trainImage: (i) => data.train.image(i), testImage: (i) => data.test.image(i) });

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
    models: candidates.map((c) => c.name),
    seed: options.seed,
    sampleIndices: Array.from({ length: Math.min(SAMPLE_COUNT, trainSplit.count) }, (_, i) => i),
  });

  const results: ModelResult[] = [];
  let stoppedIn: StopPoint | undefined;
  let fellBack = false;
  for (const candidate of candidates) {
    const name = candidate.name;
    if (signal.aborted) {
      stoppedIn = { model: name, epoch: 0, epochs: 0 };
      break;
    }
    const saveDir = saveDirs.get(candidate.key);
    const outcome = await trainOne(candidate, options, saveDir, {
      checked: saveDir === undefined ? undefined : checked.get(saveDir),
      trainSplit,
      testSplit,
      classNames: data.classNames,
      sink,
      signal,
    });
    results.push(outcome.result);
    fellBack ||= outcome.fellBack;
    if (outcome.stoppedAt !== undefined) {
      stoppedIn = { model: name, ...outcome.stoppedAt };
      break;
    }
  }

  const seconds = (performance.now() - started) / 1000;
  sink({
    type: 'done',
    aborted: stoppedIn !== undefined,
    seconds,
    results,
    message: summarise(
      results,
      stoppedIn,
      options.save !== undefined,
      candidates.map((c) => c.name),
      seconds,
    ),
  });
  return stoppedIn !== undefined ? 'stopped' : fellBack ? 'failed' : 'ok';
}

interface RunParts {
  /** What the model's `--save` folder held before training. */
  readonly checked: SaveFolder | undefined;
  readonly trainSplit: LabelledImages;
  readonly testSplit: LabelledImages;
  readonly classNames: readonly string[];
  readonly sink: EventSink;
  readonly signal: AbortSignal;
}

/**
 * The models to train: the zoo's, created with the seed, or the one `--init` names, loaded (with its
 * architecture, weights and recipe; a `.keras` file from Keras comes with the tutorial's recipe).
 */
async function candidatesOf(options: TrainOptions): Promise<Candidate[]> {
  if (options.init === undefined) {
    return options.models.map((name) => ({
      name,
      key: name,
      model: () => createModel(name, { seed: options.seed }),
    }));
  }
  const { model, label } = await loadModelReference(options.init);
  return [{ name: model.name, key: INIT, model: () => model, from: label }];
}

async function trainOne(
  candidate: Candidate,
  options: TrainOptions,
  saveDir: string | undefined,
  { checked, trainSplit, testSplit, classNames, sink, signal }: RunParts,
): Promise<{
  result: ModelResult;
  fellBack: boolean;
  stoppedAt?: { epoch: StopPoint['epoch']; epochs: number };
}> {
  const name = candidate.name;
  const built = candidate.model();
  // The flags resolved into the model's recipe once: the run shows it, trains with it, evaluates in its loss form and
  // saves it with the model (so a saved model says how it was trained).
  const recipe = resolveRecipe(built.recipe, {
    epochs: options.epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    crossEntropy: options.crossEntropy,
  });
  const model: MnistModel = { ...built, recipe };
  const { epochs, batchSize, learningRate } = recipe;
  const crossEntropy = crossEntropyOf(model);
  try {
    sink({
      type: 'model',
      model: name,
      ...(candidate.from !== undefined && { from: candidate.from }),
      crossEntropy,
      summary: describeLayers(model),
      parameters: countParameters(model),
      epochs,
      batchSize,
      learningRate,
      trainCount: trainSplit.count,
    });
    const trained = await train(model, trainSplit, {
      seed: options.seed,
      shuffle: options.shuffle,
      ...(options.threads !== undefined && { threads: options.threads }),
      signal,
      onBatchEnd: (log) => {
        const samplesLeft = trainSplit.count - log.samplesSeen;
        sink({
          type: 'batch',
          model: name,
          epoch: log.epoch,
          epochs,
          batch: log.batch,
          batches: log.batches,
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
    if (trained.aborted) {
      return { result, fellBack: false, stoppedAt: { epoch: trained.history.length + 1, epochs } };
    }
    const evaluation = await evaluateModel(model, name, testSplit, classNames, { signal });
    if (evaluation === undefined)
      return { result, fellBack: false, stoppedAt: { epoch: 'evaluation', epochs } };
    sink(evaluation);
    const saved =
      saveDir === undefined ? undefined : await saveTrainedModel(model, name, saveDir, { signal, checked });
    if (saved === 'stopped') {
      return {
        result: { ...result, testAccuracy: evaluation.accuracy },
        fellBack: false,
        stoppedAt: { epoch: 'save', epochs },
      };
    }
    if (saved !== undefined) sink(saved);
    return {
      result: { ...result, testAccuracy: evaluation.accuracy, saved: saved?.dir ?? null },
      fellBack: saved?.requestedDir !== undefined,
    };
  } finally {
    model.layersModel.dispose();
  }
}

/** The closing sentence: accuracies, or where the run stopped and what was (not) saved. */
export function summarise(
  results: readonly ModelResult[],
  stoppedIn: StopPoint | undefined,
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
    stoppedIn.epoch === 'evaluation'
      ? `${stoppedIn.model} during its evaluation`
      : stoppedIn.epoch === 'save'
        ? `while saving ${stoppedIn.model}`
        : stoppedIn.epochs > 0
          ? `${stoppedIn.model} during epoch ${stoppedIn.epoch}/${stoppedIn.epochs}`
          : `before ${stoppedIn.model}`;
  const notTrained = planned.slice(planned.indexOf(stoppedIn.model));
  const why =
    stoppedIn.epoch === 'evaluation'
      ? 'stopped before its evaluation ended; no model directory was written for it'
      : stoppedIn.epoch === 'save'
        ? 'the save did not complete: nothing of it was written, and a model already in the folder is unchanged'
        : 'training incomplete; no model directory was written for it';
  const savedText = !saving
    ? 'Nothing was saved (no --save given).'
    : `${saved.length > 0 ? `Saved: ${saved.join(', ')}. ` : 'Nothing was saved. '}Not saved: ${notTrained.join(', ')} (${why}).`;
  return `Stopped by you ${where}. ${accuracies.length > 0 ? `Finished: ${accuracies.join(', ')}. ` : ''}${savedText}`;
}
