// Keeps the visitor's own model across reloads in IndexedDB (one slot: the latest trained or loaded model).
import type { YourModel } from './record';

const DB_NAME = 'mnist-demo';
const STORE = 'models';
const KEY = 'yours';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('This browser keeps no data for pages (no IndexedDB).'));
      return;
    }
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened.'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this page.'));
  });
}

async function transaction<T>(
  mode: IDBTransactionMode,
  action: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed.'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction was aborted (storage full?).'));
    });
  } finally {
    db.close();
  }
}

/** Whether a stored value has the shape the page wrote (storage is shared with older versions of the page). */
function isYourModel(value: unknown): value is YourModel {
  const v = value as Partial<YourModel> | undefined;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.modelJson === 'object' &&
    v.weights instanceof ArrayBuffer &&
    (v.origin === 'trained' || v.origin === 'loaded') &&
    typeof v.name === 'string' &&
    typeof v.savedAt === 'string'
  );
}

/** The stored model, or undefined when there is none (or what is stored is not one). */
export async function readYourModel(): Promise<YourModel | undefined> {
  const value = await transaction('readonly', (store) => store.get(KEY));
  return isYourModel(value) ? value : undefined;
}

/** Stores the model, replacing the previous one. */
export async function writeYourModel(model: YourModel): Promise<void> {
  await transaction('readwrite', (store) => store.put(model, KEY));
}

/** Forgets the stored model. */
export async function deleteYourModel(): Promise<void> {
  await transaction('readwrite', (store) => store.delete(KEY));
}
