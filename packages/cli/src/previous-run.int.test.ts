import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// Issue 12 §4: the report shows a scheduled run beside the same schedule's previous run.
describe("a scheduled run's metrics carry the previous firing's means", () => {
  let rt: TestRuntime;
  let cluster: ReturnType<typeof startAllRoles>;
  beforeAll(async () => {
    rt = await createTestRuntime('previous-run');
    cluster = startAllRoles(rt.ctx);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await rt?.cleanup();
  });

  test('the second firing names the first; the first and an unscheduled run name none', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store);
    const config = (runId: string) =>
      tinyRunConfig(runId, dataset, { methods: ['tsm-rct', 'random'], training: { epochs: 1, hidden: [8] } });
    const first = await runToCompletion(rt.ctx, config('nightly-202601010000'));
    const second = await runToCompletion(rt.ctx, config('nightly-202601020000'));
    const adhoc = await runToCompletion(rt.ctx, config('nightly'));
    expect(first.metrics.previousRun).toBeUndefined();
    expect(adhoc.metrics.previousRun).toBeUndefined();
    expect(second.metrics.previousRun).toEqual({
      runId: 'nightly-202601010000',
      createdAt: first.metrics.createdAt,
      methods: first.metrics.methods.map(({ method, mean }) => ({ method, mean })),
    });
  }, 120_000);
});
