import type * as tf from '@tensorflow/tfjs';
import { Adam } from '../adam.js';
import { arraysToParams, ParamSet, paramsToArrays } from '../params.js';
import type { AuxiliaryState } from '../train-loop.js';

/**
 * Parameters beside θ with their own Adam (DragonNet's heads, DR-JT's imputation model, the debiasing
 * parameters φ), checkpointable as an AuxiliaryState. Adam is elementwise, so a separate Adam with θ's step size
 * updates exactly as one Adam over θ and these together would.
 */
export class AuxParams {
  readonly set: ParamSet;
  readonly adam: Adam;
  private readonly names: string[];

  constructor(init: tf.Tensor[], learningRate: number, tag: string) {
    this.set = new ParamSet(init);
    init.forEach((t) => t.dispose());
    this.adam = new Adam(this.set.vars, { learningRate });
    this.names = this.set.vars.map((_, k) => `${tag}${k}`);
  }

  get vars(): tf.Variable[] {
    return this.set.vars;
  }

  /** Adam step from gradients keyed by variable name (tf.variableGrads' result). */
  stepFrom(grads: tf.NamedTensorMap): void {
    this.adam.step(this.vars.map((v) => grads[v.name] as tf.Tensor));
  }

  getState(): AuxiliaryState {
    return { params: paramsToArrays(this.vars, this.names), adam: this.adam.getState() };
  }

  setState(state: AuxiliaryState): void {
    const params = arraysToParams(state.params, this.names);
    this.set.assign(params);
    params.forEach((t) => t.dispose());
    this.adam.setState(state.adam);
  }

  dispose(): void {
    this.adam.dispose();
    this.set.dispose();
  }
}
