import {
  type OptionSpecs,
  parseArgv,
  parseChoice,
  parseInteger,
  parsePositiveNumber,
  UsageError,
} from './parse';

/** Models the CLI can train by name. */
export const MODEL_NAMES = ['simple', 'mlp', 'cnn'] as const;
/** A trainable model's name. */
export type ModelName = (typeof MODEL_NAMES)[number];
/** Backend preferences accepted by `--backend`. */
export const BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
/** A `--backend` value. */
export type BackendChoice = (typeof BACKENDS)[number];
/** Data sets accepted by `--dataset`. */
export const DATASETS = ['mnist', 'fashion-mnist'] as const;
/** A `--dataset` value. */
export type DatasetChoice = (typeof DATASETS)[number];

/** Where the data comes from, shared by every command that reads images. */
export interface DataChoice {
  readonly dataset: DatasetChoice;
  /** `--data-dir`: look here first. */
  readonly dataDir: string | undefined;
  /** False with `--offline`: never touch the network. */
  readonly download: boolean;
}

/** Options of `mnist train`. */
export interface TrainOptions extends DataChoice {
  readonly models: ModelName[];
  readonly epochs: number | undefined;
  readonly batchSize: number | undefined;
  readonly learningRate: number | undefined;
  readonly seed: number;
  readonly backend: BackendChoice;
  readonly limit: number | undefined;
  readonly testLimit: number | undefined;
  readonly save: string | undefined;
  readonly report: string | undefined;
  readonly json: boolean;
}

/** Options of `mnist evaluate`. */
export interface EvaluateOptions extends DataChoice {
  /** A saved model directory or `pretrained:NAME`. */
  readonly model: string;
  readonly backend: BackendChoice;
  readonly limit: number | undefined;
  readonly report: string | undefined;
  readonly json: boolean;
}

/** Options of `mnist predict`. */
export interface PredictOptions {
  readonly files: string[];
  readonly model: string;
  readonly backend: BackendChoice;
  readonly json: boolean;
  /** Draw the 28×28 image the model saw under each answer. */
  readonly show: boolean;
}

/** Options of `mnist show`. */
export interface ShowOptions extends DataChoice {
  readonly split: 'train' | 'test';
  readonly indices: number[] | undefined;
  readonly label: number | undefined;
  readonly count: number;
  /** A model (directory or `pretrained:NAME`) whose mistakes to show. */
  readonly misclassified: string | undefined;
  readonly backend: BackendChoice;
}

/** Options of `mnist data`. */
export interface DataOptions {
  readonly datasets: DatasetChoice[];
  readonly dataDir: string | undefined;
  readonly download: boolean;
  readonly json: boolean;
}

/** A fully parsed and validated command line. */
export type Command =
  | { readonly name: 'train'; readonly options: TrainOptions }
  | { readonly name: 'evaluate'; readonly options: EvaluateOptions }
  | { readonly name: 'predict'; readonly options: PredictOptions }
  | { readonly name: 'show'; readonly options: ShowOptions }
  | { readonly name: 'data'; readonly options: DataOptions }
  | { readonly name: 'help'; readonly command: CommandName | undefined }
  | { readonly name: 'version' };

/** The sub-commands. */
export const COMMAND_NAMES = ['train', 'evaluate', 'predict', 'show', 'data'] as const;
/** A sub-command's name. */
export type CommandName = (typeof COMMAND_NAMES)[number];

const help = { help: { type: 'boolean', short: 'h' } } as const;
const dataSpecs = {
  dataset: { type: 'string' },
  'data-dir': { type: 'string' },
  offline: { type: 'boolean' },
} as const;

/** The options each command accepts (the help text in usage.ts documents them). */
export const COMMAND_SPECS: Record<CommandName, OptionSpecs> = {
  train: {
    ...help,
    ...dataSpecs,
    model: { type: 'string', short: 'm' },
    epochs: { type: 'string', short: 'e' },
    'batch-size': { type: 'string', short: 'b' },
    'learning-rate': { type: 'string' },
    seed: { type: 'string' },
    backend: { type: 'string' },
    limit: { type: 'string' },
    'test-limit': { type: 'string' },
    save: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
  },
  evaluate: {
    ...help,
    ...dataSpecs,
    model: { type: 'string', short: 'm' },
    backend: { type: 'string' },
    limit: { type: 'string' },
    report: { type: 'string' },
    json: { type: 'boolean' },
  },
  predict: {
    ...help,
    model: { type: 'string', short: 'm' },
    backend: { type: 'string' },
    json: { type: 'boolean' },
    show: { type: 'boolean' },
  },
  show: {
    ...help,
    ...dataSpecs,
    split: { type: 'string' },
    index: { type: 'string', short: 'i', multiple: true },
    label: { type: 'string', short: 'l' },
    count: { type: 'string', short: 'n' },
    misclassified: { type: 'string' },
    backend: { type: 'string' },
  },
  data: { ...help, ...dataSpecs, json: { type: 'boolean' } },
};

/**
 * The default model for `evaluate` and `predict` when none is named: the most accurate pretrained model
 * that @mnist/models ships (the cnn when its weights are there).
 */
export const DEFAULT_PRETRAINED = 'pretrained:best';

