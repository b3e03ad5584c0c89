import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys, modelVersionSchema } from '@bidfcl/contracts';
import {
  listVersions,
  promoteModel,
  readPointer,
  readVersion,
  versionCounterKey,
  type PromoteRequest,
} from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { runCli } from './test-support/processes.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// Concurrent promotes of one model, from separate processes, against a reader polling the pointer. On the local
// store (a write is a rename, so one object is never seen half-written): what is checked here is the registry's
// own ordering — weights, then the version, then the pointer — and the version numbers.
describe('concurrent promotes of one model', () => {
  let rt: TestRuntime;
  const req = (model: string): PromoteRequest => ({
    model,
    runId: 'race-1',
    method: 'tsm-rct',
    by: { via: 'cli', user: 'test' },
  });

  beforeAll(async () => {
    rt = await createTestRuntime('models-race');
    const cluster = startAllRoles(rt.ctx);
    try {
      const dataset = await tinySimulatedDataset(rt.ctx.store);
      await runToCompletion(rt.ctx, tinyRunConfig('race-1', dataset, { methods: ['tsm-rct'] }));
    } finally {
      await cluster.close();
    }
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('get distinct versions, and a reader never finds the pointer naming a missing or partial version', async () => {
    const n = 5;
    const promotes = Array.from({ length: n }, () =>
      runCli(['models', 'promote', 'race-1', 'tsm-rct', '--name', 'race'], rt.env),
    );
    let finished = false;
    const all = Promise.all(promotes).finally(() => (finished = true));
    const seen = new Set<number>();
    let reads = 0;
    // Polls as fast as the store answers until every promote has exited: each pointer it reads must name a
    // version that parses whole and whose weights are there.
    try {
      while (!finished) {
        const p = await readPointer(rt.ctx.store, 'race');
        if (!p) continue;
        const v = modelVersionSchema.parse(await rt.ctx.store.getJson(keys.modelVersion('race', p.version)));
        expect(await rt.ctx.store.exists(`${v.weights}model.json`)).toBe(true);
        expect(await rt.ctx.store.exists(`${v.weights}weights.bin`)).toBe(true);
        seen.add(p.version);
        reads += 1;
      }
    } finally {
      await all; // a failed read must not leave promotes writing into a store being cleaned up
    }
    const results = await all;
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const numbers = results.map((r) => Number(/version (\d+)/.exec(r.stdout)?.[1])).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5]);
    expect(await listVersions(rt.ctx.store, 'race')).toEqual([1, 2, 3, 4, 5]);
    expect(reads).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(0);

    // Every promote moved the pointer exactly once, each from the version the move before it left current.
    const p = (await readPointer(rt.ctx.store, 'race'))!;
    expect(p.moves.map((m) => m.to).sort()).toEqual([1, 2, 3, 4, 5]);
    p.moves.forEach((m, i) => expect(m.from).toBe(i === 0 ? undefined : p.moves[i - 1]!.to));
    expect(p.previous).toEqual(p.moves.slice(0, -1).map((m) => m.to));
    expect(p.version).toBe(p.moves.at(-1)!.to);
  });

  test('a lost or lagging Redis counter never reuses a stored version number', async () => {
    const key = versionCounterKey(rt.env.prefix, 'race');
    const v3 = await readVersion(rt.ctx.store, 'race', 3);
    await rt.ctx.redis.del(key); // a new Redis, or a flushed prefix
    expect((await promoteModel(rt.ctx, req('race'))).version).toBe(6);
    await rt.ctx.redis.set(key, '2'); // behind the store
    expect((await promoteModel(rt.ctx, req('race'))).version).toBe(7);
    expect(await readVersion(rt.ctx.store, 'race', 3)).toEqual(v3);
    expect(await listVersions(rt.ctx.store, 'race')).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test("'once' (a retried deploy step) reuses the version this run and method made", async () => {
    const first = await promoteModel(rt.ctx, { ...req('retry'), once: true });
    const again = await promoteModel(rt.ctx, { ...req('retry'), once: true });
    expect(again).toEqual(first);
    expect(await listVersions(rt.ctx.store, 'retry')).toEqual([1]);
    expect((await readPointer(rt.ctx.store, 'retry'))!.moves).toHaveLength(1);
  });
});
