// The READMEs quote training runs (the CLI's captured output, result tables); training is deterministic, so every
// figure they quote for a shipped model must be the one in @mnist/models' manifest, written by the script that
// trained the weights. When the code's arithmetic changes, the weights are retrained and the captures re-run:
// this test fails until both are done.
import { readFileSync } from 'node:fs';
import { type PretrainedEntry, pretrainedManifest } from '@mnist/models';
import { describe, expect, it } from 'vitest';

const repo = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, repo), 'utf8');
const percent = (fraction: number) => (fraction * 100).toFixed(2);

function entry(name: string): PretrainedEntry {
  const found = pretrainedManifest[name as keyof typeof pretrainedManifest];
  if (!found) throw new Error(`no manifest entry for '${name}'`);
  return found;
}

/** Every figure a captured `mnist train` run shows for a model, checked against the manifest; returns how many. */
function checkCapture(text: string): number {
  let checked = 0;
  for (const m of text.matchAll(/^(\w+) epoch (\d+)\/(\d+) · loss ([\d.]+) · accuracy ([\d.]+)%/gm)) {
    const [, name = '', epoch, epochs, loss, accuracy] = m;
    const logged = entry(name).epochs[Number(epoch) - 1];
    expect(Number(epochs), m[0]).toBe(entry(name).recipe.epochs);
    expect(loss, m[0]).toBe(logged?.loss.toFixed(4));
    expect(accuracy, m[0]).toBe(percent(logged?.accuracy ?? Number.NaN));
    checked++;
  }
  for (const m of text.matchAll(/^(\w+) test accuracy ([\d.]+)% · loss ([\d.]+) · ([\d,]+) images/gm)) {
    const [, name = '', accuracy, loss, images] = m;
    expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
    expect(loss, m[0]).toBe(entry(name).testLoss.toFixed(4));
    expect(Number(images?.replace(/,/g, '')), m[0]).toBe(entry(name).testImages);
    checked++;
  }
  for (const m of text.matchAll(/Test accuracy: ((?:\w+ [\d.]+%(?:, )?)+)/g)) {
    for (const [, name = '', accuracy] of (m[1] ?? '').matchAll(/(\w+) ([\d.]+)%/g)) {
      expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
      checked++;
    }
  }
  for (const m of text.matchAll(
    /^(\w+): .* · ([\d,]+) parameters · (\d+) epochs, batch (\d+), Adam lr ([\d.]+)/gm,
  )) {
    const [, name = '', params, epochs, batch, lr] = m;
    const { recipe } = entry(name);
    expect(Number(params?.replace(/,/g, '')), m[0]).toBe(entry(name).params);
    expect([Number(epochs), Number(batch), Number(lr)], m[0]).toEqual([
      recipe.epochs,
      recipe.batchSize,
      recipe.learningRate,
    ]);
    checked++;
  }
  return checked;
}

describe('captured runs of the tutorial flow', () => {
  it.each(['README.md', 'packages/cli/README.md'])(
    '%s shows the manifest figures of simple and mlp',
    (path) => {
      const text = read(path);
      expect(checkCapture(text)).toBeGreaterThanOrEqual(2 * (5 + 1 + 1));
      // Captured with the CLI's default seed, which is the manifest's.
      const backend = /· backend (\w+)/.exec(text)?.[1];
      expect(backend).toBe(entry('mlp').backend);
    },
  );

  it('the root README names the seed and the accuracies of the capture', () => {
    const sentence = /we get ([\d.]+)% and ([\d.]+)% \(seed (\d+)/.exec(read('README.md'));
    expect(sentence?.slice(1)).toEqual([
      percent(entry('simple').testAccuracy),
      percent(entry('mlp').testAccuracy),
      String(entry('mlp').seed),
    ]);
    expect(entry('simple').seed).toBe(entry('mlp').seed);
  });
});

describe("@mnist/models' README tables", () => {
  const text = read('packages/models/README.md');

  it('quote each model at its manifest test accuracy (and loss, where given) in the tables of shipped figures', () => {
    let rows = 0;
    // Tables whose header has a "test accuracy" column; other tables (benchmarks on other sets) are not the manifest's.
    for (const table of text.split(/\n(?!\|)/).filter((block) => /^\|.*test accuracy/m.test(block))) {
      for (const m of table.matchAll(/^\| `(simple|mlp|cnn)` \|(.*)$/gm)) {
        const [, name = '', cells = ''] = m;
        const accuracy = /([\d.]+)%/.exec(cells)?.[1];
        if (accuracy === undefined) continue;
        expect(accuracy, m[0]).toBe(percent(entry(name).testAccuracy));
        const loss = /\| ([\d.]+) \|/.exec(cells)?.[1];
        if (loss?.includes('.')) expect(loss, m[0]).toBe(entry(name).testLoss.toFixed(4));
        rows++;
      }
    }
    expect(rows).toBeGreaterThanOrEqual(5);
  });
});
