import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * What a test file costs, roughly, from where it lives: the consumer project (packs, installs) and the page's e2e
 * files (a Chromium each) run for tens of seconds, a package's test/ folder starts processes and servers, unit
 * tests beside their modules take milliseconds.
 */
function weight(file: TestSpecification): number {
  const path = file.moduleId.replaceAll('\\', '/');
  if (/\/tests\/consumer\/|\/test\/e2e\//.test(path)) return 2;
  if (/\/test\//.test(path)) return 1;
  return 0;
}

/**
 * Longest first, across every package: the slow files start while the others fill the second core, and the run
 * ends on unit tests instead of one core waiting for a Chromium. (Vitest's own order runs one package after another,
 * which left the page's e2e files for last.) Within a weight, vitest's order: larger files first.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const order = await super.sort(files);
    return order
      .map((file, index) => ({ file, index, weight: weight(file) }))
      .sort((a, b) => b.weight - a.weight || a.index - b.index)
      .map(({ file }) => file);
  }
}

// One vitest project per package; each package's own vitest.config.ts says how its tests run.
export default defineConfig({
  test: {
    projects: ['packages/*', 'tests/*'],
    // The tests are CPU-bound (tfjs, Chromium, child processes): one worker per core.
    maxWorkers: availableParallelism(),
    sequence: { sequencer: LongestFirst },
  },
});
