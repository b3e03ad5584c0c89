// The bench's allocation, written directly: the bench measures the service, not `bidfcl allocate` (measured by
// packages/cli/bench/allocate-throughput.mjs). Under a loaded machine the 1M-user allocation through in-process
// workers lost its job locks; here the same artefacts are computed in this process with the same library calls
// the population workers make (the version's encoding and network, core's exact λ* solve, predictedOutcomes), then
// written as decisions Parquet parts, summary.json and the current-allocation pointer the service polls.
import { keys } from '../../contracts/dist/index.js';
import { allocateBudget, createRng, deriveSeed, encodeRawFeatures, predictedOutcomes } from '../../core/dist/index.js';
import { decisionsSha256, loadWeights, writeParquet } from '../../io/dist/index.js';
import { predictSavedModel } from '../../learn/dist/index.js';
import { publishCurrentAllocation, readVersion } from '../../runtime/dist/index.js';

/** Users `u0`…`u{n-1}` with features x0…x7 uniform in [−1, 1) (seeded), allocated at `budgetPerUser`. */
export async function writeBenchAllocation(ctx, { model, users, budgetPerUser, id, partSize = 500_000 }) {
  const requestedAt = new Date();
  const version = await readVersion(ctx.store, model, 1);
  const enc = version.encoding;
  const rng = createRng(deriveSeed(1, 'serve-bench', users));
  const columns = new Map();
  for (let k = 0; k < 8; k++)
    columns.set(`x${k}`, { kind: 'number', values: Float64Array.from({ length: users }, () => 2 * rng.next() - 1) });
  const m = enc.arms.length;
  const table = {
    n: users,
    d: enc.featureNames.length,
    m,
    x: encodeRawFeatures(columns, enc, 0, users, 'bench users'),
    arm: new Int32Array(users),
    revenue: new Float64Array(users),
    cost: new Float64Array(users),
  };
  const scores = await predictSavedModel(await loadWeights(ctx.store, version.weights), enc, table, ctx.env.tfBackend);
  const a = allocateBudget(scores, budgetPerUser);
  const p = predictedOutcomes(scores, a.assignment);
  const ids = Array.from({ length: users }, (_, i) => `u${i}`);
  const names = enc.arms.map((x) => x.name);
  const decisions = [];
  for (let s = 0, start = 0; start < users; s++, start += partSize) {
    const end = Math.min(users, start + partSize);
    const key = keys.allocationDecisions(id, s);
    const part = {
      user_id: ids.slice(start, end),
      arm: Array.from(a.assignment.subarray(start, end), (j) => names[j]),
      arm_index: a.assignment.slice(start, end),
      predicted_revenue: p.revenue.slice(start, end),
      predicted_cost: p.cost.slice(start, end),
      predicted_uplift_revenue: p.upliftRevenue.slice(start, end),
      predicted_uplift_cost: p.upliftCost.slice(start, end),
    };
    await ctx.store.put(key, writeParquet(part, { metadata: { 'bidfcl.allocation': id } }));
    decisions.push(key);
  }
  const counts = names.map((_, j) => a.assignment.reduce((n, x) => n + (x === j ? 1 : 0), 0));
  const sum = (v) => v.reduce((t, x) => t + x, 0);
  const finished = new Date();
  const summary = {
    allocationId: id,
    model,
    version: version.version,
    users,
    shards: decisions.length,
    lambda: a.lambda,
    budget: budgetPerUser * users,
    predictedSpend: sum(p.cost),
    predictedRevenue: sum(p.revenue),
    predictedIncrementalRevenue: sum(p.upliftRevenue),
    armMix: names.map((arm, j) => ({ arm, users: counts[j], share: counts[j] / users })),
    decisions,
    sha256: decisionsSha256(ids, a.assignment),
    timings: {
      requestedAt: requestedAt.toISOString(),
      finishedAt: finished.toISOString(),
      seconds: (finished.getTime() - requestedAt.getTime()) / 1000,
    },
  };
  await ctx.store.putJson(keys.allocationSummary(id), summary);
  await publishCurrentAllocation(ctx.store, summary);
  return summary;
}
