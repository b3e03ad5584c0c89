export {};
export { conjugateGradient } from './bilevel/conjugate-gradient.js';
export type { CgOptions, CgResult } from './bilevel/conjugate-gradient.js';
export { fdHvp, fdMixed } from './bilevel/finite-difference.js';
export { implicitHypergradient, explicitHypergradient } from './bilevel/hypergradient.js';
export type { HypergradientBase, ImplicitHypergradientInput, ExplicitHypergradientInput, HypergradientResult } from './bilevel/hypergradient.js';
export { flatGradient, flatGradient2, tensorsFromFlat, flatFromTensors, shapesSize } from './bilevel/tensor-closures.js';
export type { ParamShapes } from './bilevel/tensor-closures.js';
export type { Vec } from './bilevel/vector-ops.js';
