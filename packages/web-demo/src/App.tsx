import { DATASETS } from '@mnist/data';
import { confusionMatrix } from '@mnist/metrics';
import type { ModelName } from '@mnist/models/browser';
import { useCallback, useEffect } from 'react';
import { AboutModels } from './components/AboutModels';
import { Credits } from './components/Credits';
import { Header } from './components/Header';
import { ModelBar } from './components/ModelBar';
import { DrawingDemo } from './DrawingDemo';
import { TestSetExplorer } from './explorer/TestSetExplorer';
import {
  BACKEND_DESCRIPTIONS,
  BACKEND_NAMES,
  type BackendName,
  MODEL_DESCRIPTIONS,
  type ModelChoice,
  PRETRAINED,
  pretrainedAccuracy,
  YOURS,
} from './inference/names';
import { useInference } from './inference/useInference';
import { CHOICE_STORAGE_KEY, type DemoSettings, EXPLORER_SIZES, storeChoice, withChoice } from './settings';
import type { TrainOutcome } from './training/protocol';
import type { TrainSettings } from './training/settings';
import { TrainingPanel } from './training/TrainingPanel';
import { useTraining } from './training/useTraining';
import { YourModelCard } from './yours/YourModelCard';
import { useYours } from './yours/useYours';
import { formatPercent } from './format';

const CLASS_NAMES = DATASETS.mnist.classNames;

/** Props of {@link App}. */
export interface AppProps {
  settings: DemoSettings;
  /** Size of each MNIST file the site ships (the training download bar's total). */
  dataSizes?: Readonly<Record<string, number>>;
}

/** The sizes of the test split's files (named `t10k-…`, as MNIST names them). */
function testFileSizes(sizes: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(sizes).filter(([name]) => name.startsWith('t10k-')));
}

/** How the page names a model choice in sentences ("cnn", "your model"). */
export function modelLabel(choice: ModelChoice | undefined): string {
  return choice === YOURS ? 'your model' : (choice ?? 'the model');
}

/**
 * The whole page, one story from top to bottom: draw and watch a model read it; choose which model and where it
 * runs; train your own and draw with it; see where a model goes wrong on the test set.
 */
export function App({ settings, dataSizes }: AppProps) {
  // The visitor's stored model is read first when the page starts on it (`?model=yours`).
  const inference = useInference({ model: settings.model, backend: settings.backend }, true);
  const yours = useYours(inference);
  const { setModel } = inference;

  // A page opened on "yours" without a model of one's own falls back to the best pretrained model.
  useEffect(() => {
    if (yours.status === 'ready' && !yours.model && inference.model === YOURS)
      setModel(PRETRAINED[0] as ModelName);
  }, [yours.status, yours.model, inference.model, setModel]);

  // The choice lives in the address bar (a shareable link) and in storage (the next visit).
  useEffect(() => {
    const choice = { model: inference.model, backend: inference.backend };
    const search = withChoice(window.location.search, choice);
    if (search !== window.location.search) {
      window.history.replaceState(
        window.history.state,
        '',
        `${window.location.pathname}${search}${window.location.hash}`,
      );
    }
    try {
      localStorage.setItem(CHOICE_STORAGE_KEY, storeChoice(choice));
    } catch {
      // Storage may be off (private browsing): the URL still carries the choice.
    }
  }, [inference.model, inference.backend]);

  const onOutcome = useCallback(
    (outcome: TrainOutcome, trained: TrainSettings) => {
      const accuracy = confusionMatrix(outcome.test.labels, outcome.test.predicted, {
        numClasses: 10,
      }).accuracy;
      void yours
        .adopt({
          modelJson: outcome.modelJson,
          weights: outcome.weights,
          origin: 'trained',
          name: trained.model,
          savedAt: new Date().toISOString(),
          testAccuracy: accuracy,
          settings: trained,
          epochsDone: outcome.history.length,
          stopped: outcome.stopped,
        })
        .catch(() => undefined);
    },
    [yours],
  );
  const training = useTraining(onOutcome, settings.trainThreads);

  const models = [
    ...PRETRAINED.map((name) => {
      const accuracy = pretrainedAccuracy(name);
      return {
        name,
        description: MODEL_DESCRIPTIONS[name],
        ...(accuracy !== undefined && { badge: formatPercent(accuracy) }),
      };
    }),
    {
      name: YOURS,
      disabled: !yours.model,
      description: yours.model
        ? `The model you trained or loaded: ${yours.model.name}.`
        : 'Train a model below (or load one you saved), then draw for it.',
    },
  ];
  const label = modelLabel(inference.activeModel ?? inference.model);

  return (
    <>
      <Header />
      <main>
        <section className="panel hero" aria-labelledby="draw-heading">
          <h2 id="draw-heading" className="visually-hidden">
            Draw a digit
          </h2>
          <DrawingDemo inference={inference} classNames={CLASS_NAMES} modelLabel={label} />
          <ModelBar
            models={models}
            model={inference.model}
            onModel={(name) => setModel(name as ModelChoice)}
            activeModel={inference.switching ? undefined : inference.activeModel}
            layers={inference.switching ? undefined : inference.activeLayers}
            backends={BACKEND_NAMES.map((name) => ({ name, description: BACKEND_DESCRIPTIONS[name] }))}
            backend={inference.backend}
            onBackend={(name) => inference.setBackend(name as BackendName)}
            activeBackend={inference.switching ? undefined : inference.activeBackend}
            timing={inference.timing}
            {...(inference.error && { error: inference.error })}
          />
        </section>
        <TrainingPanel training={training} classNames={CLASS_NAMES} {...(dataSizes && { dataSizes })}>
          <YourModelCard
            model={yours.model}
            inUse={inference.model === YOURS}
            onUse={() => setModel(YOURS)}
            onForget={() => {
              if (inference.model === YOURS) setModel(PRETRAINED[0] as ModelName);
              void yours.remove();
            }}
            onLoad={async (model) => {
              await yours.adopt(model);
              setModel(YOURS);
            }}
            readKeras={(keras, fileName) => inference.engine.readKeras(keras, fileName)}
            exportModel={async (format) => {
              if (!yours.model) throw new Error('There is no model of yours to download.');
              return inference.engine.exportModel(
                { modelJson: yours.model.modelJson, weights: yours.model.weights },
                format,
              );
            }}
            {...(yours.storageProblem && { storageProblem: yours.storageProblem })}
          />
        </TrainingPanel>
        <TestSetExplorer
          inference={inference}
          {...(dataSizes && { testSizes: testFileSizes(dataSizes) })}
          modelLabel={label}
          classNames={CLASS_NAMES}
          defaultSize={settings.explorerSize}
          sizes={EXPLORER_SIZES}
        />
        <AboutModels models={PRETRAINED} />
      </main>
      <Credits />
    </>
  );
}
