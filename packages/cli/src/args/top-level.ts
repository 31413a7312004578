import { EXIT_CODES_HELP } from '../exit-codes';
import { UsageError } from './parse';

/** The sub-commands. */
export const COMMAND_NAMES = ['train', 'evaluate', 'predict', 'show', 'data', 'export'] as const;
/** A sub-command's name. */
export type CommandName = (typeof COMMAND_NAMES)[number];

/** What the first argument asks for: help, the version, or a command with its arguments. */
export type TopLevel =
  | { readonly name: 'help'; readonly command: CommandName | undefined }
  | { readonly name: 'version' }
  | { readonly name: 'command'; readonly command: CommandName; readonly rest: readonly string[] };

/**
 * Reads the first argument only. Cheap on purpose: `mnist --help`, `mnist --version` and an unknown
 * command answer without loading the model libraries.
 * @throws UsageError for no command, an unknown command, or an option before the command
 */
export function parseTopLevel(argv: readonly string[]): TopLevel {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    if (topic === undefined) return { name: 'help', command: undefined };
    if (!isCommandName(topic)) {
      throw new UsageError(
        `help topic must be one of ${COMMAND_NAMES.join(', ')}, got ${JSON.stringify(topic)}`,
      );
    }
    return { name: 'help', command: topic };
  }
  if (first === '--version' || first === '-v' || first === '-V') return { name: 'version' };
  if (first.startsWith('-')) throw new UsageError(`unknown option ${first} (options go after the command)`);
  if (!isCommandName(first)) throw new UsageError(`unknown command ${JSON.stringify(first)}`);
  return { name: 'command', command: first, rest };
}

function isCommandName(text: string): text is CommandName {
  return (COMMAND_NAMES as readonly string[]).includes(text);
}

/** The top-level usage, printed by `mnist --help` and after a usage error without a command. */
export const MAIN_USAGE = `Usage: mnist <command> [options]

Handwritten-digit recognition on MNIST: train, evaluate and use models from the terminal.

Commands:
  train      train simple, mlp and/or cnn with a live dashboard (the tutorial flow by default)
  evaluate   measure a saved or pretrained model on the test set
  predict    classify image files (PNG, PGM) of handwritten digits
  show       draw test or training images in the terminal
  data       download, verify and describe the data sets
  export     write a saved or pretrained model as an ONNX file

Options:
  -h, --help     show help (also: mnist <command> --help)
  -v, --version  print the version

${EXIT_CODES_HELP}`;
