import { DATASETS } from '@mnist/data';
import { BackendPicker } from './components/BackendPicker';
import { Credits } from './components/Credits';
import { ModelPicker } from './components/ModelPicker';
import { DrawingDemo } from './DrawingDemo';
import { TestSetExplorer } from './explorer/TestSetExplorer';
import { pretrainedAccuracy } from './inference/catalog';
import {
  BACKEND_NAMES,
  type BackendName,
  MODEL_DESCRIPTIONS,
  MODEL_NAMES,
  type ModelName,
} from './inference/names';
import { useInference } from './inference/useInference';
import { type DemoSettings, EXPLORER_SIZES } from './settings';

const CLASS_NAMES = DATASETS.mnist.classNames;

/** Props of {@link App}. */
export interface AppProps {
  settings: DemoSettings;
}

/** The whole page: drawing and prediction, model and backend choice, the test-set explorer, credits. */
export function App({ settings }: AppProps) {
  const inference = useInference({ model: settings.model, backend: settings.backend });
  const models = MODEL_NAMES.map((name) => ({
    name,
    description: MODEL_DESCRIPTIONS[name],
    accuracy: pretrainedAccuracy(name),
  }));
  return (
    <>
      <header className="site-header">
        <h1>mnist-ts: handwritten digits</h1>
        <p>
          Handwritten-digit recognition on MNIST, in your browser. Draw, see what the model sees, and how sure
          it is.
        </p>
      </header>
      <main>
        <DrawingDemo inference={inference} classNames={CLASS_NAMES} />
        <section className="panel settings" aria-label="Model and backend">
          <ModelPicker
            models={models}
            value={inference.model}
            onChange={(name) => inference.setModel(name as ModelName)}
          />
          <BackendPicker
            backends={BACKEND_NAMES}
            value={inference.backend}
            active={inference.switching ? undefined : inference.activeBackend}
            timing={inference.timing}
            onChange={(name) => inference.setBackend(name as BackendName)}
          />
          <p className="status-line">
            Model:{' '}
            <strong data-testid="active-model">
              {inference.switching ? 'loading…' : inference.activeModel}
            </strong>
          </p>
          {inference.error && (
            <p className="error" role="alert">
              {inference.error}
            </p>
          )}
        </section>
        <TestSetExplorer
          inference={inference}
          classNames={CLASS_NAMES}
          defaultSize={settings.explorerSize}
          sizes={EXPLORER_SIZES}
        />
      </main>
      <Credits />
    </>
  );
}
