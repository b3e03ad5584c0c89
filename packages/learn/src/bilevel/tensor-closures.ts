import * as tf from '@tensorflow/tfjs';

/** Shapes of a list of parameter tensors, in the order a flat vector stores them. */
export type ParamShapes = readonly (readonly number[])[];

/** Number of scalars in a list of shapes. */
export function shapesSize(shapes: ParamShapes): number {
  let n = 0;
  for (const s of shapes) n += s.reduce((a, b) => a * b, 1);
  return n;
}

/** Views a flat vector as a list of tensors (caller disposes, or calls inside tf.tidy). */
export function tensorsFromFlat(flat: Float32Array, shapes: ParamShapes): tf.Tensor[] {
  const need = shapesSize(shapes);
  if (flat.length !== need) throw new Error(`tensorsFromFlat: vector has ${flat.length} values, shapes need ${need}`);
  const out: tf.Tensor[] = [];
  let o = 0;
  for (const s of shapes) {
    const size = s.reduce((a, b) => a * b, 1);
    out.push(tf.tensor(flat.subarray(o, o + size), s as number[], 'float32'));
    o += size;
  }
  return out;
}

/** Reads a list of tensors into one flat Float32Array (concatenated in list order). */
export function flatFromTensors(ts: readonly tf.Tensor[]): Float32Array {
  let n = 0;
  for (const t of ts) n += t.size;
  const out = new Float32Array(n);
  let o = 0;
  for (const t of ts) {
    out.set(t.dataSync() as Float32Array, o);
    o += t.size;
  }
  return out;
}

/**
 * Runs `f` inside tf.tidy and reads the tensors it returns into one flat vector, then frees them: the one
 * convert → compute → read → dispose pattern of every flat-vector closure. `f` builds its inputs itself
 * (typically with `tensorsFromFlat`), so tidy frees those too.
 */
export function flatOf(f: () => tf.Tensor[]): Float32Array {
  const ts = tf.tidy(f);
  try {
    return flatFromTensors(ts);
  } finally {
    tf.dispose(ts);
  }
}

/**
 * Turns a loss closure over two lists of tensors, L(a, b), into flat-vector gradient functions — the form
 * the bi-level numerics consume, so they work for any model. `wrt` picks the list differentiated.
 */
export function flatGradient2(
  loss: (a: tf.Tensor[], b: tf.Tensor[]) => tf.Scalar,
  shapesA: ParamShapes,
  shapesB: ParamShapes,
  wrt: 'a' | 'b',
): (a: Float32Array, b: Float32Array) => Float32Array {
  return (a, b) =>
    flatOf(() => {
      const ta = tensorsFromFlat(a, shapesA);
      const tb = tensorsFromFlat(b, shapesB);
      if (wrt === 'a') return tf.grads((...xs: tf.Tensor[]) => loss(xs, tb))(ta);
      return tf.grads((...xs: tf.Tensor[]) => loss(ta, xs))(tb);
    });
}

/** Single-list version of {@link flatGradient2}: θ ↦ ∇L(θ) for a loss over one list of tensors. */
export function flatGradient(
  loss: (params: tf.Tensor[]) => tf.Scalar,
  shapes: ParamShapes,
): (flat: Float32Array) => Float32Array {
  const g = flatGradient2((a) => loss(a), shapes, [], 'a');
  const none = new Float32Array(0);
  return (flat) => g(flat, none);
}
