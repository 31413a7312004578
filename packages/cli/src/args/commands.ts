import { DATASETS, type DatasetName } from '@mnist/data';
import {
  CROSS_ENTROPY_FORMS,
  type CrossEntropyForm,
  MAX_THREADS,
  MODEL_NAMES,
  type ModelName,
  NODE_BACKEND_NAMES,
  recipeFor,
  SIDE,
} from '@mnist/models';
import {
  type DocumentedOptionSpec,
  type DocumentedOptionSpecs,
  formatChoices,
  parseArgv,
  parseChoice,
  parseInteger,
  parsePositiveNumber,
  UsageError,
} from './parse';
import { isKerasFile } from '../files/keras-path';
import { type CommandName, parseTopLevel } from './top-level';

export { COMMAND_NAMES, type CommandName } from './top-level';
export type { ModelName } from '@mnist/models';

/** Backend preferences accepted by `--backend`: `auto`, then what @mnist/models can set up in Node. */
export const BACKENDS = ['auto', ...NODE_BACKEND_NAMES] as const;
/** A `--backend` value. */
export type BackendChoice = (typeof BACKENDS)[number];
/** Data sets accepted by `--dataset`: the ones @mnist/data knows. */
export const DATASET_NAMES = Object.keys(DATASETS) as DatasetName[];
/** A `--dataset` value. */
export type DatasetChoice = DatasetName;

/** Where the data comes from, shared by every command that reads images. */
export interface DataChoice {
  readonly dataset: DatasetChoice;
  /** `--data-dir`: look here only. */
  readonly dataDir: string | undefined;
  /** False with `--offline`: never touch the network. */
  readonly download: boolean;
}

/** Options of `mnist train`. */
export interface TrainOptions extends DataChoice {
  /** The zoo's models to create and train; empty with `--init`. */
  readonly models: ModelName[];
  /** `--init MODEL`: train this saved model (directory, `.keras` file or `pretrained:NAME`) instead of new ones. */
  readonly init: string | undefined;
  /** False with `--no-shuffle`: every epoch takes the images in order (Keras's `shuffle=False`). */
  readonly shuffle: boolean;
  /** `--cross-entropy`; `undefined`: the model's recipe decides (`logits` for the zoo). */
  readonly crossEntropy: CrossEntropyForm | undefined;
  /** `undefined`: each model's recipe decides (`resolveRecipe` from @mnist/models). */
  readonly epochs: number | undefined;
  readonly batchSize: number | undefined;
  readonly learningRate: number | undefined;
  /** `--threads`; `undefined`: the engine's default (the cores, at most 4). */
  readonly threads: number | undefined;
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
  /** `--cross-entropy`; `undefined`: the model's recipe decides. */
  readonly crossEntropy: CrossEntropyForm | undefined;
  readonly backend: BackendChoice;
  readonly limit: number | undefined;
  /** The flag `limit` came from: `--test-limit`, as train names it, or `--limit`, its older name here. */
  readonly limitFlag: '--test-limit' | '--limit';
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

/** Options of `mnist export`. */
export interface ExportOptions {
  /** A saved model directory or `pretrained:NAME`. */
  readonly model: string;
  /** The `.onnx` file to write. */
  readonly output: string;
  /** False with `--no-temperature`: probabilities at temperature 1. */
  readonly temperature: boolean;
  readonly backend: BackendChoice;
  readonly json: boolean;
}

/** A fully parsed and validated command line. */
export type Command =
  | { readonly name: 'train'; readonly options: TrainOptions }
  | { readonly name: 'evaluate'; readonly options: EvaluateOptions }
  | { readonly name: 'predict'; readonly options: PredictOptions }
  | { readonly name: 'show'; readonly options: ShowOptions }
  | { readonly name: 'data'; readonly options: DataOptions }
  | { readonly name: 'export'; readonly options: ExportOptions }
  | { readonly name: 'help'; readonly command: CommandName | undefined }
  | { readonly name: 'version' };

/**
 * The default model for `evaluate` and `predict` when none is named: the most accurate pretrained model
 * that @mnist/models ships (the cnn when its weights are there).
 */
export const DEFAULT_PRETRAINED = 'pretrained:best';

/** The models `mnist train` trains without --model or --init: the tutorial's two. */
export const DEFAULT_TRAIN_MODELS = 'simple,mlp';

/** The learning rates --learning-rate takes: below 1e-8 nothing is learnt (1e-320 trained to 10%), above 10 Adam diverges. */
const LEARNING_RATE_RANGE = { min: 1e-8, max: 10 } as const;

/** "5 for simple and mlp, 3 for cnn": a recipe setting across the models, for the help. */
function recipeDefault(key: 'epochs' | 'batchSize' | 'learningRate'): string {
  const byValue = new Map<number, ModelName[]>();
  for (const name of MODEL_NAMES) {
    const value = recipeFor(name)[key];
    byValue.set(value, [...(byValue.get(value) ?? []), name]);
  }
  const parts = [...byValue].map(([value, names]) => `${value} for ${formatChoices(names, 'and')}`);
  return `the model's recipe: ${parts.join(', ')}`;
}

const MODEL_REFERENCE_HELP = `a saved model directory, a .keras file, or pretrained:NAME (${[...MODEL_NAMES, 'best'].join(', ')})`;

const help = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} satisfies DocumentedOptionSpecs;
const crossEntropySpec = {
  type: 'string',
  value: 'FORM',
  help: `the loss's form: ${formatChoices(CROSS_ENTROPY_FORMS)} (Keras on TensorFlow, or Keras 3 on JAX and PyTorch)`,
  defaultHelp: "the model's recipe: logits",
} satisfies DocumentedOptionSpec;
const backendSpec = {
  type: 'string',
  value: 'NAME',
  help: formatChoices(BACKENDS),
  default: 'auto',
} satisfies DocumentedOptionSpec;
const dataSpecs = {
  dataset: { type: 'string', value: 'NAME', help: formatChoices(DATASET_NAMES), default: 'mnist' },
  'data-dir': { type: 'string', value: 'DIR', help: 'read the four IDX files (.gz or plain) from DIR only' },
  offline: { type: 'boolean', help: 'never download; use local copies only' },
} satisfies DocumentedOptionSpecs;

