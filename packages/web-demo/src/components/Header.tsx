/** The four steps between a drawing and an answer, for the how-it-works strip. */
const STEPS: readonly { title: string; text: string }[] = [
  { title: 'Draw', text: 'a digit with your mouse, finger or pen' },
  { title: '28×28', text: 'cropped, scaled and centred exactly like MNIST’s digits' },
  { title: 'Model', text: 'a neural network trained on 60,000 handwritten digits' },
  { title: 'Answer', text: 'a probability for each digit, 0 to 9' },
];

/** The page's headline, its promise, and how it works in one strip. */
export function Header() {
  return (
    <header className="site-header">
      <h1>Draw a digit. Watch a neural network read it.</h1>
      <p className="promise">
        Everything runs in your browser, even training your own model: nothing you draw leaves this page.
      </p>
      <ol className="how-it-works" aria-label="How it works">
        {STEPS.map((step, i) => (
          <li key={step.title}>
            <span className="step-number" aria-hidden="true">
              {i + 1}
            </span>
            <strong>{step.title}</strong> <span className="muted">{step.text}</span>
          </li>
        ))}
      </ol>
    </header>
  );
}
