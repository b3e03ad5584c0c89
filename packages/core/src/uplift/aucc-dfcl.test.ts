import { describe, expect, it } from 'vitest';
import { auccFromRoi } from './aucc.js';

// Fixture for DFCL's published AUCC rule ('first-row', the default), values derived by hand from the
// definition in aucc-checkpoints.ts. Tolerance: 1e-9 relative (every number here is a dyadic fraction, so
// the code is in fact exact; the tolerance is the one promised for `bidfcl metrics`).
//
// Input rows (roi, t, reward, cost); 4 treated, 8 control so every division is exact in binary:
//   0: 9 C 1 0 | 1: 8 T 4 2 | 2: 7 T 2 1 | 3: 7 C 0 0 | 4: 6 C 1 0 | 5: 5 T 1 3
//   6: 4 C 0 1 | 7: 4 C 1 0 | 8: 3 T 0 2 | 9: 2 C 0 0 | 10: 1 C 1 0 | 11: 1 C 0 1
// The first row is a control row (the treated group is missing at the start); three tie pairs.
// Totals: C_T = 8, C_C = 2 → Δcost = 8/4 − 2/8 = 7/4; R_T = 7, R_C = 4 → Δreward = 7/4 − 4/8 = 5/4.
// DFCL order = stable ascending sort read backwards: ties LATER row first → 0 1 3 2 4 5 7 6 8 9 11 10.
// Prefix (Δcost, Δreward) after each row of that order (sums / 4 and / 8):
//   r0 (0, −1/8)  r1 (1/2, 7/8)  r3 (1/2, 7/8)  r2 (3/4, 11/8)  r4 (3/4, 5/4)  r5 (3/2, 3/2)
//   r7 (3/2, 11/8)  r6 (11/8, 11/8)  r8 (15/8, 11/8)  r9 (15/8, 11/8)  r11 (7/4, 11/8)  r10 (7/4, 5/4)
const roi = [9, 8, 7, 7, 6, 5, 4, 4, 3, 2, 1, 1];
const t = [0, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 0];
const reward = [1, 4, 2, 0, 1, 1, 0, 1, 0, 0, 1, 0];
const cost = [0, 2, 1, 0, 0, 3, 1, 0, 2, 0, 0, 1];
const REL = 1e-9;
const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(REL * Math.abs(want));

describe("AUCC 'first-row' (DFCL's Metric.py), hand-computed", () => {
  it('Q = 4: thresholds 7/16, 7/8, 21/16; two passed at one row: one checkpoint there, one at the next', () => {
    // j=1: r1 (1/2 ≥ 7/16) → (1/2, 7/8). j=2: r5 (3/2 ≥ 7/8) → (3/2, 3/2); threshold 3 is also passed here but
    // only one checkpoint per row: j=3 at the next row r7 (3/2 ≥ 21/16) → (3/2, 11/8). j=4 = Q: only the
    // last row r10 → (7/4, 5/4). AUCC = (0 + 7/8 + 3/2 + 11/8 + 5/4) / (5/4 · 5) = 5 / 6.25 = 0.8.
    const r = auccFromRoi(roi, t, reward, cost, { quantiles: 4 });
    expect(r.deltaCostTotal).toBe(7 / 4);
    expect(r.deltaRewardTotal).toBe(5 / 4);
    expect(r.curve.x).toEqual([0, 1 / 2, 3 / 2, 3 / 2, 7 / 4]);
    expect(r.curve.y).toEqual([0, 7 / 8, 3 / 2, 11 / 8, 5 / 4]);
    close(r.aucc, 0.8);
    // The interpolated rule gives 227/300 on the same table (thresholds on the tie-block polyline:
    // 3/4, 31/24, 23/16): a test of the default that the other convention fails.
    close(auccFromRoi(roi, t, reward, cost, { quantiles: 4, checkpoints: 'interpolated' }).aucc, 227 / 300);
    expect(Math.abs(0.8 - 227 / 300)).toBeGreaterThan(0.04);
  });

  it('Q = 7: a prefix exactly at a threshold counts (≥), ties later row first', () => {
    // step 1/4; thresholds 1/4 … 3/2. r1 (1/2 ≥ 1/4), r3 (1/2 ≥ 1/2, exact), r2 (3/4 ≥ 3/4, exact),
    // r5 (3/2 ≥ 1), r7 (3/2 ≥ 5/4), r8 (15/8 ≥ 3/2), then j = 7 = Q: last row r10.
    // Σ Δreward = 0 + 7/8 + 7/8 + 11/8 + 3/2 + 11/8 + 11/8 + 5/4 = 69/8; AUCC = (69/8)/(5/4 · 8) = 69/80.
    const r = auccFromRoi(roi, t, reward, cost, { quantiles: 7 });
    expect(r.curve.x).toEqual([0, 1 / 2, 1 / 2, 3 / 4, 3 / 2, 3 / 2, 15 / 8, 7 / 4]);
    close(r.aucc, 69 / 80);
    // Ties the other way (earlier row first: r2 before r3, r6 before r7) give 37/40: the tie order matters.
    const flip = [0, 1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10]; // swaps each tie pair in the input
    const f = auccFromRoi(
      flip.map((i) => roi[i]!),
      flip.map((i) => t[i]!),
      flip.map((i) => reward[i]!),
      flip.map((i) => cost[i]!),
      { quantiles: 7 },
    );
    close(f.aucc, 37 / 40);
    close(auccFromRoi(roi, t, reward, cost, { quantiles: 7, checkpoints: 'interpolated' }).aucc, 13 / 16);
  });

  it('Q = 1: the origin and the last row only → 1/2', () => {
    const r = auccFromRoi(roi, t, reward, cost, { quantiles: 1 });
    expect(r.curve.y).toEqual([0, 5 / 4]);
    expect(r.aucc).toBe(0.5);
  });

  it('fewer than Q + 1 checkpoints still divide by Q + 1', () => {
    // Two rows, Q = 4: T (roi 2, r 1, c 1), C (roi 1, r 0, c 0). Δcost 1, step 1/4. Row 1: 1 ≥ 1/4 → j=2.
    // Row 2 is the last row → recorded. Points 0, 1, 1: AUCC = 2 / (1 · 5) = 0.4. Interpolated: thresholds
    // on the segment (0,0)→(1,1) give 1/4, 1/2, 3/4, then the end 1: 2.5 / 5 = 0.5.
    const r = auccFromRoi([2, 1], [1, 0], [1, 0], [1, 0], { quantiles: 4 });
    expect(r.curve.y).toEqual([0, 1, 1]);
    close(r.aucc, 0.4);
    close(auccFromRoi([2, 1], [1, 0], [1, 0], [1, 0], { quantiles: 4, checkpoints: 'interpolated' }).aucc, 0.5);
  });

  it('rejects an unknown rule', () => {
    expect(() => auccFromRoi(roi, t, reward, cost, { checkpoints: 'exact' as never })).toThrow(/checkpoints/);
  });
});
