import type { FeatureTable } from '@bidfcl/contracts';
import { parseScenario } from '@bidfcl/contracts';
import { simulate, type SimSplit } from '@bidfcl/core';
import type { BidfclData } from './context.js';

/** Small simulated data sets for the Bi-DFCL tests and the bench (not part of the package API). */
export function tinyBidfclData(opts: {
  rct: number;
  val: number;
  obs: number;
  test?: number;
  armValues?: number[];
  features?: number;
  seed?: number;
}): BidfclData & { test: FeatureTable } {
  const armValues = opts.armValues ?? [0, 2, 4];
  const scenario = parseScenario({
    name: 'bidfcl-tiny',
    armValues,
    armBias: armValues.map((v) => -1.5 * v),
    features: opts.features ?? 6,
    sizes: { rct: opts.rct, val: opts.val, obs: opts.obs, test: opts.test ?? 200 },
    seed: opts.seed ?? 0,
  });
  const sim = simulate(scenario);
  const table = (s: SimSplit): FeatureTable => ({
    n: s.n,
    d: s.d,
    m: s.m,
    x: s.x,
    arm: s.arm,
    revenue: s.revenue,
    cost: s.cost,
  });
  const truthOf = (sp: SimSplit): Pick<FeatureTable, 'trueRevenue' | 'trueCost'> =>
    sp.trueRevenue && sp.trueCost ? { trueRevenue: sp.trueRevenue, trueCost: sp.trueCost } : {};
  const rct = table(sim.splits.rct);
  const sd = (v: Float64Array): number => {
    let s = 0;
    for (const x of v) s += x;
    const mean = s / v.length;
    let q = 0;
    for (const x of v) q += (x - mean) ** 2;
    return Math.sqrt(q / v.length) || 1;
  };
  const m = armValues.length;
  return {
    rct,
    val: table(sim.splits.val),
    obs: table(sim.splits.obs),
    test: { ...table(sim.splits.test), ...truthOf(sim.splits.test) },
    propensities: new Array<number>(m).fill(1 / m),
    scale: { revenue: sd(rct.revenue), cost: sd(rct.cost) },
    zeroCostArms: armValues.map((v) => v === 0),
  };
}
