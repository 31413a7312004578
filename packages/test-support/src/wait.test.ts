import { describe, expect, it } from 'vitest';
import { waitUntil } from './wait.js';

describe('waitUntil', () => {
  it('returns the first truthy value of the condition, checked again until then', async () => {
    let checks = 0;
    const value = await waitUntil('the third check', () => (++checks === 3 ? { checks } : undefined), {
      interval: 1,
    });
    expect(value).toEqual({ checks: 3 });
  });

  it('awaits an asynchronous condition', async () => {
    let checks = 0;
    expect(await waitUntil('a promise', async () => ++checks >= 2, { interval: 1 })).toBe(true);
  });

  it('fails naming what it waited for when the state never comes', async () => {
    await expect(
      waitUntil('a .part file in the cache', () => false, { timeout: 20, interval: 1 }),
    ).rejects.toThrow('waitUntil: timed out after 0.02 s waiting for a .part file in the cache');
  });

  it("fails with the condition's own error", async () => {
    await expect(
      waitUntil('a readable file', () => {
        throw new Error('EACCES');
      }),
    ).rejects.toThrow('EACCES');
  });
});
