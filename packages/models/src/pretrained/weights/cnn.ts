// Placeholder: run `pnpm --filter @mnist/models train:pretrained` to generate the cnn weights.

/** `model.json` of the pretrained `cnn` model. */
export const modelJson = '';

/** `weights.bin` of the pretrained `cnn` model, base64. */
export const weightsBase64 = '';
