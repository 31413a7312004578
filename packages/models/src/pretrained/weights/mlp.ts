// Placeholder: run `pnpm --filter @mnist/models train:pretrained` to generate the mlp weights.

/** `model.json` of the pretrained `mlp` model. */
export const modelJson = '';

/** `weights.bin` of the pretrained `mlp` model, base64. */
export const weightsBase64 = '';
