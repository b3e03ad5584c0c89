import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { keys } from '@bidfcl/contracts';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { runCli } from './test-support/processes.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

describe('bidfcl report --render draws report.html again from metrics.json', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('report-render');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test("the redrawn report of a finished run is the evaluator's, byte for byte", async () => {
    const cluster = startAllRoles(rt.ctx);
    try {
      await runToCompletion(rt.ctx, tinyRunConfig('render-1', await tinySimulatedDataset(rt.ctx.store)));
    } finally {
      await cluster.close();
    }
    const htmlKey = keys.reportHtml('render-1');
    const original = Buffer.from(await rt.ctx.store.get(htmlKey));
    expect(await rt.ctx.store.deletePrefix(htmlKey)).toBe(1);
    expect((await runCli(['report', 'render-1'], rt.env)).code).toBe(1);

    const { code, stdout, stderr } = await runCli(['report', 'render-1', '--render'], rt.env);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/rendered report\.html from metrics\.json \(\d+ charts\)/);
    expect(stdout).toContain(rt.ctx.store.describe(htmlKey));
    const redrawn = Buffer.from(await rt.ctx.store.get(htmlKey));
    expect(redrawn.length).toBe(original.length);
    expect(redrawn.equals(original)).toBe(true);
  });

  test('a run without metrics.json, or with a broken one, is a failure with a clear message (exit 1)', async () => {
    const missing = await runCli(['report', 'no-such-run', '--render'], rt.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/run 'no-such-run' has no metrics\.json to render from \(.*metrics\.json\)/);
    expect(await rt.ctx.store.exists(keys.reportHtml('no-such-run'))).toBe(false);

    await rt.ctx.store.putJson(keys.reportMetrics('broken'), { runId: 'broken', methods: 'none' });
    const broken = await runCli(['report', 'broken', '--render'], rt.env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/metrics\.json: invalid run metrics:\n/);
    expect(await rt.ctx.store.exists(keys.reportHtml('broken'))).toBe(false);
  });

  test('--render without a run id is a usage error (exit 2)', async () => {
    const { code, stderr } = await runCli(['report', '--render'], rt.env);
    expect(code).toBe(2);
    expect(stderr).toContain('bidfcl report <runId> [--render] [--open]');
  });
});
