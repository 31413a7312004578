// Adam as Keras 3 computes it (keras/src/optimizers/adam.py), for both training steps: the engine's kernel
// (engine/assembly/adam.ts) and the tfjs autodiff step below. Per step t = 1, 2, …, in float32:
//   α = lr·√(1 − β2^t) / (1 − β1^t),  m ← m + (g − m)·(1 − β1),  v ← v + (g² − v)·(1 − β2),
//   w ← w − m·α / (√v + ε).
// tfjs's own `tf.train.adam` divides m and v by their corrections instead, which puts ε inside the correction:
// the same method, but from the same start the mlp of the tutorial then drifts from Keras's trajectory by half a
// point of test accuracy in five epochs (test/keras-parity.test.ts), so both steps use Keras's arithmetic.
import {
  add,
  div,
  mul,
  type NamedTensorMap,
  type Scalar,
  scalar,
  sqrt,
  square,
  sub,
  tidy,
  type Variable,
  variable,
  variableGrads,
  zerosLike,
} from '@tensorflow/tfjs-core';

/** Keras's defaults, which the tutorial keeps. */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;

/** The float32 numbers one Adam step of Keras's uses. */
export interface AdamScalars {
  /** lr·√(1 − β2^t) / (1 − β1^t), computed in float32 in Keras's order. */
  alpha: number;
  /** 1 − β1 and 1 − β2, as Keras hands Python's float64 differences to float32 ops. */
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  epsilon: number;
}

const f = Math.fround;

/**
 * The scalars of Adam's step `step` (1-based) at learning rate `learningRate`: β^t as float32 powers of float32
 * β, then α in float32, operation by operation.
 */
export function adamScalars(learningRate: number, step: number, epsilon: number): AdamScalars {
  const beta1Power = f(f(ADAM_BETA1) ** step);
  const beta2Power = f(f(ADAM_BETA2) ** step);
  const alpha = f(f(f(learningRate) * f(Math.sqrt(f(1 - beta2Power)))) / f(1 - beta1Power));
  return {
    alpha,
    oneMinusBeta1: f(1 - ADAM_BETA1),
    oneMinusBeta2: f(1 - ADAM_BETA2),
    epsilon: f(epsilon),
  };
}

/** A non-trainable variable of zeros shaped like `weights` (the temporary zeros are freed; the variable keeps its data). */
function zeroMoment(weights: Variable): Variable {
  const zeros = zerosLike(weights);
  const moment = variable(zeros, false);
  zeros.dispose();
  return moment;
}

/**
 * Keras's Adam over tfjs variables, for the autodiff step: gradients from tfjs autodiff (`variableGrads`), the
 * update in Keras's arithmetic. The moments live as long as the optimiser; `dispose` frees them.
 */
export class KerasAdam {
  /** The learning rate the next step uses: each epoch's plan sets it before its first step. */
  learningRate = Number.NaN;
  private step = 0;
  private readonly moments: { m: Variable; v: Variable }[];

  constructor(
    private readonly variables: Variable[],
    private readonly epsilon: number,
  ) {
    this.moments = variables.map((weights) => ({ m: zeroMoment(weights), v: zeroMoment(weights) }));
  }

  /** One step on the loss `f` returns; returns that loss (the caller disposes it). */
  minimize(loss: () => Scalar): Scalar {
    const { value, grads } = variableGrads(loss, this.variables);
    this.step += 1;
    const s = adamScalars(this.learningRate, this.step, this.epsilon);
    tidy(() => {
      const alpha = scalar(s.alpha);
      const oneMinusBeta1 = scalar(s.oneMinusBeta1);
      const oneMinusBeta2 = scalar(s.oneMinusBeta2);
      const epsilon = scalar(s.epsilon);
      this.variables.forEach((variable, i) => {
        const g = (grads as NamedTensorMap)[variable.name];
        const { m, v } = this.moments[i] as { m: Variable; v: Variable };
        if (g === undefined) return;
        m.assign(add(m, mul(sub(g, m), oneMinusBeta1)));
        v.assign(add(v, mul(sub(square(g), v), oneMinusBeta2)));
        variable.assign(sub(variable, div(mul(m, alpha), add(sqrt(v), epsilon))));
      });
    });
    for (const g of Object.values(grads)) g.dispose();
    return value;
  }

  dispose(): void {
    for (const { m, v } of this.moments) {
      m.dispose();
      v.dispose();
    }
  }
}
