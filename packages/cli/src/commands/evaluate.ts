import { resolve } from 'node:path';
import type { EvaluateOptions } from '../args/commands';
import { renderHtmlReport } from '../report/html';
import { writeFileAtomic } from '../run/atomic';
import { initBackendFor } from '../run/backend';
import type { RunContext } from '../run/context';
import { loadData } from '../run/data';
import { countParameters, describeLayers } from '../run/describe-model';
import { evaluateModel } from '../run/evaluation';
import { loadModelReference } from '../run/load-model';

/**
 * `mnist evaluate`: a saved or pretrained model on the test set, reported like the end of a training
 * run (same events, so the dashboard, lines, --json and --report all work).
 */
export async function runEvaluate(options: EvaluateOptions, context: RunContext): Promise<number> {
  const started = performance.now();
  const data = await loadData(options, context.signal, context.progress);
  const backend = await initBackendFor(options.backend);
  const { model, label } = await loadModelReference(options.model);
  try {
    const test = options.limit === undefined ? data.test : data.test.take(options.limit);
    context.images.trainImage = (index) => data.train.image(index);
    context.images.testImage = (index) => data.test.image(index);
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
      summary: describeLayers(model),
      parameters: countParameters(model),
      epochs: 0,
      batchSize: model.recipe.batchSize,
      learningRate: model.recipe.learningRate,
      trainCount: 0,
    });
    const evaluation = await evaluateModel(model, label, test, data.classNames);
    context.sink(evaluation);
    if (options.report !== undefined) {
      const file = resolve(options.report);
      await writeFileAtomic(
        file,
        renderHtmlReport(context.state(), { testImage: (index) => data.test.image(index) }),
      );
      context.sink({ type: 'report', file });
    }
    context.sink({
      type: 'done',
      aborted: false,
      seconds: (performance.now() - started) / 1000,
      results: [
        { model: label, epochsCompleted: 0, trainSeconds: 0, testAccuracy: evaluation.accuracy, saved: null },
      ],
      message: `Done. ${label}: test accuracy ${(evaluation.accuracy * 100).toFixed(2)}% on ${evaluation.count} images.`,
    });
    return 0;
  } finally {
    model.layersModel.dispose();
  }
}
