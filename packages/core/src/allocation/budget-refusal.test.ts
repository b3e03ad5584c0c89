import { describe, expect, it } from 'vitest';
import { budgetRefusal } from './budget-refusal.js';
import { scanShard } from './shard-scan.js';
import { coarseRound } from './threshold.js';

// Two users, arm 0 costs 1 (no zero-cost arm), arm 1 costs 3 and earns more: base cost 2, top cost 6.
const scores = { n: 2, m: 2, r: Float64Array.from([1, 5, 1, 4]), c: Float64Array.from([1, 3, 1, 3]) };

describe('budgetRefusal', () => {
  const refusal = (budget: number) => {
    const coarse = coarseRound(scanShard(scores).summary, budget);
    if (coarse.kind !== 'done') throw new Error(`budget ${budget} needs a λ* search`);
    return budgetRefusal(coarse.threshold, 2);
  };

  it('refuses a budget below the cheapest arms with their cost', () => {
    expect(refusal(1.5)).toBe(
      'budget 1.5000000 is below 2.0000000, the predicted cost of giving each of the 2 users their cheapest arm: ' +
        'no allocation fits',
    );
  });

  it('refuses a budget that does not bind with the cost of the revenue-maximising arms', () => {
    expect(refusal(6)).toMatch(/^budget 6\.0000000 is at or above 6\.0000000, .* give a budget below 6\.0000000$/);
  });

  it('leaves a budget in between to the λ* search', () => {
    expect(coarseRound(scanShard(scores).summary, 4).kind).toBe('bin');
  });
});
