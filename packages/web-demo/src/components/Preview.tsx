import { DigitImage } from './DigitImage';

/** Props of {@link Preview}. */
export interface PreviewProps {
  /** The model input (784 floats in 0..1), or null while the canvas is empty. */
  input: Float32Array | null;
}

/** "What the model sees": the drawing after MNIST-style preprocessing, at 28×28, enlarged with crisp pixels. */
export function Preview({ input }: PreviewProps) {
  return (
    <figure className={`preview${input ? '' : ' empty'}`}>
      <DigitImage
        pixels={input}
        scale={1}
        testId="preview"
        className="preview-image"
        label={input ? 'Your drawing as the model sees it: 28 by 28 pixels' : 'Nothing drawn yet'}
      />
      <figcaption>What the model sees: 28×28 pixels, like MNIST</figcaption>
    </figure>
  );
}
