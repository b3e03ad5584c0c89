import type { FeatureTable, MethodMetrics, ScoreMatrix } from '@bidfcl/contracts';
import { aucc } from '../uplift/aucc.js';
import { thinCurve } from '../uplift/compute-metric.js';
import { qiniCurve } from '../uplift/sklift-curves.js';
import { qiniAucScore } from '../uplift/sklift-scores.js';

const toPoints = (c: { x: number[]; y: number[] }) => c.x.map((x, i) => ({ x, y: c.y[i]! }));

/**
 * Two-arm data (docs/method.md §4): AUCC (DFCL's checkpoint rule) ranks users by predicted ROI Δr̂/Δĉ, and the
 * Qini curve (scikit-uplift convention) ranks them by the predicted revenue uplift Δr̂. Curves are thinned for
 * the report.
 */
export function twoArmCurves(
  scores: ScoreMatrix,
  test: FeatureTable,
  quantiles: number,
): Pick<MethodMetrics, 'aucc' | 'auccCurve' | 'qini' | 'qiniCurve'> {
  const n = test.n;
  const dr = new Float64Array(n);
  const dc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dr[i] = scores.r[i * 2 + 1]! - scores.r[i * 2]!;
    dc[i] = scores.c[i * 2 + 1]! - scores.c[i * 2]!;
  }
  const out: Pick<MethodMetrics, 'aucc' | 'auccCurve' | 'qini' | 'qiniCurve'> = {};
  try {
    // DFCL's own checkpoint rule, so that the report's AUCC is the number DFCL's code gives for the same
    // scores (the paper's tables are in it); the interpolated rule differs by O(1/n).
    const a = aucc(dr, dc, test.arm, test.revenue, test.cost, { quantiles, checkpoints: 'first-row' });
    out.aucc = a.aucc;
    out.auccCurve = toPoints(a.curve);
  } catch {
    // AUCC is undefined when the treated arm costs no more than control on the test split: leave it out.
  }
  const q = qiniAucScore(test.revenue, dr, test.arm);
  out.qini = q.value;
  out.qiniCurve = toPoints(thinCurve(qiniCurve(test.revenue, dr, test.arm), 201));
  return out;
}
