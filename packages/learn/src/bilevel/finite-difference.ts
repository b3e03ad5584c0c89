import { addScaledF32, norm, scaledDifference, type Vec } from './vector-ops.js';

/**
 * Hessian-vector product by central differences of first-order gradients (docs/method.md §3.5, Decision):
 * H v ≈ [∇L(θ + εv) − ∇L(θ − εv)] / 2ε with ε = ε0/‖v‖, so the probe always moves θ by ε0 in norm
 * whatever v's scale. Used instead of tf.grad-of-tf.grad because TensorFlow.js second-order gradients
 * throw for sigmoid/exp-based ops. Returns zeros for v = 0.
 */
export function fdHvp(gradFn: (theta: Float32Array) => Vec, theta: Vec, v: Vec, eps0: number): Float64Array {
  const nv = norm(v);
  if (nv === 0) return new Float64Array(theta.length);
  const eps = eps0 / nv;
  const gPlus = gradFn(addScaledF32(theta, eps, v));
  const gMinus = gradFn(addScaledF32(theta, -eps, v));
  return scaledDifference(gPlus, gMinus, 1 / (2 * eps));
}

/**
 * Mixed second derivative times a θ-sized vector: ∇²_φθ L · v ≈ [∇_φ L(φ, θ + εv) − ∇_φ L(φ, θ − εv)] / 2ε,
 * ε = ε0/‖v‖. The result has φ's length. Returns zeros (of φ's length) for v = 0.
 */
export function fdMixed(
  gradPhiFn: (phi: Float32Array, theta: Float32Array) => Vec,
  phi: Float32Array,
  theta: Vec,
  v: Vec,
  eps0: number,
): Float64Array {
  const nv = norm(v);
  if (nv === 0) return new Float64Array(phi.length);
  const eps = eps0 / nv;
  const gPlus = gradPhiFn(phi, addScaledF32(theta, eps, v));
  const gMinus = gradPhiFn(phi, addScaledF32(theta, -eps, v));
  return scaledDifference(gPlus, gMinus, 1 / (2 * eps));
}
