// Placeholder: run `pnpm --filter @mnist/models train:pretrained` to generate the simple weights.

/** `model.json` of the pretrained `simple` model. */
export const modelJson = '';

/** `weights.bin` of the pretrained `simple` model, base64. */
export const weightsBase64 = '';
