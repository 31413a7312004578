import { crossEntropyOf } from '@mnist/models';
import type { EvaluateOptions } from '../args/commands';
import { formatCount, formatPercent } from '../render/format';
import { initBackendFor } from '../run/backend';
import type { CommandContext, CommandOutcome } from '../run/context';
import { firstImages, loadData } from '../run/data';
import { countParameters, describeLayers } from '../run/describe-model';
import { evaluateModel } from '../run/evaluation';
import { loadModelReference } from '../run/load-model';
import { everyFewSeconds } from '../run/progress';

/**
 * `mnist evaluate`: a saved or pretrained model on the test set, reported like the end of a training
 * run (same events, so the dashboard, lines, --json and --report all work). The evaluation runs in
 * chunks: it says how far it is every few seconds, and stops within a chunk when `context.signal` aborts.
 */
export async function runEvaluate(
  options: EvaluateOptions,
  context: CommandContext,
): Promise<CommandOutcome> {
  const started = performance.now();
  const data = await loadData(options, context.signal, context.progress, ['test']);
  const test = firstImages(data.test, options.limit, options.limitFlag, `test images of ${data.dataset}`);
  const backend = await initBackendFor(options.backend);
  const loaded = await loadModelReference(options.model);
  const label = loaded.label;
  // --cross-entropy reads the model as if its recipe said so: the loss and the probabilities alike.
  const model =
    options.crossEntropy === undefined
      ? loaded.model
      : { ...loaded.model, recipe: { ...loaded.model.recipe, crossEntropy: options.crossEntropy } };
  try {
    context.showImages({ testImage: (i) => data.test.image(i) });
    context.sink({
      type: 'start',
      command: 'evaluate',
      version: context.version,
      time: new Date().toISOString(),
      dataset: data.dataset,
      classNames: data.classNames,
      source: { kind: data.source.kind, location: data.source.location },
      trainCount: 0,
      testCount: test.count,
      backend,
      models: [label],
      seed: undefined,
      sampleIndices: [],
    });
    context.sink({
      type: 'model',
      model: label,
      crossEntropy: crossEntropyOf(model),
      summary: describeLayers(model),
      parameters: countParameters(model),
      epochs: 0,
      batchSize: model.recipe.batchSize,
      learningRate: model.recipe.learningRate,
      trainCount: 0,
    });
    context.progress(`evaluating ${label} on ${formatCount(test.count)} test images…`);
    const report = everyFewSeconds(context.progress);
    let done = 0;
    const evaluation = await evaluateModel(model, label, test, data.classNames, {
      signal: context.signal,
      onProgress: (count, total) => {
        done = count;
        report(
          () =>
            `evaluating ${label}: ${formatCount(count)} of ${formatCount(total)} images (${formatPercent(count / total, 0)})`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    if (evaluation === undefined) {
      context.sink({
        type: 'done',
        aborted: true,
        seconds,
        results: [{ model: label, epochsCompleted: 0, trainSeconds: 0, testAccuracy: null, saved: null }],
        message: `Stopped by you during the evaluation of ${label}, after ${formatCount(done)} of ${formatCount(test.count)} images.`,
      });
      return 'stopped';
    }
    context.sink(evaluation);
    context.sink({
      type: 'done',
      aborted: false,
      seconds,
      results: [
        { model: label, epochsCompleted: 0, trainSeconds: 0, testAccuracy: evaluation.accuracy, saved: null },
      ],
      message: `Done. ${label}: test accuracy ${formatPercent(evaluation.accuracy)} on ${formatCount(evaluation.count)} images.`,
    });
    return 'ok';
  } finally {
    model.layersModel.dispose();
  }
}
