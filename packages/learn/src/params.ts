import * as tf from '@tensorflow/tfjs';

/** One parameter tensor as plain data (for artefacts, checkpoints and worker messages). */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Reads parameters to plain arrays. `names` defaults to `p<k>`; pass `paramNames(spec)` for MLPs. */
export function paramsToArrays(params: tf.Tensor[], names?: string[]): NamedArray[] {
  return params.map((p, k) => ({
    name: names?.[k] ?? `p${k}`,
    shape: [...p.shape],
    values: Float32Array.from(p.dataSync() as Float32Array),
  }));
}

/**
 * Plain arrays back to tensors, in the order of `names` when given (so that a stored model whose entries are
 * listed in another order still loads correctly), else in array order.
 */
export function arraysToParams(arrays: NamedArray[], names?: string[]): tf.Tensor[] {
  const ordered = names
    ? names.map((n) => {
        const a = arrays.find((e) => e.name === n);
        if (!a)
          throw new Error(`arraysToParams: parameter '${n}' missing (have: ${arrays.map((e) => e.name).join(', ')})`);
        return a;
      })
    : arrays;
  return ordered.map((a) => {
    const size = a.shape.reduce((s, v) => s * v, 1);
    if (size !== a.values.length)
      throw new Error(`arraysToParams: '${a.name}' has ${a.values.length} values for shape [${a.shape.join(', ')}]`);
    return tf.tensor(Float32Array.from(a.values), a.shape, 'float32');
  });
}

/** Number of scalars in a list of shapes. */
export function countParams(shapes: number[][]): number {
  return shapes.reduce((s, sh) => s + sh.reduce((p, v) => p * v, 1), 0);
}

/** Concatenates every parameter (row-major) into one Float32Array. */
export function flattenParams(params: tf.Tensor[]): Float32Array {
  const out = new Float32Array(countParams(params.map((p) => p.shape)));
  let off = 0;
  for (const p of params) {
    const v = p.dataSync() as Float32Array;
    out.set(v, off);
    off += v.length;
  }
  return out;
}

/** Splits a flat vector into tensors of the given shapes (inverse of `flattenParams`). */
export function unflattenParams(flat: Float32Array, shapes: number[][]): tf.Tensor[] {
  const total = countParams(shapes);
  if (flat.length !== total) throw new Error(`unflattenParams: vector has ${flat.length} values, shapes need ${total}`);
  let off = 0;
  return shapes.map((sh) => {
    const size = sh.reduce((p, v) => p * v, 1);
    const t = tf.tensor(flat.slice(off, off + size), sh, 'float32');
    off += size;
    return t;
  });
}

/** On-backend flatten: one 1-D tensor, no read to JavaScript. */
export function flattenTensors(params: tf.Tensor[]): tf.Tensor1D {
  return tf.tidy(() => tf.concat(params.map((p) => tf.reshape(p, [-1]))) as tf.Tensor1D);
}

/** On-backend inverse of `flattenTensors`. */
export function unflattenTensor(flat: tf.Tensor1D, shapes: number[][]): tf.Tensor[] {
  const sizes = shapes.map((sh) => sh.reduce((p, v) => p * v, 1));
  if (flat.size !== sizes.reduce((a, b) => a + b, 0))
    throw new Error(`unflattenTensor: vector has ${flat.size} values, shapes need ${countParams(shapes)}`);
  return tf.tidy(() => tf.split(flat, sizes).map((t, k) => tf.reshape(t, shapes[k] as number[])));
}

/**
 * Trainable tf.Variables holding a parameter list (what an optimizer updates). Variables are unnamed so that
 * several sets (teacher, target, bridge) coexist in one process.
 */
export class ParamSet {
  readonly vars: tf.Variable[];

  constructor(params: tf.Tensor[]) {
    this.vars = params.map((p) => tf.variable(p, true));
  }

  /** Copies values into the variables (shapes must match). */
  assign(params: tf.Tensor[]): void {
    if (params.length !== this.vars.length)
      throw new Error(`ParamSet.assign: ${params.length} tensors for ${this.vars.length} variables`);
    params.forEach((p, k) => (this.vars[k] as tf.Variable).assign(p));
  }

  /** Independent copies of the current values (caller disposes). */
  snapshot(): tf.Tensor[] {
    return this.vars.map((v) => tf.clone(v));
  }

  dispose(): void {
    for (const v of this.vars) v.dispose();
  }
}

/** Disposes a list of tensors (convenience for parameter lists). */
export function disposeParams(params: tf.Tensor[] | undefined): void {
  if (params) for (const p of params) p.dispose();
}
