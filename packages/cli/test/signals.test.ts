import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntil } from '@mnist/test-support';
import { initBackend, saveModel, TUTORIAL_RECIPE } from '@mnist/models/node';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../src/events/types';
import { EXIT } from '../src/exit-codes';
import { jsonLines, spawnCli, startCli } from './process';

// Issue 12, item 3: evaluate and predict stop at the first SIGINT or SIGTERM (between chunks of images,
// between files), a second signal ends the process at once, and train, evaluate and predict exit alike:
// 130 after SIGINT, 143 after SIGTERM. The cnn on the cpu backend makes evaluation slow enough that a
// run which ignored the signal would go on for minutes and report every image.

const SLOW_EVALUATION = ['evaluate', 'pretrained:cnn', '--backend', 'cpu', '--json'];

let scratch: string;
let bigImages: string[];
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'mnist-cli-signals-'));
  // Large drawings (a thick stroke on a 1600×1600 canvas): each takes a while to decode and prepare.
  bigImages = [];
  const side = 1600;
  const png = new PNG({ width: side, height: side });
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const ink = Math.abs(x - side / 2) < 120 && y > side / 5 && y < (side * 4) / 5;
      png.data.set(ink ? [0, 0, 0, 255] : [255, 255, 255, 255], (y * side + x) * 4);
    }
  }
  const bytes = PNG.sync.write(png);
  for (let i = 0; i < 12; i++) {
    const file = join(scratch, `big-${i}.png`);
    await writeFile(file, bytes);
    bigImages.push(file);
  }
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs an evaluation and sends `signals` once it has started evaluating (its first progress line). */
function interruptEvaluation(signals: readonly NodeJS.Signals[]) {
  let sent = false;
  return startCli(SLOW_EVALUATION, {
    onStderr: (text, child) => {
      if (sent || !text.includes('mnist: evaluating pretrained:cnn on 10,000 test images')) return;
      sent = true;
      for (const signal of signals) child.kill(signal);
    },
  });
}

describe('mnist evaluate stops on a signal', () => {
  it('SIGINT: stops after the current chunk, says so, reports done (aborted) and exits 130', async () => {
    const { code, stdout, stderr } = await interruptEvaluation(['SIGINT']);
    expect(stderr).toContain(
      'mnist: stopping after the current chunk of images (interrupt again to quit at once)',
    );
    const events = jsonLines<RunEvent>(stdout);
    expect(events.map((e) => e.type)).toEqual(['start', 'model', 'done']);
    const done = events.at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done.aborted).toBe(true);
    const evaluated = Number(/after ([\d,]+) of 10,000 images/.exec(done.message)?.[1]?.replace(/,/g, ''));
    expect(evaluated).toBeLessThan(10_000);
    expect(code).toBe(EXIT.interrupted);
  });
  it('SIGTERM: the same, with exit code 143', async () => {
    const { code, stdout } = await interruptEvaluation(['SIGTERM']);
    expect(jsonLines<RunEvent>(stdout).at(-1)).toMatchObject({ type: 'done', aborted: true });
    expect(code).toBe(EXIT.terminated);
  });
});

describe('a second signal ends the process at once', () => {
  // The first signal stops a command at its next safe point; the second ends the process by the signal itself,
  // without waiting for that point. For the second to arrive before the command can reach its safe point, the
  // CLI is paused (SIGSTOP) in the middle of preparing a drawing, with its main thread in JavaScript rather
  // than waiting in the event loop, and both signals are sent while it is paused: on SIGCONT both are
  // delivered at once, while the main thread is still busy with that drawing. Two pending signals of the same
  // kind merge into one, so they differ; which one Node sees first is up to the kernel's threads, so either
  // may be the one that ends the process.
  it('SIGINT and SIGTERM together: ended by the second signal itself (the shell reports 128 + its number)', async () => {
    let firstAnswer: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      firstAnswer = resolve;
    });
    const { child, finished } = spawnCli(['predict', '--json', ...bigImages], {
      onStdout: (text) => {
        if (text.includes('\n')) firstAnswer();
      },
    });
    await answered;
    await pauseWhileComputing(child.pid as number);
    child.kill('SIGINT');
    child.kill('SIGTERM');
    child.kill('SIGCONT');
    const ended = await finished;
    // After the progress note of piped runs, the stopping note and nothing more.
    expect(ended.stderr).toMatch(
      /^mnist: classifying 12 files with [^\n]+\nmnist: stopping after the current file \(interrupt again to quit at once\)\n$/,
    );
    expect(jsonLines<{ file: string }>(ended.stdout).length).toBeLessThan(bigImages.length);
    expect(ended.code).toBeNull();
    expect(['SIGINT', 'SIGTERM']).toContain(ended.signal);
  });
});

