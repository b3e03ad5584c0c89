import type { Scenario } from '@bidfcl/contracts';
import { createRng, deriveSeed } from '../rng.js';
import { armTruth, softplus, type UserDrivers } from './user-model.js';
import { createWorld, type SimWorld } from './world.js';

/** The four splits of a simulated data set. */
export type SimSplitName = 'rct' | 'val' | 'obs' | 'test';
/** The split names in draw order. */
export const SIM_SPLITS: readonly SimSplitName[] = ['rct', 'val', 'obs', 'test'];

/** One simulated split: raw features, the arm each user got, realised outcomes, and the truth. */
export interface SimSplit {
  n: number;
  d: number;
  m: number;
  /** n × d raw (unstandardised) features, row-major. */
  x: Float32Array;
  arm: Int32Array;
  /** Realised revenue: buy · basket · LogNormal(−noiseSd²/2, noiseSd). */
  revenue: Float64Array;
  /** Realised cost: v_t · buy. */
  cost: Float64Array;
  /** `${split}-${i}`. */
  userId: string[];
  /** n × m expected revenue r_ij (kept on every split: exact diagnostics and oracle values). */
  trueRevenue?: Float64Array;
  /** n × m expected cost c_ij. */
  trueCost?: Float64Array;
  /** n × m purchase probability p_ij. */
  truePurchase?: Float64Array;
  /** OBS only: logging probability of the taken arm. */
  propensity?: Float64Array;
}

/** A simulated data set and the world it came from. */
export interface SimulatedData {
  scenario: Scenario;
  world: SimWorld;
  splits: Record<SimSplitName, SimSplit>;
}

/**
 * Draws every split of a scenario (docs/method.md §5). World weights come from `worldSeed`; each split draws from its
 * own stream `deriveSeed(seed, 'split', name)`, consumed user by user in a fixed pattern, so one split's size
 * never changes another split's rows and a smaller split is a prefix of a larger one.
 */
export function simulate(scenario: Scenario): SimulatedData {
  const world = createWorld(scenario);
  const splits = {} as Record<SimSplitName, SimSplit>;
  for (const name of SIM_SPLITS) splits[name] = simulateSplit(scenario, world, name, scenario.sizes[name]);
  return { scenario, world, splits };
}

/** Draws one split of `n` users (uniform arms except on 'obs', which follows the logging policy). */
export function simulateSplit(scenario: Scenario, world: SimWorld, name: SimSplitName, n: number): SimSplit {
  const { d, w0, w1, w2, w3, wh } = world;
  const values = scenario.armValues;
  const m = values.length;
  const vMax = values[m - 1]!;
  const bias = scenario.armBias;
  if (bias.length !== m) throw new Error(`armBias has ${bias.length} entries for ${m} arms`);
  const rho = scenario.featCorr;
  const innovation = Math.sqrt(1 - rho * rho);
  const logNormalMu = -0.5 * scenario.noiseSd * scenario.noiseSd;
  const observational = name === 'obs';

  const rng = createRng(deriveSeed(scenario.seed, 'split', name));
  const x = new Float32Array(n * d);
  const arm = new Int32Array(n);
  const revenue = new Float64Array(n);
  const cost = new Float64Array(n);
  const trueRevenue = new Float64Array(n * m);
  const trueCost = new Float64Array(n * m);
  const truePurchase = new Float64Array(n * m);
  const propensity = observational ? new Float64Array(n) : undefined;
  const userId = new Array<string>(n);

  const xi = new Float64Array(d);
  const logits = new Float64Array(m);
  const drivers: UserDrivers = { baseLogit: 0, resp: 0, sat: 0, basket: 0 };
  for (let i = 0; i < n; i++) {
    // x ~ N(0, Σ), Σ_kl = ρ^|k−l|, by the stationary AR(1) recursion (exact, O(d)).
    let prev = rng.normal();
    xi[0] = prev;
    for (let k = 1; k < d; k++) {
      prev = rho * prev + innovation * rng.normal();
      xi[k] = prev;
    }
    const u = rng.normal(); // hidden confounder, never a feature
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let dh = 0;
    for (let k = 0; k < d; k++) {
      const v = xi[k]!;
      x[i * d + k] = v;
      d0 += w0[k]! * v;
      d1 += w1[k]! * v;
      d2 += w2[k]! * v;
      d3 += w3[k]! * v;
      dh += wh[k]! * v;
    }
    drivers.baseLogit = scenario.a0 + d0 + scenario.gamma * u;
    drivers.resp = softplus(d1 + scenario.b1);
    drivers.sat = softplus(d2 + scenario.b2);
    drivers.basket = Math.exp(d3 + scenario.b3);
    armTruth(drivers, values, truePurchase, trueRevenue, trueCost, i * m);

    // Every user consumes the same draws (arm uniform, purchase uniform, noise normal) whatever the outcome.
    const armDraw = rng.next();
    let t: number;
    if (observational) {
      // Logging policy: softmax_j(beta · (wh·x + gammaLog·u) · v_j / v_max + armBias_j).
      const score = scenario.beta * (dh + scenario.gammaLog * u);
      let mx = -Infinity;
      for (let j = 0; j < m; j++) {
        logits[j] = (score * values[j]!) / vMax + bias[j]!;
        if (logits[j]! > mx) mx = logits[j]!;
      }
      let z = 0;
      for (let j = 0; j < m; j++) {
        logits[j] = Math.exp(logits[j]! - mx);
        z += logits[j]!;
      }
      let acc = 0;
      t = m - 1;
      const target = armDraw * z;
      for (let j = 0; j < m; j++) {
        acc += logits[j]!;
        if (target < acc) {
          t = j;
          break;
        }
      }
      propensity![i] = logits[t]! / z;
    } else {
      t = Math.min(m - 1, Math.floor(armDraw * m));
    }
    arm[i] = t;
    const buy = rng.next() < truePurchase[i * m + t]! ? 1 : 0;
    const noise = Math.exp(logNormalMu + scenario.noiseSd * rng.normal());
    revenue[i] = buy * drivers.basket * noise;
    cost[i] = buy * values[t]!;
    userId[i] = `${name}-${i}`;
  }
  const split: SimSplit = { n, d, m, x, arm, revenue, cost, userId, trueRevenue, trueCost, truePurchase };
  if (propensity) split.propensity = propensity;
  return split;
}
