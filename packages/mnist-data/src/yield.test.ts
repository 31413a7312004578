import { afterEach, describe, expect, it, vi } from 'vitest';
import { yieldToEventLoop } from './yield.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('yieldToEventLoop', () => {
  it('in Node, lets the event loop turn: what was queued before it has run when it resolves', async () => {
    const ran: string[] = [];
    setImmediate(() => ran.push('immediate'));
    // A chain of resolved promises alone never lets the immediate run.
    for (let i = 0; i < 1000; i++) await Promise.resolve();
    expect(ran).toEqual([]);
    await yieldToEventLoop();
    expect(ran).toEqual(['immediate']);
  });

  it('in Node, resolves after the next poll phase: an immediate queued from the first turn has run too', async () => {
    const ran: string[] = [];
    // Queued during the check phase, this one runs in the next turn, after its poll phase (where I/O and signals
    // are delivered); the yield resolves only after it.
    setImmediate(() => setImmediate(() => ran.push('next turn')));
    await yieldToEventLoop();
    expect(ran).toEqual(['next turn']);
  });

  it('without setImmediate (browsers, workers), yields through a MessageChannel task', async () => {
    vi.stubGlobal('setImmediate', undefined);
    let settled = false;
    const yielded = yieldToEventLoop().then(() => {
      settled = true;
    });
    for (let i = 0; i < 1000; i++) await Promise.resolve();
    expect(settled).toBe(false);
    await yielded;
    expect(settled).toBe(true);
  });
});
