import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMAND_SPECS, parseCommandLine } from './commands';
import { formatOptionHelp, parseArgv, UsageError } from './parse';
import { commandUsage } from './usage';

const usageError = (argv: string[]): UsageError => {
  try {
    parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('parseArgv', () => {
  const specs = {
    epochs: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  } as const;
  it('reads --name value, --name=value, flags, --no-flags, short aliases and --', () => {
    expect(parseArgv(['--epochs', '3', '--json', 'a', '--', '--x'], specs)).toEqual({
      values: { epochs: '3', json: true },
      positionals: ['a', '--x'],
    });
    expect(parseArgv(['--epochs=7', '--no-json', '-h'], specs).values).toEqual({
      epochs: '7',
      json: false,
      help: true,
    });
  });
  it('keeps a dash-leading value for validation but refuses a missing one', () => {
    expect(parseArgv(['--epochs', '-1'], specs).values.epochs).toBe('-1');
    expect(() => parseArgv(['--epochs', '--json'], specs)).toThrow('--epochs needs a value');
    expect(() => parseArgv(['--epochs'], specs)).toThrow('--epochs needs a value');
  });
  it('fills in the defaults of options not given', () => {
    const withDefaults = { ...specs, seed: { type: 'string', default: '42' } } as const;
    expect(parseArgv([], withDefaults).values).toEqual({ seed: '42' });
    expect(parseArgv(['--seed', '7'], withDefaults).values).toEqual({ seed: '7' });
  });
  it('refuses unknown options and values given to flags', () => {
    expect(() => parseArgv(['--nope'], specs)).toThrow('unknown option --nope');
    expect(() => parseArgv(['--exclaim'], specs)).toThrow(/^unknown option --exclaim$/);
    expect(() => parseArgv(['-x'], specs)).toThrow('unknown option -x');
    expect(() => parseArgv(['--json=yes'], specs)).toThrow('--json takes no value');
  });
});

describe('formatOptionHelp', () => {
  it('lays out flags, placeholder, description and default in two columns', () => {
    expect(
      formatOptionHelp({
        epochs: {
          type: 'string',
          short: 'e',
          value: 'N',
          help: 'epochs per model',
          defaultHelp: 'the recipe',
        },
        seed: { type: 'string', value: 'N', help: 'seed', default: '42' },
        json: { type: 'boolean', help: 'JSON lines' },
        'a-very-long-option-name': { type: 'string', value: 'VALUE', help: 'long' },
      }),
    ).toEqual([
      '  -e, --epochs N         epochs per model (default: the recipe)',
      '      --seed N           seed (default: 42)',
      '      --json             JSON lines',
      '      --a-very-long-option-name VALUE  long',
    ]);
  });
});

describe('the help is generated from the option specs', () => {
  it.each(COMMAND_NAMES)('%s: every option appears once, with the default the parser uses', (name) => {
    const help = commandUsage(name);
    for (const [option, spec] of Object.entries(COMMAND_SPECS[name])) {
      const lines = help
        .split('\n')
        .filter((line) => line.includes(`--${option} `) || line.endsWith(`--${option}`));
      const own = lines.filter((line) => new RegExp(`^  (-\\w, )? *--${option}\\b`).test(line));
      expect(own).toHaveLength(1);
      const text = spec.defaultHelp ?? spec.default;
      if (text !== undefined) expect(own[0]).toContain(`(default: ${text})`);
    }
  });
  it('states the recipes and the CLI defaults of train as the code uses them', () => {
    const help = commandUsage('train');
    expect(help).toContain("epochs per model (default: the model's recipe: 5 for simple and mlp");
    expect(help).toContain('--seed N           seed for weights and shuffling (default: 42)');
    expect(help).toContain('--backend NAME     auto, tensorflow, wasm or cpu (default: auto)');
    expect(help).toContain('--model NAMES      simple, mlp, cnn, a comma list, or all (default: simple,mlp)');
    const parsed = parseCommandLine(['train']);
    expect(parsed).toMatchObject({ options: { seed: 42, backend: 'auto', models: ['simple', 'mlp'] } });
  });
});

describe('parseCommandLine', () => {
  it('gives the tutorial flow for a bare `train`', () => {
    const command = parseCommandLine(['train']);
    expect(command).toMatchObject({
      name: 'train',
      options: {
        models: ['simple', 'mlp'],
        init: undefined,
        shuffle: true,
        crossEntropy: undefined,
        epochs: undefined,
        seed: 42,
        backend: 'auto',
        dataset: 'mnist',
        download: true,
        json: false,
      },
    });
  });
  it('reads --init instead of --model, and --cross-entropy for evaluate too', () => {
    expect(parseCommandLine(['train', '--init', 'pretrained:mlp'])).toMatchObject({
      options: { models: [], init: 'pretrained:mlp', shuffle: true },
    });
    expect(() => parseCommandLine(['train', '--init', 'pretrained:big'])).toThrow(/pretrained model/);
    expect(parseCommandLine(['evaluate', '--cross-entropy', 'probabilities'])).toMatchObject({
      options: { model: 'pretrained:best', crossEntropy: 'probabilities' },
    });
    expect(() => parseCommandLine(['evaluate', '--cross-entropy', 'sigmoid'])).toThrow(/--cross-entropy/);
  });
  it('reads every train option', () => {
    const command = parseCommandLine([
      'train',
      '--model',
      'cnn',
      '--epochs',
      '2',
      '-b',
      '64',
      '--learning-rate',
      '0.01',
      '--seed',
      '7',
      '--backend',
      'cpu',
      '--dataset',
      'fashion-mnist',
      '--data-dir',
      'd',
      '--limit',
      '2000',
      '--test-limit',
      '500',
      '--save',
      'out',
      '--report',
      'r.html',
      '--json',
      '--offline',
      '--no-shuffle',
      '--cross-entropy',
      'probabilities',
    ]);
    expect(command).toEqual({
      name: 'train',
      options: {
        models: ['cnn'],
        init: undefined,
        shuffle: false,
        crossEntropy: 'probabilities',
        epochs: 2,
        batchSize: 64,
        learningRate: 0.01,
        seed: 7,
        backend: 'cpu',
        dataset: 'fashion-mnist',
        dataDir: 'd',
        download: false,
        limit: 2000,
        testLimit: 500,
        save: 'out',
        report: 'r.html',
        json: true,
      },
    });
  });
  it('expands --model all and comma lists', () => {
    expect(parseCommandLine(['train', '--model', 'all'])).toMatchObject({
      options: { models: ['simple', 'mlp', 'cnn'] },
    });
    expect(parseCommandLine(['train', '-m', 'mlp,simple,mlp'])).toMatchObject({
      options: { models: ['mlp', 'simple'] },
    });
  });
  it('explains bad values in one line, naming the option and the value', () => {
    expect(usageError(['train', '--epochs', '-1']).message).toBe(
      '--epochs must be a positive integer, got "-1"',
    );
    expect(usageError(['train', '--epochs', '2.5']).message).toBe(
      '--epochs must be a positive integer, got "2.5"',
    );
    expect(usageError(['train', '--model', 'nope']).message).toBe(
      '--model must be one of simple, mlp, cnn, all, got "nope"',
    );
    expect(usageError(['train', '--backend', 'gpu']).message).toContain(
      '--backend must be one of auto, tensorflow, wasm, cpu',
    );
    // A learning rate too small to learn anything, or large enough to diverge, and a seed that is not 32-bit (#25).
    for (const rate of ['0', '1e-320', '5e-9', '11']) {
      expect(usageError(['train', '--learning-rate', rate]).message).toBe(
        `--learning-rate must be a number from 1e-8 to 10, got "${rate}"`,
      );
    }
    expect(parseCommandLine(['train', '--learning-rate', '1e-8'])).toMatchObject({
      options: { learningRate: 1e-8 },
    });
    expect(usageError(['train', '--seed', String(2 ** 32)]).message).toBe(
      '--seed must be a whole number from 0 to 4294967295, got "4294967296"',
    );
    expect(parseCommandLine(['train', '--seed', String(2 ** 32 - 1)])).toMatchObject({
      options: { seed: 2 ** 32 - 1 },
    });
    expect(usageError(['train', '--bogus']).message).toBe('unknown option --bogus');
    // A mistyped flag gets the one it most likely meant, as git and npm do.
    expect(usageError(['train', '--epoch', '2']).message).toBe(
      'unknown option --epoch (did you mean --epochs?)',
    );
    expect(usageError(['train', '--lmit', '2']).message).toBe(
      'unknown option --lmit (did you mean --limit?)',
    );
    expect(usageError(['train', '--josn']).message).toBe('unknown option --josn (did you mean --json?)');
    expect(usageError(['evaluate', '--test-limt', '9']).message).toBe(
      'unknown option --test-limt (did you mean --test-limit?)',
    );
    expect(usageError(['train', '--bogus']).command).toBe('train');
    expect(usageError(['frobnicate']).message).toBe('unknown command "frobnicate"');
    expect(usageError([]).message).toBe('no command given');
    expect(usageError(['predict']).message).toContain('at least one image');
    expect(usageError(['evaluate', '--model', 'pretrained:big']).message).toContain(
      'pretrained model must be one of',
    );
    expect(usageError(['show', '--label', '10']).message).toBe(
      '--label must be a whole number from 0 to 9, got "10"',
    );
  });
  it('recognises help and version everywhere', () => {
    expect(parseCommandLine(['--help'])).toEqual({ name: 'help', command: undefined });
    expect(parseCommandLine(['help', 'predict'])).toEqual({ name: 'help', command: 'predict' });
    expect(parseCommandLine(['train', '--epochs', '3', '-h'])).toEqual({ name: 'help', command: 'train' });
    expect(parseCommandLine(['--version'])).toEqual({ name: 'version' });
  });
  it("names evaluate's test images as train does (--test-limit), --limit still read as its older name", () => {
    expect(parseCommandLine(['evaluate', '--test-limit', '100'])).toMatchObject({
      options: { limit: 100, limitFlag: '--test-limit' },
    });
    expect(parseCommandLine(['evaluate', '--limit', '50'])).toMatchObject({
      options: { limit: 50, limitFlag: '--limit' },
    });
    expect(parseCommandLine(['evaluate'])).toMatchObject({ options: { limit: undefined } });
    expect(usageError(['evaluate', '--limit', '5', '--test-limit', '5']).message).toBe(
      'give --test-limit once (--limit is its older name)',
    );
  });
  it('reads evaluate, predict, show and data', () => {
    expect(parseCommandLine(['evaluate', 'dir'])).toMatchObject({
      name: 'evaluate',
      options: { model: 'dir' },
    });
    expect(parseCommandLine(['evaluate'])).toMatchObject({ options: { model: 'pretrained:best' } });
    expect(parseCommandLine(['predict', 'a.png', 'b.pgm', '--model', 'pretrained:mlp'])).toMatchObject({
      options: { files: ['a.png', 'b.pgm'], model: 'pretrained:mlp', show: false },
    });
    expect(parseCommandLine(['show', '1', '-i', '5,6'])).toMatchObject({
      options: { indices: [5, 6, 1], split: 'test', count: 8 },
    });
    expect(parseCommandLine(['show', '--label', '3', '--split', 'train'])).toMatchObject({
      options: { label: 3, split: 'train' },
    });
    expect(parseCommandLine(['data'])).toMatchObject({ options: { datasets: ['mnist', 'fashion-mnist'] } });
    expect(parseCommandLine(['data', '--dataset', 'mnist', '--offline'])).toMatchObject({
      options: { datasets: ['mnist'], download: false },
    });
  });
});
