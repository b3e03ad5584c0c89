import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { explicitHypergradient, implicitHypergradient } from './hypergradient.js';
import { flatGradient2 } from './tensor-closures.js';
import { matVec, solveDense, testRng } from './test-rng.js';
import { norm } from './vector-ops.js';

// Quadratic bi-level problem with a closed form:
//   L_low(φ, θ) = ½θᵀAθ − θᵀBφ  ⇒ θ*(φ) = A⁻¹Bφ,  ∇²_θθ = A,  ∇²_φθ L_low · v = −Bᵀv
//   L_up(θ) = ½‖θ − c‖²          ⇒ ∇_φ L_up(θ*(φ)) = BᵀA⁻¹(θ* − c).
const n = 8;
const m = 5;

function problem(seed: number) {
  const rng = testRng(seed);
  const g = Float64Array.from({ length: n * n }, rng.normal);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += (g[k * n + i] as number) * (g[k * n + j] as number);
      a[i * n + j] = s / n + (i === j ? 0.5 : 0);
    }
  const b = Float64Array.from({ length: n * m }, rng.normal);
  const c = Float64Array.from({ length: n }, rng.normal);
  const phi = Float32Array.from({ length: m }, rng.normal);
  const theta0 = Float32Array.from({ length: n }, rng.normal);
  const aT = tf.tensor2d(Float32Array.from(a), [n, n]);
  const bT = tf.tensor2d(Float32Array.from(b), [n, m]);
  const lowLoss = (phiT: tf.Tensor[], thT: tf.Tensor[]): tf.Scalar => {
    const th = (thT[0] as tf.Tensor1D).reshape([n, 1]) as tf.Tensor2D;
    const ph = (phiT[0] as tf.Tensor1D).reshape([m, 1]) as tf.Tensor2D;
    const quad = tf.mul(0.5, tf.sum(tf.mul(th, tf.matMul(aT, th))));
    return tf.sub(quad, tf.sum(tf.mul(th, tf.matMul(bT, ph)))) as tf.Scalar;
  };
  const gTheta2 = flatGradient2(lowLoss, [[m]], [[n]], 'b');
  const gPhi = flatGradient2(lowLoss, [[m]], [[n]], 'a');
  const bTrans = new Float64Array(m * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) bTrans[j * n + i] = b[i * m + j] as number;
  const lUp = (th: ArrayLike<number>): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += 0.5 * ((th[i] as number) - (c[i] as number)) ** 2;
    return s;
  };
  return { a, b, bTrans, c, phi, theta0, gTheta: (th: Float32Array) => gTheta2(phi, th), gPhi, lUp };
}

const rel = (x: ArrayLike<number>, y: ArrayLike<number>): number =>
  norm(Float64Array.from(x, (v, i) => v - (y[i] as number))) / norm(Float64Array.from(y));

/** The implicit hypergradient of problem P at θ* by CG on the autodiff closures (at most 2n steps, tol 1e-6). */
function implicitAtOptimum(
  P: ReturnType<typeof problem>,
  thetaStar: Float64Array,
  gUp: Float64Array,
  damping: number,
): ReturnType<typeof implicitHypergradient> {
  return implicitHypergradient({
    gradThetaLow: P.gTheta,
    gradPhiLow: P.gPhi,
    gradThetaUp: gUp,
    theta: Float32Array.from(thetaStar),
    phi: P.phi,
    nCg: 2 * n,
    damping,
    cgTol: 1e-6,
    eps0: 1e-2,
  });
}

/** Central differences in float64 of a scalar function of φ (brute-force reference). */
function numGrad(f: (phi: Float64Array) => number, phi: ArrayLike<number>, h = 1e-5): Float64Array {
  const out = new Float64Array(phi.length);
  for (let j = 0; j < phi.length; j++) {
    const p = Float64Array.from(phi);
    p[j] = (p[j] as number) + h;
    const fp = f(p);
    p[j] = (p[j] as number) - 2 * h;
    out[j] = (fp - f(p)) / (2 * h);
  }
  return out;
}

