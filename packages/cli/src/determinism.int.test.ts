import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ROLE_NAMES } from '@bidfcl/contracts';
import { createRuntimeContext } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';
import { startWorkerProcess } from './test-support/processes.js';

describe('determinism across process layouts', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('det');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test(
    'same config and seed give identical metrics in-process ' + 'and with one `bidfcl worker` process per role',
    async () => {
      const dataset = await tinySimulatedDataset(rt.ctx.store);
      const methods = ['tsm-rct', 'tsm-both', 'oracle', 'random'] as const;

      const cluster = startAllRoles(rt.ctx);
      let inProcess;
      try {
        inProcess = await runToCompletion(rt.ctx, tinyRunConfig('det-a', dataset, { methods: [...methods] }));
      } finally {
        await cluster.close();
      }

      // Second layout: separate OS processes on their own queue prefix, same store.
      const env = { ...rt.env, prefix: `${rt.env.prefix}-procs` };
      const procs = await Promise.all(ROLE_NAMES.map((role) => startWorkerProcess(role, env)));
      const ctx = createRuntimeContext(env);
      let separate;
      try {
        separate = await runToCompletion(ctx, tinyRunConfig('det-b', dataset, { methods: [...methods] }));
      } finally {
        await Promise.all(procs.map((p) => p.stop()));
        await ctx.close();
        const { deletePrefix } = await import('@bidfcl/runtime/testing');
        await deletePrefix(env.redisUrl, env.prefix);
      }
      expect(stripTimings(separate.metrics)).toEqual(stripTimings(inProcess.metrics));
      const trained = inProcess.metrics.methods.find((m) => m.method === 'tsm-both')!;
      expect(trained.budgets.length).toBe(2);
      expect(Number.isFinite(trained.mean.eom!)).toBe(true);
    },
  );
});
