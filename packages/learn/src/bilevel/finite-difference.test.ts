import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { fdHvp, fdMixed } from './finite-difference.js';
import { flatGradient, flatGradient2, shapesSize, tensorsFromFlat, type ParamShapes } from './tensor-closures.js';
import { testRng } from './test-rng.js';
import { dot, norm } from './vector-ops.js';

// A small MLP 5 → 16 → 8 → 1 on 64 rows; `act` is the hidden activation.
const SHAPES: ParamShapes = [[5, 16], [16], [16, 8], [8], [8, 1], [1]];
const rows = 64;

function mlpLoss(act: (t: tf.Tensor) => tf.Tensor, x: tf.Tensor2D, y: tf.Tensor2D) {
  return (p: tf.Tensor[]): tf.Scalar => {
    const [w1, b1, w2, b2, w3, b3] = p as [
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor2D,
      tf.Tensor1D,
    ];
    const h1 = act(tf.add(tf.matMul(x, w1), b1)) as tf.Tensor2D;
    const h2 = act(tf.add(tf.matMul(h1, w2), b2)) as tf.Tensor2D;
    const out = tf.softplus(tf.add(tf.matMul(h2, w3), b3));
    return tf.mean(tf.square(tf.sub(out, y)));
  };
}

/** Exact H v by differentiating ⟨∇L(θ), v⟩ again (tfjs nested gradients). */
function nestedHvp(loss: (p: tf.Tensor[]) => tf.Scalar, theta: Float32Array, v: Float32Array): Float64Array {
  const h = tf.tidy(() => {
    const tp = tensorsFromFlat(theta, SHAPES);
    const tv = tensorsFromFlat(v, SHAPES);
    const inner = (...ps: tf.Tensor[]): tf.Scalar => {
      const g = tf.grads((...qs: tf.Tensor[]) => loss(qs))(ps);
      return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, tv[i] as tf.Tensor)))) as tf.Scalar;
    };
    return tf.concat(
      tf
        .grads(inner)(tp)
        .map((t) => t.reshape([-1])),
    );
  });
  const out = Float64Array.from(h.dataSync());
  h.dispose();
  return out;
}

function setup(seed: number) {
  const rng = testRng(seed);
  const n = shapesSize(SHAPES);
  const theta = Float32Array.from({ length: n }, () => 0.4 * rng.normal());
  const x = tf.tensor2d(Float32Array.from({ length: rows * 5 }, rng.normal), [rows, 5]);
  const y = tf.tensor2d(
    Float32Array.from({ length: rows }, () => Math.abs(rng.normal())),
    [rows, 1],
  );
  const vs = [0, 1, 2].map(() => Float32Array.from({ length: n }, rng.normal));
  return { theta, x, y, vs };
}

function relErr(a: Float64Array, b: Float64Array): number {
  return norm(a.map((v, i) => v - (b[i] as number))) / norm(b);
}

describe('finite-difference Hessian-vector products', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('matches the exact nested-gradient HVP on a softplus MLP (relative error < 1e-2)', () => {
    const { theta, x, y, vs } = setup(11);
    const loss = mlpLoss(tf.softplus, x, y);
    const grad = flatGradient(loss, SHAPES);
    for (const v of vs) {
      const exact = nestedHvp(loss, theta, v);
      const fd = fdHvp(grad, theta, v, 1e-2);
      expect(relErr(fd, exact)).toBeLessThan(1e-2);
    }
    // The nested HVP is a genuine Hessian product: symmetric, uᵀHv = vᵀHu.
    const [u, v] = vs as [Float32Array, Float32Array];
    const uHv = dot(u, nestedHvp(loss, theta, v));
    const vHu = dot(v, nestedHvp(loss, theta, u));
    expect(Math.abs(uHv - vHu) / Math.abs(uHv)).toBeLessThan(1e-3);
  });

  it('scales the probe with ‖v‖: H(cv) = c·Hv, and v = 0 gives 0', () => {
    const { theta, x, y, vs } = setup(13);
    const grad = flatGradient(mlpLoss(tf.softplus, x, y), SHAPES);
    const v = vs[0] as Float32Array;
    const hv = fdHvp(grad, theta, v, 1e-2);
    const h3v = fdHvp(
      grad,
      theta,
      v.map((a) => 1000 * a),
      1e-2,
    );
    expect(
      relErr(
        h3v.map((a) => a / 1000),
        hv,
      ),
    ).toBeLessThan(1e-4);
    expect(norm(fdHvp(grad, theta, new Float32Array(v.length), 1e-2))).toBe(0);
  });

  it('fdMixed matches the exact nested mixed derivative ∇_φ⟨∇_θ L, v⟩', () => {
    const rng = testRng(21);
    const n = 12;
    const c = tf.tensor1d(Float32Array.from({ length: n }, rng.normal));
    // L(φ, θ) = Σ c ⊙ softplus(φ ⊙ θ) + ½‖θ‖²·mean(φ²): couples φ and θ non-linearly.
    const loss = (phiT: tf.Tensor[], thetaT: tf.Tensor[]): tf.Scalar => {
      const phi = phiT[0] as tf.Tensor1D;
      const th = thetaT[0] as tf.Tensor1D;
      return tf.add(
        tf.sum(tf.mul(c, tf.softplus(tf.mul(phi, th)))),
        tf.mul(tf.mul(0.5, tf.sum(tf.square(th))), tf.mean(tf.square(phi))),
      );
    };
    const phi = Float32Array.from({ length: n }, rng.normal);
    const theta = Float32Array.from({ length: n }, rng.normal);
    const v = Float32Array.from({ length: n }, rng.normal);
    const gradPhi = flatGradient2(loss, [[n]], [[n]], 'a');
    const fd = fdMixed(gradPhi, phi, theta, v, 1e-2);
    const exactT = tf.tidy(() => {
      const tv = tf.tensor1d(v);
      const tth = tf.tensor1d(theta);
      const inner = (p: tf.Tensor): tf.Scalar => {
        const g = tf.grad((t: tf.Tensor) => loss([p], [t]))(tth);
        return tf.sum(tf.mul(g, tv));
      };
      return tf.grad(inner)(tf.tensor1d(phi));
    });
    const exact = Float64Array.from(exactT.dataSync());
    expect(relErr(fd, exact)).toBeLessThan(1e-2);
  });
});
