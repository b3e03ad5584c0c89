import * as tf from '@tensorflow/tfjs';
import type { NamedArray } from './params.js';

/** Adam hyper-parameters (defaults as in Kingma & Ba, ε as in PyTorch). */
export interface AdamOptions {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's moments and step count as plain data (checkpoints). */
export interface AdamState {
  t: number;
  m: NamedArray[];
  v: NamedArray[];
}

/**
 * Adam over a fixed list of tf.Variables. Written here rather than tf.train.adam so that its state is plain data
 * and a resumed run is bit-identical to an uninterrupted one: the bias corrections are computed in JavaScript
 * doubles from the integer step count (tf.train.adam's setWeights recomputes β^t by pow in float32, which differs
 * in the last bits from its running product).
 */
export class Adam {
  readonly vars: tf.Variable[];
  private readonly lr: number;
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;
  private m: tf.Variable[];
  private v: tf.Variable[];
  private t = 0;

  constructor(vars: tf.Variable[], opts: AdamOptions) {
    this.vars = vars;
    this.lr = opts.learningRate;
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.epsilon ?? 1e-8;
    // tidy disposes the zero initialisers; variables are not scope-tracked, so they survive.
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  /** Steps taken so far. */
  get steps(): number {
    return this.t;
  }

  /** One update with gradients listed in the order of `vars` (they are not disposed here). */
  step(grads: tf.Tensor[]): void {
    if (grads.length !== this.vars.length)
      throw new Error(`Adam.step: ${grads.length} gradients for ${this.vars.length} variables`);
    this.t += 1;
    // Folding both bias corrections into the step size: θ ← θ − lr·√(1−β2^t)/(1−β1^t) · m / (√v + ε̂),
    // with ε̂ = ε·√(1−β2^t) so that the update equals the textbook form exactly.
    const c2 = Math.sqrt(1 - this.b2 ** this.t);
    const stepSize = (this.lr * c2) / (1 - this.b1 ** this.t);
    const epsHat = this.eps * c2;
    tf.tidy(() => {
      grads.forEach((g, k) => {
        const m = this.m[k] as tf.Variable;
        const v = this.v[k] as tf.Variable;
        const x = this.vars[k] as tf.Variable;
        const mNew = tf.add(tf.mul(m, this.b1), tf.mul(g, 1 - this.b1));
        const vNew = tf.add(tf.mul(v, this.b2), tf.mul(tf.square(g), 1 - this.b2));
        m.assign(mNew);
        v.assign(vNew);
        x.assign(tf.sub(x, tf.mul(tf.div(mNew, tf.add(tf.sqrt(vNew), epsHat)), stepSize)));
      });
    });
  }

  /** Plain-data copy of the optimizer state. */
  getState(): AdamState {
    const read = (list: tf.Variable[], tag: string): NamedArray[] =>
      list.map((x, k) => ({
        name: `${tag}${k}`,
        shape: [...x.shape],
        values: Float32Array.from(x.dataSync() as Float32Array),
      }));
    return { t: this.t, m: read(this.m, 'm'), v: read(this.v, 'v') };
  }

  /** Restores a state taken from an optimizer over variables of the same shapes. */
  setState(state: AdamState): void {
    if (state.m.length !== this.vars.length || state.v.length !== this.vars.length) {
      throw new Error(
        `Adam.setState: state has ${state.m.length}/${state.v.length} moments for ${this.vars.length} variables`,
      );
    }
    this.t = state.t;
    const load = (list: tf.Variable[], arrays: NamedArray[]): void =>
      list.forEach((x, k) => {
        const a = arrays[k] as NamedArray;
        if (a.values.length !== x.size)
          throw new Error(`Adam.setState: moment ${a.name} has ${a.values.length} values for ${x.size}`);
        tf.tidy(() => x.assign(tf.tensor(a.values, x.shape, 'float32')));
      });
    load(this.m, state.m);
    load(this.v, state.v);
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}