/**
 * Turns the command line (without node and script paths) into a validated {@link Command}.
 * @throws UsageError with a one-line reason for anything the user must fix.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { name: 'help', command: undefined };
    return { name: 'help', command: parseChoice(topic, 'help topic', COMMAND_NAMES) };
  }
  if (first === '--version' || first === '-v' || first === '-V') return { name: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (options go after the command)`);
  if (!(COMMAND_NAMES as readonly string[]).includes(first))
    throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  const name = first as CommandName;
  const { values, positionals } = parseArgv(rest, COMMAND_SPECS[name], name);
  if (values.help === true) return { name: 'help', command: name };
  const str = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' ? value : undefined;
  };
  const bool = (key: string): boolean => values[key] === true;
  const noPositionals = () => {
    if (positionals.length > 0)
      throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`, name);
  };
  const intOption = (key: string, min: number): number | undefined => {
    const text = str(key);
    return text === undefined ? undefined : parseInteger(text, `--${key}`, { min }, name);
  };
  const backend = parseChoice(str('backend') ?? 'auto', '--backend', BACKENDS, name);
  const dataChoice = (): DataChoice => ({
    dataset: parseChoice(str('dataset') ?? 'mnist', '--dataset', DATASETS, name),
    dataDir: str('data-dir'),
    download: !bool('offline'),
  });
  const nonEmpty = (key: string): string | undefined => {
    const text = str(key);
    if (text !== undefined && text.trim() === '')
      throw new UsageError(`--${key} needs a non-empty value`, name);
    return text;
  };

  switch (name) {
    case 'train': {
      noPositionals();
      const learningRateText = str('learning-rate');
      const report = nonEmpty('report');
      return {
        name,
        options: {
          ...dataChoice(),
          models: parseModels(str('model') ?? 'simple,mlp'),
          epochs: intOption('epochs', 1),
          batchSize: intOption('batch-size', 1),
          learningRate:
            learningRateText === undefined
              ? undefined
              : parsePositiveNumber(learningRateText, '--learning-rate', 10, name),
          seed: intOption('seed', 0) ?? 42,
          backend,
          limit: intOption('limit', 1),
          testLimit: intOption('test-limit', 1),
          save: nonEmpty('save'),
          report,
          json: bool('json'),
        },
      };
    }
    case 'evaluate': {
      if (positionals.length > 1)
        throw new UsageError(`evaluate takes one model, got ${positionals.length}`, name);
      const positional = positionals[0];
      const flag = nonEmpty('model');
      if (positional !== undefined && flag !== undefined) {
        throw new UsageError('give the model either as an argument or with --model, not both', name);
      }
      return {
        name,
        options: {
          ...dataChoice(),
          model: checkModelReference(positional ?? flag ?? DEFAULT_PRETRAINED, name),
          backend,
          limit: intOption('limit', 1),
          report: nonEmpty('report'),
          json: bool('json'),
        },
      };
    }
    case 'predict': {
      if (positionals.length === 0)
        throw new UsageError('predict needs at least one image file (PNG or PGM)', name);
      return {
        name,
        options: {
          files: positionals,
          model: checkModelReference(nonEmpty('model') ?? DEFAULT_PRETRAINED, name),
          backend,
          json: bool('json'),
          show: bool('show'),
        },
      };
    }
    case 'show': {
      // Indices may also be given as positionals: `mnist show 0 1 2`.
      const indexTexts = [...((values.index as string[] | undefined) ?? []), ...positionals].flatMap((text) =>
        text.split(',').filter((part) => part !== ''),
      );
      const labelText = str('label');
      const misclassified = nonEmpty('misclassified');
      const indices =
        indexTexts.length > 0 ? indexTexts.map((t) => parseInteger(t, 'index', { min: 0 }, name)) : undefined;
      if (indices !== undefined && (labelText !== undefined || misclassified !== undefined)) {
        throw new UsageError('choose images either by index or by --label/--misclassified', name);
      }
      return {
        name,
        options: {
          ...dataChoice(),
          split: parseChoice(str('split') ?? 'test', '--split', ['train', 'test'] as const, name),
          indices,
          label:
            labelText === undefined
              ? undefined
              : parseInteger(labelText, '--label', { min: 0, max: 9 }, name),
          count: intOption('count', 1) ?? 8,
          misclassified: misclassified === undefined ? undefined : checkModelReference(misclassified, name),
          backend,
        },
      };
    }
    case 'data': {
      noPositionals();
      const dataset = str('dataset') ?? 'all';
      return {
        name,
        options: {
          datasets:
            dataset === 'all'
              ? [...DATASETS]
              : [parseChoice(dataset, '--dataset', [...DATASETS, 'all'], name) as DatasetChoice],
          dataDir: str('data-dir'),
          download: !bool('offline'),
          json: bool('json'),
        },
      };
    }
  }
}

/** Parses `--model`: one name, a comma-separated list, or `all`. */
export function parseModels(text: string): ModelName[] {
  if (text === 'all') return [...MODEL_NAMES];
  const names = text.split(',').map((part) => part.trim());
  const models = names.map((part) => parseChoice(part, '--model', [...MODEL_NAMES, 'all'], 'train'));
  if (models.includes('all')) return [...MODEL_NAMES];
  return [...new Set(models as ModelName[])];
}

function checkModelReference(text: string, command: CommandName): string {
  if (text.startsWith('pretrained:')) {
    parseChoice(text.slice('pretrained:'.length), 'the pretrained model', [...MODEL_NAMES, 'best'], command);
  }
  return text;
}