describe('hypergradients on a quadratic bi-level problem', () => {
  beforeAll(async () => {
    await initBackend();
  });

  it('implicit (δ = 0) matches the closed form BᵀA⁻¹(θ* − c) within 1e-3 relative', () => {
    const P = problem(31);
    const thetaStar = solveDense(P.a, n, matVec(P.b, n, m, P.phi));
    const gUp = thetaStar.map((t, i) => t - (P.c[i] as number));
    const analytic = matVec(P.bTrans, m, n, solveDense(P.a, n, gUp));
    // The closed form itself against brute force on φ ↦ L_up(A⁻¹Bφ).
    const brute = numGrad((ph) => P.lUp(solveDense(P.a, n, matVec(P.b, n, m, ph))), P.phi);
    expect(rel(brute, analytic)).toBeLessThan(1e-6);
    const res = implicitAtOptimum(P, thetaStar, gUp, 0);
    expect(res.negativeCurvatureStops).toBe(0);
    expect(res.cgIterations).toBeLessThanOrEqual(2 * n);
    expect(rel(res.gradPhi, analytic)).toBeLessThan(1e-3);
  });

  it('implicit with damping δ solves (A + δI)v = ∇θ L_up', () => {
    const P = problem(32);
    const delta = 0.1;
    const thetaStar = solveDense(P.a, n, matVec(P.b, n, m, P.phi));
    const gUp = thetaStar.map((t, i) => t - (P.c[i] as number));
    const ad = Float64Array.from(P.a);
    for (let i = 0; i < n; i++) ad[i * n + i] = (ad[i * n + i] as number) + delta;
    const expected = matVec(P.bTrans, m, n, solveDense(ad, n, gUp));
    const res = implicitAtOptimum(P, thetaStar, gUp, delta);
    expect(rel(res.gradPhi, expected)).toBeLessThan(1e-3);
  });

  it('explicit equals the one-step unrolled formula: ∇φ L_up(θ − α∇θ L_low(φ, θ)) = αBᵀ∇L_up(θ₁)', () => {
    const P = problem(33);
    const alpha = 0.05;
    const step = (ph: ArrayLike<number>): Float64Array => {
      const at = matVec(P.a, n, n, P.theta0);
      const bp = matVec(P.b, n, m, ph);
      return Float64Array.from(P.theta0, (t, i) => t - alpha * ((at[i] as number) - (bp[i] as number)));
    };
    const theta1 = step(P.phi);
    const gUp = theta1.map((t, i) => t - (P.c[i] as number));
    const formula = matVec(P.bTrans, m, n, gUp).map((v) => alpha * v);
    const brute = numGrad((ph) => P.lUp(step(ph)), P.phi);
    expect(rel(formula, brute)).toBeLessThan(1e-6);
    const res = explicitHypergradient({
      gradPhiLow: P.gPhi,
      gradThetaUp: gUp,
      theta: P.theta0,
      phi: P.phi,
      alpha,
      eps0: 1e-2,
    });
    expect(res.cgIterations).toBe(0);
    expect(rel(res.gradPhi, brute)).toBeLessThan(1e-3);
  });

  it('uses exact product closures when given (hvp = A v, mixed = −Bᵀv) and reaches the closed form', () => {
    const P = problem(35);
    const thetaStar = solveDense(P.a, n, matVec(P.b, n, m, P.phi));
    const gUp = thetaStar.map((t, i) => t - (P.c[i] as number));
    const analytic = matVec(P.bTrans, m, n, solveDense(P.a, n, gUp));
    let products = 0;
    const res = implicitHypergradient({
      hvp: (_th, v) => {
        products++;
        return matVec(P.a, n, n, v);
      },
      mixed: (_ph, _th, v) => matVec(P.bTrans, m, n, v).map((x) => -x),
      gradThetaUp: gUp,
      theta: Float32Array.from(thetaStar),
      phi: P.phi,
      nCg: 2 * n,
      damping: 0,
      cgTol: 1e-10,
      eps0: 1e-2,
    });
    expect(products).toBeGreaterThan(0);
    expect(rel(res.gradPhi, analytic)).toBeLessThan(1e-5);
    expect(() =>
      implicitHypergradient({
        gradThetaUp: gUp,
        theta: P.theta0,
        phi: P.phi,
        nCg: 3,
        damping: 0,
        cgTol: 1e-6,
        eps0: 1e-2,
      }),
    ).toThrow(/hvp or gradThetaLow/);
  });

  it('reports a negative-curvature stop and returns a zero hypergradient when H is negative definite', () => {
    const P = problem(34);
    // Flip the lower level: L = −(½θᵀAθ) + …, so H = −A and every direction has negative curvature.
    const res = implicitHypergradient({
      gradThetaLow: (th) => P.gTheta(th).map((v) => -v),
      gradPhiLow: P.gPhi,
      gradThetaUp: Float32Array.from(P.c),
      theta: P.theta0,
      phi: P.phi,
      nCg: 10,
      damping: 0.1,
      cgTol: 1e-6,
      eps0: 1e-2,
    });
    expect(res.negativeCurvatureStops).toBe(1);
    expect(res.cgIterations).toBe(0);
    expect(norm(res.gradPhi)).toBe(0);
  });
});
