import { MnistDataError } from '@mnist/data';
import { describe, expect, it } from 'vitest';
import { explainDataFailure } from './failures';

const explorer = { what: 'the test images', button: 'Evaluate' };

describe('data-loading failures in plain words', () => {
  it('tells an offline visitor what happened and what to do, without the developer error', () => {
    const error = new MnistDataError(
      'DOWNLOAD_FAILED',
      'Could not fetch http://127.0.0.1:4173/data/mnist/t10k-labels-idx1-ubyte.gz: TypeError: Failed to fetch',
    );
    const offline = explainDataFailure(error, { ...explorer, online: false }) ?? '';
    expect(offline).toBe(
      'You are offline, and the test images have not been downloaded yet: they are fetched the first time they ' +
        'are needed, then kept for offline use. Connect to the internet and press Evaluate again.',
    );
    expect(explainDataFailure(error, { ...explorer, online: true })).toBe(
      'The test images could not be downloaded: the connection failed or was cut. Check that you are online and ' +
        'press Evaluate to try again.',
    );
  });

  it('names a deployment without its data, damaged data and a cancelled load; leaves other errors alone', () => {
    const missing = new MnistDataError('DOWNLOAD_FAILED', 'x.gz answered HTTP 404 Not Found');
    expect(explainDataFailure(missing, { ...explorer, online: true })).toMatch(/missing the test images/);
    const damaged = new MnistDataError('CHECKSUM_MISMATCH', 'hash differs');
    expect(explainDataFailure(damaged, { ...explorer, online: true })).toMatch(/damaged.*press Evaluate/i);
    const aborted = new MnistDataError('ABORTED', 'cancelled');
    expect(explainDataFailure(aborted, { ...explorer, online: true })).toBe(
      'Loading the test images was cancelled.',
    );
    expect(explainDataFailure(new Error('other'), { ...explorer, online: true })).toBeUndefined();
  });
});
