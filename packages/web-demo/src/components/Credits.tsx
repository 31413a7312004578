/** Credit and licence for the MNIST data the demo ships and was trained on. */
export function Credits() {
  return (
    <footer className="credits" data-testid="credits">
      <p>
        Data: the <cite>MNIST database of handwritten digits</cite> by Yann LeCun, Corinna Cortes and
        Christopher J.C. Burges, used and redistributed (its 60,000 training and 10,000 test images,
        unchanged) under the{' '}
        <a href="https://creativecommons.org/licenses/by-sa/3.0/" rel="license noopener">
          Creative Commons Attribution-Share Alike 3.0
        </a>{' '}
        licence (CC BY-SA 3.0). The pretrained models were trained on its 60,000 training images.
      </p>
      <p>
        Built with mnist-ts on TensorFlow.js. Everything runs in your browser: nothing you draw leaves this
        page.
      </p>
    </footer>
  );
}
