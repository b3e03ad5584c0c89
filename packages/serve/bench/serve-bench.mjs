// Loopback benchmark of bidfcl serve with N users loaded (default 1M): GET /v1/decisions at 2,000 req/s and
// POST /v1/decide at 500 req/s, 10 s each (autocannon), plus the lookup decision's numbers (docs/serving.md):
// the per-replica index vs a Redis hash (memory, latency). Needs Redis (REDIS_URL or 127.0.0.1:6379).
// Each run also prints the service's own view (its latency histogram): the share answered within 1 and 2 ms.
// Usage: node packages/serve/bench/serve-bench.mjs [users=1000000] [seconds=10]
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { createTestRuntime } from '../../runtime/dist/testing/index.js';
import { runtimeEnvToVars } from '../../runtime/dist/index.js';
import { promoteTinyModel } from '../../cli/dist/test-support/population.js';
import { BIN } from '../../cli/dist/test-support/processes.js';
import { UserIndex } from '../dist/index.js';
import { writeBenchAllocation } from './bench-allocation.mjs';

const users = Number(process.argv[2] ?? 1_000_000);
const seconds = Number(process.argv[3] ?? 10);
const rt = await createTestRuntime('serve-bench');
const log = (s) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
let child;
try {
  await promoteTinyModel(rt.ctx, 'coupons');
  log(`model trained; writing the allocation of ${users} users directly (bench-allocation.mjs), not via the queue`);
  const summary = await writeBenchAllocation(rt.ctx, { model: 'coupons', users, budgetPerUser: 0.5, id: 'bench' });
  log(`allocation ${summary.allocationId}: ${summary.users} users, λ* ${summary.lambda.toPrecision(4)}`);
  child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'warn'], {
    env: { ...process.env, ...runtimeEnvToVars(rt.env) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bidfcl serve exited with ${code}`)));
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
  });
  for (;;) {
    if ((await fetch(`${url}/readyz`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))[1]) / 1024;
  log(`service ready, RSS ${rss().toFixed(0)} MiB; load average ${load()}`);
  let i = 0;
  // Each route gets 2 s at its rate first (JIT, connections; not counted), then the measured run.
  // The service's own latency histogram (time inside the process, from request to response) before and after each
  // measured run: what the service spends, apart from the load generator and the scheduler sharing the 2 cores.
  const serverBuckets = async (route) => {
    const text = await (await fetch(`${url}/metrics`)).text();
    const out = new Map();
    const re = /^bidfcl_http_request_duration_seconds_bucket\{([^}]*)\} (\d+)/gm;
    for (let m; (m = re.exec(text));) {
      if (!m[1].includes(`route="${route}"`) || !m[1].includes('status="200"')) continue;
      const le = /le="([^"]+)"/.exec(m[1])[1];
      out.set(le, (out.get(le) ?? 0) + Number(m[2]));
    }
    return out;
  };
  const measure = async (rate, request, route) => {
    await autocannon({ url, connections: 10, overallRate: rate, duration: 2, requests: [request] });
    const before = await serverBuckets(route);
    const result = await autocannon({
      url,
      connections: 10,
      overallRate: rate,
      duration: seconds,
      requests: [request],
    });
    const after = await serverBuckets(route);
    const delta = (le) => (after.get(le) ?? 0) - (before.get(le) ?? 0);
    const share = (le) => ((100 * delta(le)) / Math.max(1, delta('+Inf'))).toFixed(2);
    result.server = `in the service: ${share('0.001')} % within 1 ms, ${share('0.002')} % within 2 ms`;
    return result;
  };
  const get = await measure(
    2000,
    {
      method: 'GET',
      setupRequest: (r) => ({ ...r, path: `/v1/decisions/u${(i++ * 7919) % users}?model=coupons` }),
    },
    '/v1/decisions/:userId',
  );
  const body = (k) =>
    JSON.stringify({
      userId: `new-${k}`,
      model: 'coupons',
      features: Object.fromEntries(Array.from({ length: 8 }, (_, j) => [`x${j}`, ((k + j) % 17) / 8 - 1])),
    });
  const post = await measure(
    500,
    {
      method: 'POST',
      path: '/v1/decide',
      headers: { 'content-type': 'application/json' },
      setupRequest: (r) => ({ ...r, body: body(i++) }),
    },
    '/v1/decide',
  );
  const row = (name, r) =>
    `${name}: ${r.requests.average.toFixed(0)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ` +
    `non-2xx ${r.non2xx}, errors ${r.errors}; ${r.server}`;
  console.log(row('GET /v1/decisions', get));
  console.log(row('POST /v1/decide ', post));
  console.log(`example GET  u42: ${await (await fetch(`${url}/v1/decisions/u42?model=coupons`)).text()}`);
  console.log(
    `example POST new-1: ${await (
      await fetch(`${url}/v1/decide`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(1),
      })
    ).text()}`,
  );
  // The switch at this size with the default poll (2 s): a second allocation published, timed until answered.
  await writeBenchAllocation(rt.ctx, { model: 'coupons', users, budgetPerUser: 0.3, id: 'bench-2' });
  const published = performance.now();
  for (;;) {
    const a = await (await fetch(`${url}/v1/decisions/u0?model=coupons`)).json();
    if (a.allocationId === 'bench-2') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  console.log(`switch to a new ${users}-user allocation: ${((performance.now() - published) / 1000).toFixed(2)} s`);
  console.log(`service RSS after: ${rss().toFixed(0)} MiB; load average ${load()}`);
  child.kill('SIGTERM');
  child = undefined;
  // The lookup decision: the same ids in the compact index, in a JS Map, and in a Redis hash.
  const ids = Array.from({ length: users }, (_, k) => `u${k}`);
  let h0 = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const index = await UserIndex.build(users, 4, async (visit) =>
    visit({ userIds: ids, armIndex: ids.map((_, k) => k % 4), exitLambda: ids.map(() => 1) }),
  );
  log(`UserIndex: ${(index.bytes / 2 ** 20).toFixed(1)} MiB of typed arrays`);
  global.gc?.();
  h0 = process.memoryUsage().heapUsed;
  const map = new Map(ids.map((id, k) => [id, k % 4]));
  global.gc?.();
  log(
    `Map<string, number>: ≈ ${((process.memoryUsage().heapUsed - h0) / 2 ** 20).toFixed(1)} MiB of heap ` +
      `beyond the id strings (${map.size})`,
  );
  let t = performance.now();
  let found = 0;
  for (let k = 0; k < 200_000; k++) if (index.find(`u${(k * 7919) % users}`)) found++;
  log(`UserIndex.find: ${(((performance.now() - t) / 200_000) * 1000).toFixed(2)} µs per lookup (${found} found)`);
  const redis = new Redis(rt.env.redisUrl);
  const key = `${rt.env.prefix}:bench-hash`;
  for (let k = 0; k < users; k += 10_000)
    await redis.hset(key, Object.fromEntries(ids.slice(k, k + 10_000).map((id, j) => [id, (k + j) % 4])));
  log(
    `Redis hash: ${(Number(await redis.memory('USAGE', key, 'SAMPLES', '0')) / 2 ** 20).toFixed(1)} MiB (MEMORY USAGE)`,
  );
  t = performance.now();
  for (let k = 0; k < 5000; k++) await redis.hget(key, `u${(k * 7919) % users}`);
  log(`Redis HGET: ${(((performance.now() - t) / 5000) * 1000).toFixed(0)} µs per sequential round trip`);
  redis.disconnect();
} finally {
  child?.kill('SIGTERM');
  await rt.cleanup();
}