/** The options each command accepts, with their help and defaults (the help text is generated from these). */
export const COMMAND_SPECS: Record<CommandName, DocumentedOptionSpecs> = {
  train: {
    model: {
      type: 'string',
      short: 'm',
      value: 'NAMES',
      help: `${MODEL_NAMES.join(', ')}, a comma list, or all`,
      // Not filled in by the parser: --init and --model must not both be given.
      defaultHelp: DEFAULT_TRAIN_MODELS,
    },
    init: {
      type: 'string',
      value: 'MODEL',
      help: `train this model from its saved weights instead of new ones: ${MODEL_REFERENCE_HELP}`,
    },
    epochs: {
      type: 'string',
      short: 'e',
      value: 'N',
      help: 'epochs per model',
      defaultHelp: recipeDefault('epochs'),
    },
    'batch-size': {
      type: 'string',
      short: 'b',
      value: 'N',
      help: 'batch size',
      defaultHelp: recipeDefault('batchSize'),
    },
    'learning-rate': {
      type: 'string',
      value: 'X',
      help: 'Adam learning rate',
      defaultHelp: recipeDefault('learningRate'),
    },
    seed: { type: 'string', value: 'N', help: 'seed for weights and shuffling', default: '42' },
    threads: {
      type: 'string',
      value: 'N',
      help: `training threads, 1 to ${MAX_THREADS}; 1 to 4 give the same model (1 when the other cores are busy)`,
      defaultHelp: 'the cores, at most 4',
    },
    'no-shuffle': {
      type: 'boolean',
      help: "keep the training images in order every epoch (Keras's shuffle=False)",
    },
    'cross-entropy': crossEntropySpec,
    backend: backendSpec,
    limit: { type: 'string', value: 'N', help: 'train on the first N training images only' },
    'test-limit': { type: 'string', value: 'N', help: 'evaluate on the first N test images only' },
    save: {
      type: 'string',
      value: 'PATH',
      help:
        'save the trained model: a directory (DIR/<model> when training several), or FILE.keras for Keras 3; ' +
        'checked before training',
    },
    report: {
      type: 'string',
      value: 'FILE',
      help: 'write a self-contained HTML report (curves, heatmap, per-class table, mistakes)',
    },
    json: { type: 'boolean', help: 'one JSON object per event on stdout instead of the dashboard' },
    ...dataSpecs,
    ...help,
  },
  evaluate: {
    model: {
      type: 'string',
      short: 'm',
      value: 'MODEL',
      help: 'same as the MODEL argument',
      // Not filled in by the parser: a MODEL argument and --model must not both be given.
      defaultHelp: DEFAULT_PRETRAINED,
    },
    'test-limit': { type: 'string', value: 'N', help: 'evaluate on the first N test images only' },
    limit: { type: 'string', value: 'N', help: 'the older name of --test-limit' },
    'cross-entropy': crossEntropySpec,
    report: { type: 'string', value: 'FILE', help: 'write a self-contained HTML report' },
    json: { type: 'boolean', help: 'print JSON events instead of text' },
    backend: backendSpec,
    ...dataSpecs,
    ...help,
  },
  predict: {
    model: {
      type: 'string',
      short: 'm',
      value: 'MODEL',
      help: MODEL_REFERENCE_HELP,
      default: DEFAULT_PRETRAINED,
    },
    show: { type: 'boolean', help: `also draw the ${SIDE}×${SIDE} image the model saw` },
    json: { type: 'boolean', help: 'one JSON object per file' },
    backend: backendSpec,
    ...help,
  },
  show: {
    index: {
      type: 'string',
      short: 'i',
      multiple: true,
      value: 'N[,N...]',
      help: 'the images at these indices (also as arguments)',
    },
    label: { type: 'string', short: 'l', value: 'D', help: 'the first --count images of digit D' },
    count: { type: 'string', short: 'n', value: 'N', help: 'how many images', default: '8' },
    split: { type: 'string', value: 'NAME', help: 'test or train', default: 'test' },
    misclassified: {
      type: 'string',
      value: 'M',
      help: 'the test images that model M (directory or pretrained:NAME) gets wrong',
    },
    backend: { ...backendSpec, help: `backend for --misclassified: ${backendSpec.help}` },
    ...dataSpecs,
    ...help,
  },
  export: {
    model: {
      type: 'string',
      short: 'm',
      value: 'MODEL',
      help: 'same as the MODEL argument',
      // Not filled in by the parser: a MODEL argument and --model must not both be given.
      defaultHelp: DEFAULT_PRETRAINED,
    },
    output: { type: 'string', short: 'o', value: 'FILE', help: 'the .onnx file to write (required)' },
    'no-temperature': {
      type: 'boolean',
      help: "leave the model's calibration temperature out of the probabilities output",
    },
    json: { type: 'boolean', help: 'print one JSON object describing the file instead of text' },
    backend: backendSpec,
    ...help,
  },
  data: {
    ...dataSpecs,
    dataset: { ...dataSpecs.dataset, help: formatChoices([...DATASET_NAMES, 'all']), default: 'all' },
    json: { type: 'boolean', help: 'one JSON object per data set' },
    ...help,
  },
};

