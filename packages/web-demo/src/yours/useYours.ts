import { useCallback, useEffect, useRef, useState } from 'react';
import type { Inference } from '../inference/useInference';
import type { YourModel } from './record';
import { deleteYourModel, readYourModel, writeYourModel } from './store';

/** The visitor's own model, as the page holds it. */
export interface Yours {
  /** `loading` until the stored model (if any) has been read and loaded. */
  status: 'loading' | 'ready';
  model: YourModel | undefined;
  /** Why the model cannot be kept across reloads (private browsing, storage full), when that is so. */
  storageProblem: string | undefined;
  /**
   * Makes `model` the visitor's model: checked by loading it (rejects with the reason, changing nothing),
   * then kept in IndexedDB.
   */
  adopt(model: YourModel): Promise<void>;
  /** Forgets it (here and in storage). */
  remove(): Promise<void>;
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Reads the stored model on start, and keeps the inference engine and storage in step with the visitor's choices. */
export function useYours(inference: Inference): Yours {
  const [status, setStatus] = useState<Yours['status']>('loading');
  const [model, setModel] = useState<YourModel>();
  const [storageProblem, setStorageProblem] = useState<string>();
  const { setYours } = inference;
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    (async () => {
      try {
        const stored = await readYourModel();
        if (stored) {
          await setYours({ modelJson: stored.modelJson, weights: stored.weights });
          setModel(stored);
        }
      } catch (e) {
        setStorageProblem(`Your model could not be restored: ${describe(e)}`);
      } finally {
        setStatus('ready');
      }
    })();
  }, [setYours]);

  const adopt = useCallback(
    async (next: YourModel) => {
      await setYours({ modelJson: next.modelJson, weights: next.weights });
      setModel(next);
      try {
        await writeYourModel(next);
        setStorageProblem(undefined);
      } catch (e) {
        setStorageProblem(`This browser will not keep your model after a reload: ${describe(e)}`);
      }
    },
    [setYours],
  );

  const remove = useCallback(async () => {
    await setYours(undefined);
    setModel(undefined);
    await deleteYourModel().catch(() => undefined);
  }, [setYours]);

  return { status, model, storageProblem, adopt, remove };
}
