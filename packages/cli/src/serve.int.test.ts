import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, type PopulationSummary } from '@bidfcl/contracts';
import { decide } from '@bidfcl/core';
import { readParquet } from '@bidfcl/io';
import { startS3rver } from '@bidfcl/io/testing';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startServe, type RunningService } from '@bidfcl/serve';
import { startRole } from './cluster.js';
import { promoteTinyModel, scoredTestUsers } from './test-support/population.js';
import { allocate, freePort, logSink, startOwnRedis, stopProcess } from './test-support/serve-fixture.js';

type Json = Record<string, unknown>;
const get = async (url: string) => {
  const r = await fetch(url);
  return { status: r.status, body: (await r.json()) as Json };
};
const send = async (url: string, method: string, body: unknown, raw?: string) => {
  const r = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(body),
  });
  return { status: r.status, body: (await r.json()) as Json };
};

/** Arms by user id of an allocation, from its published parts. */
async function armsOf(rt: TestRuntime, s: PopulationSummary) {
  const arms = new Map<string, number>();
  for (const key of s.decisions) {
    const t = readParquet(await rt.ctx.store.get(key));
    const ids = t.columns.get('user_id')!.values as string[];
    const a = t.columns.get('arm_index')!.values as Float64Array;
    ids.forEach((id, i) => arms.set(id, a[i]!));
  }
  return arms;
}

