// Wall time of Bi-DFCL against tsm-both on the same simulated data (not a test), plus where Bi-DFCL's time goes.
// Usage: node packages/learn/bench/bidfcl-bench.mjs [obs=20000] [rct=2000] [epochs=5] [arms=8] [nCg=20] [hvpRows|-]
//   [hvp=fd|exact]
// Build first: npx tsc -b packages/learn
import { bidfclConfigSchema, dfclConfigSchema, trainingConfigSchema } from '@bidfcl/contracts';
import * as tf from '@tensorflow/tfjs';
import { initBackend, trainBidfcl, trainModel } from '../dist/index.js';
import { tinyBidfclData } from '../dist/bidfcl/test-data.js';

const [obsN = 20000, rctN = 2000, epochs = 5, arms = 8, nCg = 20] = process.argv.slice(2, 7).map(Number);
const hvpRows = process.argv[7] && process.argv[7] !== '-' ? Number(process.argv[7]) : undefined;
const hvp = process.argv[8] ?? 'fd';
const armValues = Array.from({ length: arms }, (_, j) => j);
await initBackend();
const data = tinyBidfclData({ rct: rctN, val: Math.round(rctN / 2), obs: obsN, armValues, features: 20, seed: 1 });
// patience = epochs: every method trains all its epochs, so the times compare equal amounts of work.
const training = trainingConfigSchema.parse({ epochs, patience: epochs });
const dfcl = dfclConfigSchema.parse({});
const bidfcl = { ...bidfclConfigSchema.parse({ nCg }), hvp, ...(hvpRows ? { hvpRows } : {}) };
const settings = { training, dfcl, bidfcl, seed: 0 };
console.log(
  `data: obs ${obsN}, rct ${rctN}, val ${Math.round(rctN / 2)}, ${arms} arms, 20 features; ` +
    `epochs ${epochs}, batch ${training.batchSize}, hidden ${training.hidden}, k ${bidfcl.k}, nCg ${nCg}, hvp ${hvp}` +
    `${hvpRows ? `, hvpRows ${hvpRows}` : ''}`,
);

// CPU seconds of this process: robust when other processes share the cores (wall time is printed too).
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const dispose = (r) => tf.dispose([...r.params, ...(r.lastParams ?? []), ...(r.teacher ?? []), ...(r.bridge ?? [])]);

let t0 = performance.now();
let c0;
const tsmRct = await trainModel('tsm-rct', data, { training, dfcl, seed: 0 });
const tTsmRct = (performance.now() - t0) / 1000;
const rctEom = tsmRct.history[tsmRct.selectedEpoch - 1]?.valEom;
dispose(tsmRct);

t0 = performance.now();
c0 = cpu();
const both = await trainModel('tsm-both', data, { training, dfcl, seed: 0 });
const tBoth = (performance.now() - t0) / 1000;
const cBoth = cpu() - c0;
const bothEom = both.history[both.selectedEpoch - 1]?.valEom;
console.log(`tsm-both val EOM by epoch: ${both.history.map((e) => e.valEom.toFixed(3)).join(' ')}`);
dispose(both);

for (const method of ['bidfcl-fixgate', 'bidfcl-ppl', 'bidfcl-pifd', 'bidfcl-ppl-explicit']) {
  let hgTime = 0;
  let hgCount = 0;
  let cg = 0;
  let neg = 0;
  t0 = performance.now();
  c0 = cpu();
  const r = await trainBidfcl(method, data, settings, {
    onHypergradient: (h) => {
      hgTime += h.ms;
      hgCount += 1;
      cg += h.cgIterations;
      neg += h.negativeCurvatureStops;
    },
  });
  const total = (performance.now() - t0) / 1000;
  const cTotal = cpu() - c0;
  const sel = r.history[r.selectedEpoch - 1];
  console.log(
    `${method.padEnd(20)} CPU ${cTotal.toFixed(1)} s = ${(cTotal / cBoth).toFixed(2)}× tsm-both ` +
      `(wall ${total.toFixed(1)} s = ${(total / tBoth).toFixed(2)}×)` +
      (hgCount
        ? `; ${hgCount} hypergradients ${(hgTime / 1000).toFixed(1)} s (${(hgTime / hgCount).toFixed(0)} ms each, ` +
          `mean CG iterations ${(cg / hgCount).toFixed(1)}, negative-curvature stops ${neg}/${hgCount})`
        : '') +
      `; teacher epoch ${r.teacherSelectedEpoch}; ` +
      `selected epoch ${r.selectedEpoch}/${r.lastEpoch}, val EOM ${sel?.valEom?.toFixed(3)}`,
  );
  console.log(`  val EOM by epoch: ${r.history.map((e) => e.valEom.toFixed(3)).join(' ')}`);
  dispose(r);
}
console.log(
  `tsm-rct wall ${tTsmRct.toFixed(1)} s (val EOM ${rctEom?.toFixed(3)}); ` +
    `tsm-both CPU ${cBoth.toFixed(1)} s, wall ${tBoth.toFixed(1)} s (val EOM ${bothEom?.toFixed(3)})`,
);
