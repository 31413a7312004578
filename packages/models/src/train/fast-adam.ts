import {
  engine,
  type NamedAttrMap,
  type NamedTensorMap,
  type Optimizer,
  type Tensor,
  train,
  zeros,
} from '@tensorflow/tfjs-core';
import { type AdamConfig, hasFastKernel } from './fast-ops.js';
import { type AdamAttrs, FAST_KERNELS } from './fast-wasm.js';

/** A trainable variable as tfjs-layers exposes it (`LayerVariable`): read the value, write a new one. */
export interface WritableVariable {
  read(): Tensor;
  write(value: Tensor): unknown;
}

/**
 * Adam with tfjs's exact update rule (`tf.train.adam`), applied to all variables at once. Where the active
 * backend has the fused kernel (wasm) one kernel call updates everything; elsewhere it delegates to
 * tfjs's own `AdamOptimizer`, so every backend gets the same math.
 */
export class FastAdam {
  private config: AdamConfig;
  private readonly variables: readonly WritableVariable[];
  private moments: { m: Tensor; v: Tensor }[] | undefined;
  private fallback: Optimizer | undefined;
  // tfjs keeps β^t as float32 variables starting at β (the first step uses t = 1).
  private accBeta1: number;
  private accBeta2: number;

  /** @param variables - in the order gradients will be given to {@link apply} */
  constructor(variables: readonly WritableVariable[], config: AdamConfig) {
    this.variables = variables;
    this.config = config;
    this.accBeta1 = Math.fround(config.beta1);
    this.accBeta2 = Math.fround(config.beta2);
  }

  /** Applies one step; `gradients[i]` belongs to `variables[i]`. Call inside `tf.tidy`. */
  apply(gradients: readonly Tensor[]): void {
    if (this.fallback === undefined && hasFastKernel(FAST_KERNELS.adam)) {
      this.applyFused(gradients);
    } else {
      this.applyGeneric(gradients);
    }
  }

  private applyFused(gradients: readonly Tensor[]): void {
    this.moments ??= this.variables.map((variable) => {
      const shape = variable.read().shape;
      return { m: engine().keep(zeros(shape)), v: engine().keep(zeros(shape)) };
    });
    const inputs: NamedTensorMap = {};
    this.variables.forEach((variable, i) => {
      const moment = this.moments?.[i];
      const gradient = gradients[i];
      if (moment === undefined || gradient === undefined)
        throw new Error(`FastAdam: no gradient for variable ${i}.`);
      inputs[`value${i}`] = variable.read();
      inputs[`m${i}`] = moment.m;
      inputs[`v${i}`] = moment.v;
      inputs[`grad${i}`] = gradient;
    });
    const attrs: AdamAttrs = {
      count: this.variables.length,
      ...this.config,
      accBeta1: this.accBeta1,
      accBeta2: this.accBeta2,
    };
    const values = engine().runKernel(
      FAST_KERNELS.adam,
      inputs,
      attrs as unknown as NamedAttrMap,
    ) as Tensor[];
    this.variables.forEach((variable, i) => {
      variable.write(values[i] as Tensor);
    });
    this.accBeta1 = Math.fround(this.accBeta1 * Math.fround(this.config.beta1));
    this.accBeta2 = Math.fround(this.accBeta2 * Math.fround(this.config.beta2));
  }

  private applyGeneric(gradients: readonly Tensor[]): void {
    if (this.moments !== undefined) {
      throw new Error(
        'FastAdam: the backend changed during training; create a new optimiser for the new backend.',
      );
    }
    const { learningRate, beta1, beta2, epsilon } = this.config;
    this.fallback ??= train.adam(learningRate, beta1, beta2, epsilon);
    const named: NamedTensorMap = {};
    this.variables.forEach((variable, i) => {
      const value = variable.read() as Tensor & { name?: string };
      if (value.name === undefined) throw new Error(`FastAdam: variable ${i} has no name.`);
      named[value.name] = gradients[i] as Tensor;
    });
    this.fallback.applyGradients(named);
  }

  /** Changes the learning rate from the next step on (for schedules); the moments are kept. */
  setLearningRate(learningRate: number): void {
    this.config = { ...this.config, learningRate };
    if (this.fallback !== undefined)
      (this.fallback as unknown as { learningRate: number }).learningRate = learningRate;
  }

  /** Frees the optimiser's state. */
  dispose(): void {
    for (const moment of this.moments ?? []) {
      moment.m.dispose();
      moment.v.dispose();
    }
    this.moments = undefined;
    this.fallback?.dispose();
    this.fallback = undefined;
  }
}
