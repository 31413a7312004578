import type { CommandName } from './commands';

const DATA_FLAGS = `      --dataset NAME     mnist (default) or fashion-mnist
      --data-dir DIR     read the four IDX files (.gz or plain) from DIR only
      --offline          never download; use local copies only`;

/** The top-level usage, printed by `mnist --help` and after a usage error without a command. */
export const MAIN_USAGE = `Usage: mnist <command> [options]

Handwritten-digit recognition on MNIST: train, evaluate and use models from the terminal.

Commands:
  train      train simple, mlp and/or cnn with a live dashboard (the tutorial flow by default)
  evaluate   measure a saved or pretrained model on the test set
  predict    classify image files (PNG, PGM) of handwritten digits
  show       draw test or training images in the terminal
  data       download, verify and describe the data sets

Options:
  -h, --help     show help (also: mnist <command> --help)
  -v, --version  print the version

Exit codes: 0 success, 1 failure (or stopped by you), 2 usage error.`;

/** Usage text per command. */
export const COMMAND_USAGE: Record<CommandName, string> = {
  train: `Usage: mnist train [options]

Loads and verifies the data, shows sample digits, trains each model, evaluates it on the test set and
reports accuracy, the confusion matrix as a heatmap and per-class precision/recall/F1.
With no options: the tutorial flow, simple then mlp, 5 epochs each, Adam lr 0.001, batch 32.
Press q or Ctrl-C to stop between batches.

Options:
  -m, --model NAMES      simple, mlp, cnn, a comma list, or all (default: simple,mlp)
  -e, --epochs N         epochs per model (default: the model's recipe, 5 for simple and mlp)
  -b, --batch-size N     batch size (default: the recipe, 32)
      --learning-rate X  Adam learning rate (default: the recipe, 0.001)
      --seed N           seed for weights and shuffling (default: 42)
      --backend NAME     auto (default), tensorflow, wasm or cpu
      --limit N          train on the first N training images only
      --test-limit N     evaluate on the first N test images only
      --save DIR         save the trained model (DIR/<model> when training several)
      --report FILE      write a self-contained HTML report (curves, heatmap, per-class table, mistakes)
      --json             one JSON object per event on stdout instead of the dashboard
${DATA_FLAGS}
  -h, --help             show this help

Examples:
  mnist train
  mnist train --model mlp --epochs 2 --limit 10000 --save ./models/mlp
  mnist train --model cnn --report cnn.html
  mnist train --json --limit 2000 --epochs 1 | jq -c 'select(.type == "epoch")'`,
  evaluate: `Usage: mnist evaluate [MODEL] [options]

Evaluates a model on the test set: accuracy, loss, confusion matrix heatmap and per-class report.
MODEL is a directory written by \`mnist train --save\` (model.json + weights.bin) or pretrained:simple,
pretrained:mlp, pretrained:cnn, or pretrained:best, the most accurate one shipped (the default).

Options:
  -m, --model MODEL      same as the MODEL argument
      --limit N          evaluate on the first N test images only
      --report FILE      write a self-contained HTML report
      --json             print JSON events instead of text
      --backend NAME     auto (default), tensorflow, wasm or cpu
${DATA_FLAGS}
  -h, --help             show this help

Examples:
  mnist evaluate ./models/mlp
  mnist evaluate --model pretrained:mlp --report mlp.html`,
  predict: `Usage: mnist predict FILE... [options]

Classifies images of single handwritten digits (PNG or PGM, any size, black on white or white on black)
after MNIST's own preprocessing (crop, scale to 20 px, centre of mass at the centre). Prints the digit,
the confidence and the top 3.

Options:
  -m, --model MODEL      a saved model directory or pretrained:NAME (default: pretrained:best)
      --show             also draw the 28×28 image the model saw
      --json             one JSON object per file
      --backend NAME     auto (default), tensorflow, wasm or cpu
  -h, --help             show this help

Examples:
  mnist predict digit.png
  mnist predict *.png --model ./models/mlp --json`,
  show: `Usage: mnist show [INDEX...] [options]

Draws MNIST images in the terminal with Unicode half-blocks (greyscale; shapes only with NO_COLOR).

Options:
  -i, --index N[,N...]   the images at these indices (also as arguments)
  -l, --label D          the first --count images of digit D
  -n, --count N          how many images (default: 8)
      --split NAME       test (default) or train
      --misclassified M  the test images that model M (directory or pretrained:NAME) gets wrong
      --backend NAME     backend for --misclassified
${DATA_FLAGS}
  -h, --help             show this help

Examples:
  mnist show 0 1 2
  mnist show --label 7 --count 12 --split train
  mnist show --misclassified pretrained:mlp --count 6`,
  data: `Usage: mnist data [options]

Finds (or downloads), verifies and describes the data sets: where each file was found, image and label
counts, label distribution.

Options:
      --dataset NAME     mnist, fashion-mnist or all (default: all)
      --data-dir DIR     read the four IDX files from DIR only
      --offline          never download; use local copies only
      --json             one JSON object per data set
  -h, --help             show this help`,
};

/** Usage for a command, or the top-level usage. */
export function usageFor(command: CommandName | undefined): string {
  return command === undefined ? MAIN_USAGE : COMMAND_USAGE[command];
}