// A tiny trained model on s3rver and the shared Redis (own prefix); two replicas of the service in this process.
describe('bidfcl serve: decisions from the current allocation, pacing, bad input', () => {
  let s3: Awaited<ReturnType<typeof startS3rver>>;
  let rt: TestRuntime;
  let workers: ReturnType<typeof startRole>;
  let one: RunningService;
  let two: RunningService;
  const logs = logSink();
  let budget: number;
  let scored: Awaited<ReturnType<typeof scoredTestUsers>>;
  let first: PopulationSummary;
  let firstArms: Map<string, number>;
  let testFeatures: { ids: string[]; x: Float64Array[] };

  beforeAll(async () => {
    s3 = await startS3rver({ bucket: 'serve' });
    rt = await createTestRuntime('serve', {
      storeUrl: `s3://${s3.bucket}/bidfcl`,
      s3: { region: 'us-east-1', endpoint: s3.endpoint, ...s3.credentials },
    });
    await promoteTinyModel(rt.ctx, 'coupons');
    workers = startRole(rt.ctx, 'allocator', 1);
    scored = await scoredTestUsers(rt.ctx, 'coupons');
    budget = scored.budget;
    const t = readParquet(await rt.ctx.store.get(keys.datasetPart('tiny', 'v1', 'test', 0)));
    testFeatures = {
      ids: t.columns.get('user_id')!.values as string[],
      x: Array.from({ length: 8 }, (_, k) => t.columns.get(`x${k}`)!.values as Float64Array),
    };
    const opts = { env: rt.env, port: 0, pollMs: 100, logStream: logs.stream };
    one = await startServe(opts);
    two = await startServe(opts);
  }, 180_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await workers?.close();
    await rt?.cleanup();
    await s3?.stop();
  });

  test('before any allocation: not ready, 503 with the reason; an unknown model is a 404', async () => {
    expect((await get(`${one.url}/healthz`)).status).toBe(200);
    const ready = await get(`${one.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toContain('no current allocation is loaded yet');
    const r = await get(`${one.url}/v1/decisions/test-1?model=coupons`);
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ error: 'no_allocation' });
    expect(String(r.body.message)).toMatch(/no current allocation yet: run bidfcl allocate --model coupons/);
    const u = await get(`${one.url}/v1/decisions/test-1?model=nope`);
    expect(u).toMatchObject({ status: 404, body: { error: 'unknown_model' } });
  });

  test('GET answers every user with the allocation’s arm and λ*; an unknown user is a 404', async () => {
    first = await allocate(rt.env, 'night-1', budget);
    firstArms = await armsOf(rt, first);
    await expect.poll(async () => (await get(`${two.url}/readyz`)).status, { timeout: 30_000 }).toBe(200);
    await expect.poll(async () => (await get(`${one.url}/readyz`)).status, { timeout: 30_000 }).toBe(200);
    for (const id of [...firstArms.keys()].slice(0, 300)) {
      const r = await get(`${one.url}/v1/decisions/${encodeURIComponent(id)}?model=coupons`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        userId: id,
        armIndex: firstArms.get(id),
        model: 'coupons',
        version: 1,
        allocationId: 'night-1',
        lambda: first.lambda,
      });
    }
    expect(await get(`${one.url}/v1/decisions/nobody?model=coupons`)).toMatchObject({
      status: 404,
      body: { error: 'unknown_user' },
    });
    // One model served: ?model= may be left out.
    expect((await get(`${one.url}/v1/decisions/${[...firstArms.keys()][0]}`)).status).toBe(200);
  });

  test('POST /v1/decide scores with the version and picks argmax r̂ − λ*ĉ; bad bodies are 400/413', async () => {
    const m = scored.scores.m;
    for (let i = 0; i < 40; i++) {
      const features = Object.fromEntries(testFeatures.x.map((col, k) => [`x${k}`, col[i]!]));
      const r = await send(`${one.url}/v1/decide`, 'POST', { userId: `new-${i}`, model: 'coupons', features });
      expect(r.status).toBe(200);
      const row = scored.userIds.indexOf(testFeatures.ids[i]!);
      const s = {
        n: 1,
        m,
        r: scored.scores.r.slice(row * m, row * m + m),
        c: scored.scores.c.slice(row * m, row * m + m),
      };
      expect(r.body.armIndex).toBe(decide(s, first.lambda)[0]);
      expect(r.body).toMatchObject({ allocationId: 'night-1', version: 1, lambda: first.lambda });
    }
    const url = `${one.url}/v1/decide`;
    const missing = await send(url, 'POST', { userId: 'a', features: { x0: 1 } });
    expect(missing).toMatchObject({ status: 400, body: { error: 'bad_request' } });
    expect(String(missing.body.message)).toMatch(/lacks feature column\(s\) x1, x2/);
    const noUser = await send(url, 'POST', { features: {} });
    expect(String(noUser.body.message)).toMatch(/userId/);
    const badType = await send(url, 'POST', { userId: 'a', features: { x0: [1] } });
    expect(badType.status).toBe(400);
    const nonNumeric = await send(url, 'POST', {
      userId: 'a',
      features: Object.fromEntries(testFeatures.x.map((_, k) => [`x${k}`, k ? 1 : 'abc'])),
    });
    expect(String(nonNumeric.body.message)).toMatch(/'x0' is not numeric/);
    expect(await send(url, 'POST', undefined, '{"userId": "a", "features": {')).toMatchObject({
      status: 400,
      body: { error: 'malformed_json' },
    });
    const big = await send(url, 'POST', {
      userId: 'a',
      features: {
        pad: 'x'.repeat(200),
        ...Object.fromEntries(Array.from({ length: 200 }, (_, k) => [`f${k}`, 'y'.repeat(200)])),
      },
    });
    expect(big).toMatchObject({ status: 413, body: { error: 'payload_too_large' } });
  });

  test('a new allocation: both replicas switch within seconds, and no answer mixes the two', async () => {
    const answers: Json[] = [];
    let stop = false;
    const ids = [...firstArms.keys()].slice(0, 50);
    const hammer = async (svc: RunningService) => {
      for (let i = 0; !stop; i++)
        answers.push((await get(`${svc.url}/v1/decisions/${ids[i % ids.length]}?model=coupons`)).body);
    };
    const load = [hammer(one), hammer(two)];
    const second = await allocate(rt.env, 'night-2', budget * 0.6);
    const secondArms = await armsOf(rt, second);
    const t0 = Date.now();
    for (const svc of [one, two])
      await expect
        .poll(async () => (await get(`${svc.url}/v1/decisions/${ids[0]}?model=coupons`)).body.allocationId, {
          timeout: 10_000,
        })
        .toBe('night-2');
    const switchSeconds = (Date.now() - t0) / 1000;
    stop = true;
    await Promise.all(load);
    expect(second.lambda).not.toBe(first.lambda);
    expect(answers.length).toBeGreaterThan(20);
    for (const a of answers) {
      const [arms, lambda] = a.allocationId === 'night-1' ? [firstArms, first.lambda] : [secondArms, second.lambda];
      expect(a.lambda).toBe(lambda);
      expect(a.armIndex).toBe(arms.get(a.userId as string));
    }
    expect(switchSeconds).toBeLessThan(5);
  });

  test('pacing: spend counted once per event id, an unknown user’s spend counts, hard stop gives arm 0', async () => {
    const plan = await send(`${one.url}/v1/pacing/coupons`, 'PUT', { budget: 10, reserve: 1 });
    expect(plan.status).toBe(200);
    const url = `${two.url}/v1/spend`; // another replica takes the events: the state is shared
    const user = [...firstArms.keys()][0]!;
    // Replica one reads the state now (and keeps a copy), before replica two takes any spend.
    expect((await get(`${one.url}/v1/decisions/${user}?model=coupons`)).body.budgetExhausted).toBeUndefined();
    const ev = { eventId: 'ev-1', userId: user, arm: 1, amount: 4, model: 'coupons' };
    expect((await send(url, 'POST', ev)).body).toMatchObject({ recorded: true, knownUser: true, spend: 4 });
    expect((await send(url, 'POST', ev)).body).toMatchObject({ recorded: false, duplicate: true, spend: 4 });
    expect(await send(url, 'POST', { ...ev, amount: 5 })).toMatchObject({ status: 409, body: { error: 'conflict' } });
    const stranger = await send(url, 'POST', { ...ev, eventId: 'ev-2', userId: 'stranger' });
    expect(stranger.body).toMatchObject({ recorded: true, knownUser: false, spend: 8 });
    expect(await send(url, 'POST', { ...ev, eventId: 'ev-3', arm: 'no-such-arm' })).toMatchObject({ status: 400 });
    expect(await send(url, 'POST', { ...ev, eventId: 'ev 4' })).toMatchObject({ status: 400 });
    expect(await send(url, 'POST', { ...ev, eventId: 'ev-5', amount: -1 })).toMatchObject({ status: 400 });
    const last = await send(url, 'POST', { ...ev, eventId: 'ev-6', amount: 1.5 });
    expect(last.body).toMatchObject({ spend: 9.5, budgetExhausted: true });
    const cacheReads = async () =>
      Number(
        /bidfcl_pacing_state_reads_total\{source="cache"\} (\d+)/.exec(
          await (await fetch(`${one.url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const before = await cacheReads();
    // Replica one last read the state before replica two took the spend: its copy was dropped by the change notice,
    // so the first decision already sees the hard stop; the next ones cost no Redis round trip.
    for (const id of [...firstArms.keys()].slice(0, 30)) {
      const r = await get(`${one.url}/v1/decisions/${id}?model=coupons`);
      expect(r.body).toMatchObject({ armIndex: 0, budgetExhausted: true });
    }
    expect((await cacheReads()) - before).toBeGreaterThanOrEqual(29);
    const state = await get(`${one.url}/v1/pacing/coupons`);
    expect(state.body).toMatchObject({ spend: 9.5, exhausted: true });
    const metrics = await (await fetch(`${one.url}/metrics`)).text();
    expect(metrics).toMatch(
      /bidfcl_http_requests_total\{route="\/v1\/decisions\/:userId",method="GET",status="200"\} \d+/,
    );
    expect(metrics).toMatch(/bidfcl_http_request_duration_seconds_bucket\{le="0.002",route="\/v1\/decisions\/:userId"/);
    expect(metrics).toMatch(/bidfcl_serve_model_version\{model="coupons",allocation="night-2"\} 1/);
    expect(metrics).toMatch(/bidfcl_serve_lambda\{model="coupons",kind="allocation"\} [\d.e-]+/);
    expect(await (await fetch(`${two.url}/metrics`)).text()).toMatch(
      /bidfcl_spend_events_total\{model="coupons",outcome="duplicate",known_user="true"\} 1/,
    );
  });

  test('the controller steps λ at each tick, logs each change and shows it', async () => {
    const start = Date.UTC(2026, 0, 1);
    const put = await send(`${one.url}/v1/pacing/coupons`, 'PUT', {
      budget: 100,
      start,
      end: start + 3_600_000,
      tickMs: 60_000,
    });
    const lambda0 = (put.body.plan as Json).lambda0 as number;
    const user = [...firstArms.keys()][0]!;
    const ev = (i: number, minute: number) => ({
      eventId: `t-${i}`,
      userId: user,
      arm: 1,
      amount: 10,
      at: start + minute * 60_000,
    });
    const a = await send(`${one.url}/v1/spend`, 'POST', ev(1, 2)); // 10 spent after 2 minutes: far ahead of plan
    expect(a.body.lambda).toBeGreaterThan(lambda0);
    // Read after the plan's hour (now): the controller steps to the last tick, where 10 of 100 lags the plan.
    const state = await get(`${one.url}/v1/pacing/coupons`);
    const log = state.body.lambdaLog as Json[];
    expect(log.map((e) => e.tick)).toEqual([60, 2]);
    // ?log= is a query string (text): a count is accepted, anything else is a 400.
    expect(((await get(`${one.url}/v1/pacing/coupons?log=1`)).body.lambdaLog as Json[]).length).toBe(1);
    expect((await get(`${one.url}/v1/pacing/coupons?log=x`)).status).toBe(400);
    expect(log[1]!.lambda).toBe(a.body.lambda);
    expect(state.body.lambda as number).toBeLessThan(lambda0);
    expect(logs.text()).toMatch(/"msg":"pacing: λ = [\d.e+-]+ at tick 2/);
  });

  test('a replica losing Redis answers 503 meanwhile, recovers without a restart; no secret printed', async () => {
    const password = 'pw-0ae1f7c35b'; // this Redis's own password: it must appear in no log line or answer
    const port = await freePort();
    let redis = await startOwnRedis(port, password);
    const own = logSink();
    const svc = await startServe({
      env: { ...rt.env, redisUrl: `redis://:${password}@127.0.0.1:${port}` },
      port: 0,
      pollMs: 100,
      logStream: own.stream,
    });
    const bodies: string[] = [];
    const probe = async () => {
      const r = await fetch(`${svc.url}/v1/decisions/${[...firstArms.keys()][0]}?model=coupons`);
      bodies.push(await r.text());
      return r.status;
    };
    try {
      await expect.poll(probe, { timeout: 10_000 }).toBe(200);
      await stopProcess(redis);
      await expect.poll(probe, { timeout: 10_000 }).toBe(503);
      expect(JSON.parse(bodies.at(-1)!)).toMatchObject({ error: 'unavailable' });
      expect((await get(`${svc.url}/readyz`)).body.reasons).toContain('the budget state (Redis) is unreachable');
      redis = await startOwnRedis(port, password);
      await expect.poll(probe, { timeout: 15_000 }).toBe(200);
    } finally {
      await svc.close();
      await stopProcess(redis);
    }
    const printed = own.text() + logs.text() + bodies.join('\n');
    expect(own.text()).toMatch(/redis: connection lost, retrying/);
    for (const secret of [password, s3.credentials.secretAccessKey]) expect(printed).not.toContain(secret);
  });
});