/**
 * Stops `pid` (SIGSTOP) at a moment its main thread is running JavaScript, not blocked in a system call such
 * as the event loop's wait: Linux's /proc/PID/task/PID/syscall reads "-1 …" for a thread stopped in user code
 * and the call's number otherwise. Tries again, letting it run a few milliseconds in between, until it is.
 */
async function pauseWhileComputing(pid: number): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    process.kill(pid, 'SIGSTOP');
    // SIGCONT would cancel a stop not yet carried out: wait until the kernel says it is stopped (no event says so).
    await waitUntil(
      `process ${pid} to be stopped (state T in /proc/${pid}/stat)`,
      async () => /^\d+ \(.*\) T /.test(await readFile(`/proc/${pid}/stat`, 'utf8')),
      { interval: 5 },
    );
    if ((await readFile(`/proc/${pid}/task/${pid}/syscall`, 'utf8')).startsWith('-1 ')) return;
    process.kill(pid, 'SIGCONT');
    await sleep(3);
  }
  throw new Error(`process ${pid} was never caught running JavaScript in 500 tries`);
}

describe('a network of the most arithmetic loadModel accepts', () => {
  // About 136 million operations an image (a 3×3 convolution of 64 channels into 300), under the 2²⁸ loadModel
  // accepts: on the cpu backend a third of a second or so an image, so the first chunk of 32 images used before
  // would run for ten seconds or more after a signal. Chunks are now sized by the model's cost: one image.
  it('evaluate stops within a chunk of one image after the signal, and exits 130', async () => {
    await initBackend('cpu', { log: false });
    const layersModel = sequential({
      layers: [
        layers.conv2d({ inputShape: [28, 28, 1], filters: 64, kernelSize: 1 }),
        layers.conv2d({ filters: 300, kernelSize: 3, padding: 'same', activation: 'relu' }),
        layers.globalAveragePooling2d({}),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const dir = join(scratch, 'costly');
    await saveModel({ name: 'costly', layersModel, inputKind: 'image', recipe: TUTORIAL_RECIPE }, dir);
    layersModel.dispose();
    let sent = false;
    const { code, stdout } = await startCli(
      ['evaluate', dir, '--backend', 'cpu', '--json', '--limit', '100'],
      {
        onStderr: (text, child) => {
          if (sent || !text.includes('mnist: evaluating ')) return;
          sent = true;
          child.kill('SIGINT');
        },
      },
    );
    const done = jsonLines<RunEvent>(stdout).at(-1) as Extract<RunEvent, { type: 'done' }>;
    expect(done).toMatchObject({ type: 'done', aborted: true });
    const evaluated = Number(/after ([\d,]+) of 100 images/.exec(done.message)?.[1]);
    expect(evaluated).toBeLessThan(32);
    expect(code).toBe(EXIT.interrupted);
  });
});

describe('mnist predict stops on a signal', () => {
  it('stops before the next file and exits 130', async () => {
    let sent = false;
    const { code, stdout, stderr } = await startCli(['predict', '--json', ...bigImages], {
      onStdout: (text, child) => {
        if (sent || !text.includes('\n')) return;
        sent = true;
        child.kill('SIGINT');
      },
    });
    expect(sent).toBe(true);
    expect(stderr).toContain('mnist: stopping after the current file (interrupt again to quit at once)');
    const answers = jsonLines<{ file: string; label: number }>(stdout);
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.length).toBeLessThan(bigImages.length);
    expect(answers.map((a) => a.file)).toEqual(bigImages.slice(0, answers.length));
    expect(code).toBe(EXIT.interrupted);
  });
});

describe('mnist train stops on SIGTERM like on SIGINT', () => {
  it('finishes the current batch, reports done (aborted) and exits 143', async () => {
    let sent = false;
    const { code, stdout } = await startCli(
      ['train', '--json', '--model', 'simple', '--epochs', '50', '--limit', '20000'],
      {
        onStdout: (text, child) => {
          if (sent || !text.includes('"type":"batch"')) return;
          sent = true;
          child.kill('SIGTERM');
        },
      },
    );
    const done = jsonLines<RunEvent>(stdout).at(-1);
    expect(done).toMatchObject({ type: 'done', aborted: true });
    expect((done as { message: string }).message).toMatch(/^Stopped by you simple during epoch \d+\/50\./);
    expect(code).toBe(EXIT.terminated);
  });
});
