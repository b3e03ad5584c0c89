// Times `bidfcl demo` end to end (process start to exit), N times: node packages/cli/bench/demo-time.mjs [N]
// Prints one line per run and the median. Needs a built tree (npm run build) and a Redis (or redis-server on PATH).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));
const n = Number(process.argv[2] ?? 1);
const times = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'demo', '--quiet'], { encoding: 'utf8' });
  const s = (performance.now() - t0) / 1000;
  if (r.status !== 0) {
    console.error(r.stdout, r.stderr);
    process.exit(1);
  }
  times.push(s);
  console.log(`run ${i + 1}: ${s.toFixed(1)} s`);
}
times.sort((a, b) => a - b);
console.log(
  `demo wall time, median of ${n}: ${times[Math.floor(n / 2)].toFixed(1)} s ` +
    `(${(await import('node:os')).cpus().length} cores)`,
);
