import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';
import { runCli } from './test-support/processes.js';

// Issue 12 §6: `run --wait` ended without the metrics table the demo prints, and a stage's progress could print
// after its ✓.
describe('bidfcl run --wait', () => {
  let rt: TestRuntime;
  let cluster: ReturnType<typeof startAllRoles>;
  beforeAll(async () => {
    rt = await createTestRuntime('run-wait');
    cluster = startAllRoles(rt.ctx);
  }, 60_000);
  afterAll(async () => {
    await cluster?.close();
    await rt?.cleanup();
  });

  test("ends with the demo's method × budget table; no stage's progress after its ✓", async () => {
    const config = tinyRunConfig('wait-1', await tinySimulatedDataset(rt.ctx.store), {
      methods: ['tsm-rct', 'oracle'],
      training: { epochs: 3, batchSize: 256, hidden: [8], patience: 3 },
    });
    const file = join(rt.storeDir, 'wait-1.json');
    await writeFile(file, JSON.stringify(config));
    const r = await runCli(['run', '--config', file, '--wait'], rt.env);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const header = lines.findIndex((l) => /^method\s+budget\s+EOM \(IPW\)\s+true value/.test(l));
    expect(header).toBeGreaterThan(0);
    for (const method of ['tsm-rct', 'oracle'])
      for (const budget of ['50%', '100%'])
        expect(lines.slice(header).some((l) => new RegExp(`^${method}\\s+${budget}\\s+\\d`).test(l))).toBe(true);
    // Training progress was shown, each line before its stage's ✓, with an ETA from the second epoch on.
    const done = lines.findIndex((l) => l.startsWith('  ✓ train.tsm-rct'));
    const progress = lines.flatMap((l, k) => (l.startsWith('    train.tsm-rct: epoch') ? [k] : []));
    expect(done).toBeGreaterThan(0);
    expect(progress.every((k) => k < done)).toBe(true);
    expect(lines.some((l) => /^ {4}train\.tsm-rct: epoch [23]\/3, .*, ETA \d+ s$/.test(l))).toBe(true);
  }, 120_000);
});
