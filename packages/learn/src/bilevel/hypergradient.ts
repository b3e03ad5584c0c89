import { conjugateGradient } from './conjugate-gradient.js';
import { fdHvp, fdMixed } from './finite-difference.js';
import type { Vec } from './vector-ops.js';

/** Inputs shared by both hypergradient variants. Gradients are closures over flat parameter vectors. */
export interface HypergradientBase {
  /** (φ, θ) ↦ ∇_φ L_low(φ, θ), φ-sized; the mixed term is its central difference along θ. */
  gradPhiLow?: (phi: Float32Array, theta: Float32Array) => Vec;
  /** (φ, θ, v) ↦ ∇²_φθ L_low · v computed exactly; replaces the finite difference of `gradPhiLow`. */
  mixed?: (phi: Float32Array, theta: Float32Array, v: Vec) => Vec;
  /** ∇_θ L_up evaluated at θ* (θ-sized). */
  gradThetaUp: Vec;
  /** θ* — where the lower level's second derivatives are taken. */
  theta: Float32Array;
  phi: Float32Array;
  /** Finite-difference probe length ‖εv‖ (default 1e-2, docs/method.md §3.5). */
  eps0: number;
}

/** ∇²_φθ L_low · v: exact when `mixed` is given, else by central differences of `gradPhiLow`. */
function mixedTerm(inp: HypergradientBase, v: Vec): Vec {
  if (inp.mixed) return inp.mixed(inp.phi, inp.theta, v);
  if (!inp.gradPhiLow) throw new Error('hypergradient: give either mixed or gradPhiLow');
  return fdMixed(inp.gradPhiLow, inp.phi, inp.theta, v, inp.eps0);
}

/** Inputs of {@link implicitHypergradient}. */
export interface ImplicitHypergradientInput extends HypergradientBase {
  /** θ ↦ ∇_θ L_low(φ, θ) at the fixed φ; H v is its central difference along v. */
  gradThetaLow?: (theta: Float32Array) => Vec;
  /** (θ, v) ↦ H_θθ v computed exactly; replaces the finite difference of `gradThetaLow`. */
  hvp?: (theta: Float32Array, v: Vec) => Vec;
  nCg: number;
  damping: number;
  cgTol: number;
}

/**
 * The result of one hypergradient step, the only one learn has: what the in-process step returns, what a
 * hypergradient worker answers and what the trainer applies to φ. The two estimators below fill every field but
 * `upperLoss`, which the caller that evaluated L_up adds.
 */
export interface HypergradAnswer {
  /** ∇_φ L_up, φ-sized. */
  gradPhi: Float32Array;
  /** CG iterations that updated v (0 for the explicit variant). */
  cgIterations: number;
  /** 1 when CG stopped on a non-positive-curvature direction, else 0 (0 for the explicit variant). */
  negativeCurvatureStops: number;
  /** L_up at θ* on the upper level's batch. */
  upperLoss: number;
}

/** What the estimators return: the answer before its upper-level loss is known. */
type Estimate = Omit<HypergradAnswer, 'upperLoss'>;

/**
 * Implicit-function-theorem hypergradient (docs/method.md §3.5): solve (H_θθ + δI) v = ∇_θ L_up by CG with
 * finite-difference Hessian-vector products, then ∇_φ L_up = −∇²_φθ L_low · v.
 * Cost: 2 lower-level θ-gradients per CG product plus 2 φ-gradients for the mixed term.
 */
export function implicitHypergradient(inp: ImplicitHypergradientInput): Estimate {
  const { hvp, gradThetaLow } = inp;
  let applyH: (p: Float64Array) => Vec;
  if (hvp) applyH = (p) => hvp(inp.theta, p);
  else if (gradThetaLow) applyH = (p) => fdHvp(gradThetaLow, inp.theta, p, inp.eps0);
  else throw new Error('implicitHypergradient: give either hvp or gradThetaLow');
  const cg = conjugateGradient(applyH, inp.gradThetaUp, { maxIter: inp.nCg, tol: inp.cgTol, damping: inp.damping });
  const mixed = mixedTerm(inp, cg.x);
  const gradPhi = new Float32Array(mixed.length);
  for (let i = 0; i < mixed.length; i++) gradPhi[i] = -(mixed[i] as number);
  return { gradPhi, cgIterations: cg.iterations, negativeCurvatureStops: cg.negativeCurvature ? 1 : 0 };
}

/** Inputs of {@link explicitHypergradient}. */
export interface ExplicitHypergradientInput extends HypergradientBase {
  /** α of the unrolled step θ* ≈ θ − α∇_θ L_low. */
  alpha: number;
}

/**
 * One-step unrolled ("explicit") hypergradient: with θ* ≈ θ − α∇_θ L_low(φ, θ),
 * ∇_φ L_up ≈ −α ∇²_φθ L_low · ∇_θ L_up (mixed term by central differences, as in the implicit variant).
 */
export function explicitHypergradient(inp: ExplicitHypergradientInput): Estimate {
  const mixed = mixedTerm(inp, inp.gradThetaUp);
  const gradPhi = new Float32Array(mixed.length);
  for (let i = 0; i < mixed.length; i++) gradPhi[i] = -inp.alpha * (mixed[i] as number);
  return { gradPhi, cgIterations: 0, negativeCurvatureStops: 0 };
}
