import { COMMAND_SPECS, type CommandName } from './commands';
import { formatOptionHelp } from './parse';
import { MAIN_USAGE } from './top-level';

/** What each command's help says around its options (the options come from {@link COMMAND_SPECS}). */
const COMMAND_HELP: Record<CommandName, { usage: string; about: string; examples: string[] }> = {
  train: {
    usage: 'mnist train [options]',
    about: `Loads and verifies the data, shows sample digits, trains each model, evaluates it on the test set and
reports accuracy, the confusion matrix as a heatmap and per-class precision/recall/F1.
With no options: the tutorial flow, simple then mlp with the tutorial's recipe.
Press q or Ctrl-C to stop between batches; a second press quits at once.`,
    examples: [
      'mnist train',
      'mnist train --model mlp --epochs 2 --limit 10000 --save ./models/mlp',
      'mnist train --model cnn --report cnn.html',
      `mnist train --json --limit 2000 --epochs 1 | jq -c 'select(.type == "epoch")'`,
    ],
  },
  evaluate: {
    usage: 'mnist evaluate [MODEL] [options]',
    about: `Evaluates a model on the test set: accuracy, loss, confusion matrix heatmap and per-class report.
MODEL is a directory written by \`mnist train --save\` (model.json + weights.bin) or pretrained:simple,
pretrained:mlp, pretrained:cnn, or pretrained:best, the most accurate one shipped (the default).`,
    examples: ['mnist evaluate ./models/mlp', 'mnist evaluate --model pretrained:mlp --report mlp.html'],
  },
  predict: {
    usage: 'mnist predict FILE... [options]',
    about: `Classifies images of single handwritten digits (PNG or PGM, any size, black on white or white on black)
after MNIST's own preprocessing (crop, scale to 20 px, centre of mass at the centre). Prints the digit,
the confidence and the top 3.`,
    examples: ['mnist predict digit.png', 'mnist predict *.png --model ./models/mlp --json'],
  },
  show: {
    usage: 'mnist show [INDEX...] [options]',
    about:
      'Draws MNIST images in the terminal with Unicode half-blocks (greyscale; shapes only with NO_COLOR).',
    examples: [
      'mnist show 0 1 2',
      'mnist show --label 7 --count 12 --split train',
      'mnist show --misclassified pretrained:mlp --count 6',
    ],
  },
  export: {
    usage: 'mnist export [MODEL] --output FILE.onnx [options]',
    about: `Writes a model as an ONNX file (opset 13) for onnxruntime and other ONNX runtimes; MODEL as for evaluate.
The file takes "pixels", float32 grey levels divided by 255 (0..1): [N, 784] for simple and mlp, [N, 28, 28, 1]
(NHWC) for cnn, N free. It gives "probabilities" [N, 10], what mnist predict reports (the model's calibration
temperature applied unless --no-temperature), and "outputs" [N, 10], the network's raw outputs. The file is
written atomically: a reader sees the old file or the new one, never half of one.`,
    examples: [
      'mnist export pretrained:cnn --output cnn.onnx',
      'mnist export ./models/mlp -o mlp.onnx --json',
    ],
  },
  data: {
    usage: 'mnist data [options]',
    about: `Finds (or downloads), verifies and describes the data sets: where each file was found, image and label
counts, label distribution.`,
    examples: ['mnist data', 'mnist data --dataset mnist --offline --json'],
  },
};

/** A command's help: what it does, its options with their defaults (generated from the specs), examples. */
export function commandUsage(command: CommandName): string {
  const { usage, about, examples } = COMMAND_HELP[command];
  return [
    `Usage: ${usage}`,
    '',
    about,
    '',
    'Options:',
    ...formatOptionHelp(COMMAND_SPECS[command]),
    '',
    'Examples:',
    ...examples.map((example) => `  ${example}`),
  ].join('\n');
}

/** Usage for a command, or the top-level usage. */
export function usageFor(command: CommandName | undefined): string {
  return command === undefined ? MAIN_USAGE : commandUsage(command);
}
