import { describe, expect, it } from 'vitest';
import { createRng } from '../rng.js';
import { mergeSummaries, scanShard } from './shard-scan.js';
import { shardSummaryFromJson, shardSummaryToJson } from './summary-json.js';
import { coarseRound } from './threshold.js';

function scores(seed: number, n: number, m: number) {
  const rng = createRng(seed);
  const r = Float64Array.from({ length: n * m }, () => rng.next() * 10);
  const c = Float64Array.from({ length: n * m }, (_, k) => (k % m === 0 ? 0 : rng.next() * 3 + 0.1));
  return { n, m, r, c };
}

describe('shard summaries as JSON', () => {
  it('round-trip exactly: the same limbs, counts and coarse round after JSON.stringify/parse', () => {
    const parts = [scores(1, 300, 4), scores(2, 200, 4)].map((s) => scanShard(s).summary);
    const sent = parts.map((p) => shardSummaryFromJson(JSON.parse(JSON.stringify(shardSummaryToJson(p)))));
    const a = mergeSummaries(parts);
    const b = mergeSummaries(sent);
    expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
    for (let k = 0; k < 40; k++) expect(Array.from(b.cost.limbsOf(k))).toEqual(Array.from(a.cost.limbsOf(k)));
    expect(b).toMatchObject({ users: 500, upgrades: a.upgrades, maxUpgradeCost: a.maxUpgradeCost });
    const budget = a.cost.toNumber(0) + 100;
    expect(coarseRound(b, budget)).toEqual(coarseRound(a, budget));
  });

  it('refuses limbs that are not exact integers and bins out of range', () => {
    const j = shardSummaryToJson(scanShard(scores(3, 10, 3)).summary);
    expect(() => shardSummaryFromJson({ ...j, cost: [[0, [0.5]]] })).toThrow(/limbs/);
    expect(() => shardSummaryFromJson({ ...j, counts: [[-1, 2]] }, 'part 3')).toThrow(/part 3: bad λ bin -1/);
  });
});
