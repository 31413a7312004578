import { resolve } from 'node:path';
import { CLASSES, MnistModelError, ONNX_INPUT_NAME, ONNX_OPSET, PIXELS, SIDE, toOnnx } from '@mnist/models';
import type { ExportOptions } from '../args/commands';
import { CliError } from '../errors';
import { writeFileAtomically } from '@mnist/data';
import { checkFileDestination } from '../files/destinations';
import { formatCount } from '../render/format';
import { terminalSafe } from '../render/terminal-safe';
import { initBackendFor } from '../run/backend';
import type { CommandContext, CommandOutcome } from '../run/context';
import { loadModelReference } from '../run/load-model';

/**
 * `mnist export`: a saved or pretrained model as an ONNX file. The destination is checked before the model is
 * loaded, and the file is written atomically (a temporary file beside it, then a rename), so a failed export
 * leaves whatever was there before. Prints what the file holds: text, or one JSON object with `--json`.
 */
export async function runExport(options: ExportOptions, context: CommandContext): Promise<CommandOutcome> {
  const started = performance.now();
  const file = resolve(options.output);
  await checkFileDestination(options.output, `--output ${options.output}`, 'model.onnx');
  await initBackendFor(options.backend);
  const { model, label } = await loadModelReference(options.model);
  let bytes: Uint8Array;
  try {
    bytes = await toOnnx(model, { applyTemperature: options.temperature });
  } catch (error) {
    if (!(error instanceof MnistModelError)) throw error;
    throw new CliError(`cannot export ${label} to ONNX: ${error.message.replace(/^toOnnx: /, '')}`, {
      code: error.code,
      cause: error,
    });
  } finally {
    model.layersModel.dispose();
  }
  if (context.signal.aborted) return 'stopped';
  await writeFileAtomically(file, bytes).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot write ${file}: ${error.message}`, { code: 'WRITE_FAILED', cause: error });
  });
  const modelTemperature = model.temperature ?? 1;
  const temperature = options.temperature ? modelTemperature : 1;
  const input = model.inputKind === 'flat' ? ['N', PIXELS] : ['N', SIDE, SIDE, 1];
  const seconds = (performance.now() - started) / 1000;
  if (options.json) {
    context.print(
      `${JSON.stringify({
        model: label,
        file,
        bytes: bytes.length,
        opset: ONNX_OPSET,
        input: { name: ONNX_INPUT_NAME, shape: input, layout: model.inputKind === 'flat' ? 'flat' : 'NHWC' },
        outputs: [
          { name: 'probabilities', shape: ['N', CLASSES] },
          { name: 'outputs', shape: ['N', CLASSES] },
        ],
        temperature,
        seconds,
      })}\n`,
    );
    return 'ok';
  }
  const shown = Number(modelTemperature.toPrecision(4));
  const probabilities =
    modelTemperature === 1
      ? 'what mnist predict reports'
      : options.temperature
        ? `what mnist predict reports (temperature ${shown} applied)`
        : `the network's own, without the temperature ${shown} that mnist predict applies`;
  context.print(
    [
      `Wrote ${terminalSafe(label)} to ${terminalSafe(file)} (ONNX opset ${ONNX_OPSET}, ${formatCount(bytes.length)} bytes) in ${seconds.toFixed(1)} s`,
      `  input   ${ONNX_INPUT_NAME}         float32 [${input.join(', ')}]${model.inputKind === 'flat' ? '' : ' (NHWC)'}, grey levels ÷255 (0..1)`,
      `  output  probabilities  float32 [N, ${CLASSES}], ${probabilities}`,
      `  output  outputs        float32 [N, ${CLASSES}], the network's raw outputs`,
      '',
    ].join('\n'),
  );
  return 'ok';
}