/**
 * Turns the command line (without node and script paths) into a validated {@link Command}.
 * @throws UsageError with a one-line reason for anything the user must fix.
 */
export function parseCommandLine(argv: readonly string[]): Command {
  const top = parseTopLevel(argv);
  if (top.name !== 'command') return top;
  const name = top.command;
  const { values, positionals } = parseArgv(top.rest, COMMAND_SPECS[name], name);
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
  const intOption = (key: string, min: number, max?: number): number | undefined => {
    const text = str(key);
    return text === undefined
      ? undefined
      : parseInteger(text, `--${key}`, max === undefined ? { min } : { min, max }, name);
  };
  const backend = (): BackendChoice => parseChoice(given('backend'), '--backend', BACKENDS, name);
  /** evaluate's test images: --test-limit, as train names it, or --limit, its older name; not both. */
  const testLimit = (): Pick<EvaluateOptions, 'limit' | 'limitFlag'> => {
    const current = intOption('test-limit', 1);
    const older = intOption('limit', 1);
    if (current !== undefined && older !== undefined)
      throw new UsageError('give --test-limit once (--limit is its older name)', name);
    return older !== undefined
      ? { limit: older, limitFlag: '--limit' }
      : { limit: current, limitFlag: '--test-limit' };
  };
  const crossEntropyOption = (): CrossEntropyForm | undefined => {
    const text = str('cross-entropy');
    return text === undefined ? undefined : parseChoice(text, '--cross-entropy', CROSS_ENTROPY_FORMS, name);
  };
  const dataChoice = (): DataChoice => ({
    dataset: parseChoice(given('dataset'), '--dataset', DATASET_NAMES, name),
    dataDir: str('data-dir'),
    download: !bool('offline'),
  });
  const nonEmpty = (key: string): string | undefined => {
    const text = str(key);
    if (text !== undefined && text.trim() === '')
      throw new UsageError(`--${key} needs a non-empty value`, name);
    return text;
  };
  /** An option that always has a value: the one given, or its spec's default. */
  const given = (key: string): string => nonEmpty(key) ?? '';
  /** The model of `evaluate` and `export`: a MODEL argument or --model (not both), else the best pretrained. */
  const modelArgument = (): string => {
    if (positionals.length > 1)
      throw new UsageError(`${name} takes one model, got ${positionals.length}`, name);
    const positional = positionals[0];
    const flag = nonEmpty('model');
    if (positional !== undefined && flag !== undefined) {
      throw new UsageError('give the model either as an argument or with --model, not both', name);
    }
    return checkModelReference(positional ?? flag ?? DEFAULT_PRETRAINED, name);
  };

  switch (name) {
    case 'train': {
      noPositionals();
      const learningRateText = str('learning-rate');
      const init = nonEmpty('init');
      const modelFlag = nonEmpty('model');
      if (init !== undefined && modelFlag !== undefined) {
        throw new UsageError(
          '--init trains the model it loads; give either --init or --model, not both',
          name,
        );
      }
      const models = init === undefined ? parseModels(modelFlag ?? DEFAULT_TRAIN_MODELS) : [];
      const save = nonEmpty('save');
      if (save !== undefined && isKerasFile(save) && models.length > 1) {
        throw new UsageError(
          `--save ${save} holds one model, but ${models.length} are trained (${models.join(', ')}): train them one ` +
            'at a time with a .keras file each, or give --save a directory (one sub-directory per model)',
          name,
        );
      }
      return {
        name,
        options: {
          ...dataChoice(),
          models,
          init: init === undefined ? undefined : checkModelReference(init, name),
          shuffle: !bool('no-shuffle'),
          crossEntropy: crossEntropyOption(),
          epochs: intOption('epochs', 1),
          batchSize: intOption('batch-size', 1),
          learningRate:
            learningRateText === undefined
              ? undefined
              : parsePositiveNumber(learningRateText, '--learning-rate', LEARNING_RATE_RANGE, name),
          threads: intOption('threads', 1, MAX_THREADS),
          // Seeds are 32-bit: 2^32 would silently be seed 0.
          seed: parseInteger(given('seed'), '--seed', { min: 0, max: 2 ** 32 - 1 }, name),
          backend: backend(),
          limit: intOption('limit', 1),
          testLimit: intOption('test-limit', 1),
          save,
          report: nonEmpty('report'),
          json: bool('json'),
        },
      };
    }
    case 'evaluate': {
      return {
        name,
        options: {
          ...dataChoice(),
          model: modelArgument(),
          crossEntropy: crossEntropyOption(),
          backend: backend(),
          ...testLimit(),
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
          model: checkModelReference(given('model'), name),
          backend: backend(),
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
          split: parseChoice(given('split'), '--split', ['test', 'train'] as const, name),
          indices,
          label:
            labelText === undefined
              ? undefined
              : parseInteger(labelText, '--label', { min: 0, max: 9 }, name),
          count: parseInteger(given('count'), '--count', { min: 1 }, name),
          misclassified: misclassified === undefined ? undefined : checkModelReference(misclassified, name),
          backend: backend(),
        },
      };
    }
    case 'export': {
      const model = modelArgument();
      const output = nonEmpty('output');
      if (output === undefined) throw new UsageError('export needs --output FILE.onnx', name);
      if (!/\.onnx$/i.test(output)) {
        throw new UsageError(`--output must name a .onnx file, got ${JSON.stringify(output)}`, name);
      }
      return {
        name,
        options: {
          model,
          output,
          temperature: !bool('no-temperature'),
          backend: backend(),
          json: bool('json'),
        },
      };
    }
    case 'data': {
      noPositionals();
      const dataset = parseChoice(given('dataset'), '--dataset', [...DATASET_NAMES, 'all'], name);
      return {
        name,
        options: {
          datasets: dataset === 'all' ? [...DATASET_NAMES] : [dataset],
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
