// Parquet write/read throughput of @bidfcl/io on the built dist (not a test).
// Usage: node packages/io/bench/parquet-bench.mjs [rows=1000000] [cols=20]
import * as arrow from 'apache-arrow';
import * as pq from 'parquet-wasm';
import { readParquet, writeParquet } from '../dist/index.js';

const rows = Number(process.argv[2] ?? 1_000_000);
const cols = Number(process.argv[3] ?? 20);

let s = 12345;
const rnd = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;

function time(label, fn, reps = 3) {
  const ms = [];
  let out;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(44)} median ${ms[Math.floor(reps / 2)].toFixed(0).padStart(6)} ms  ` +
      `(min ${ms[0].toFixed(0)}, max ${ms[reps - 1].toFixed(0)})`,
  );
  return out;
}

for (const [kind, Ctor] of [
  ['float64', Float64Array],
  ['float32', Float32Array],
]) {
  const columns = {};
  for (let j = 0; j < cols; j++) columns[`f_${j}`] = Ctor.from({ length: rows }, () => rnd() * 2 - 1);
  const raw = rows * cols * Ctor.BYTES_PER_ELEMENT;
  const bytes = time(`writeParquet ${rows}×${cols} ${kind}`, () => writeParquet(columns));
  console.log(`  file ${(bytes.byteLength / 1e6).toFixed(1)} MB for ${(raw / 1e6).toFixed(1)} MB of values`);
  time(`readParquet  ${rows}×${cols} ${kind}`, () => readParquet(bytes, 'bench'));

  // Codec comparison with the same writer settings, straight through parquet-wasm.
  const ipc = arrow.tableToIPC(
    new arrow.Table(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, arrow.makeVector(v)]))),
    'stream',
  );
  for (const [name, codec] of [
    ['snappy', pq.Compression.SNAPPY],
    ['zstd', pq.Compression.ZSTD],
    ['none', pq.Compression.UNCOMPRESSED],
  ]) {
    const b = new pq.WriterPropertiesBuilder().setCompression(codec).setDictionaryEnabled(false);
    const out = time(
      `  codec ${name} (wasm write only)`,
      () => pq.writeParquet(pq.Table.fromIPCStream(ipc), b.build()),
      1,
    );
    console.log(`    ${(out.byteLength / 1e6).toFixed(1)} MB`);
  }
}
