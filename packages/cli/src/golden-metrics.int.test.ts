import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startAllRoles } from './cluster.js';
import { runToCompletion } from './local-run.js';
import { stripTimings, tinyRunConfig, tinySimulatedDataset } from './test-support/fixtures.js';

// A fixed-seed run's metrics.json must not change when code is moved or restructured: refactors are
// checked against metrics recorded before them. Regenerate only for a change meant to alter results
// (BIDFCL_UPDATE_GOLDEN=1), and say why in the commit.
const here = dirname(fileURLToPath(import.meta.url));
const goldenDir = join(here, '..', 'src', 'test-support', 'golden');
const update = process.env.BIDFCL_UPDATE_GOLDEN === '1';

function compareWithGolden(name: string, metrics: unknown) {
  const file = join(goldenDir, `${name}.json`);
  const actual = JSON.parse(JSON.stringify(stripTimings(metrics as Parameters<typeof stripTimings>[0])));
  if (update || !existsSync(file)) {
    if (!update) throw new Error(`golden file ${file} is missing: run with BIDFCL_UPDATE_GOLDEN=1 to record it`);
    mkdirSync(goldenDir, { recursive: true });
    writeFileSync(file, JSON.stringify(actual, null, 1) + '\n');
  }
  expect(actual).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}

describe('fixed-seed metrics equal the recorded ones', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('golden');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test('every trainer family on marketing-8 (two-stage, DFCL, Bi-DFCL implicit/explicit/fixed gates)', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'golden-m8');
    const config = tinyRunConfig('golden-m8', dataset, {
      methods: [
        'tsm-rct',
        'tsm-obs',
        'tsm-both',
        'tsm-ips',
        'dfcl-dpl',
        'dfcl-pifd',
        'bidfcl-ppl',
        'bidfcl-pifd-explicit',
        'bidfcl-fixgate',
        'oracle',
        'random',
      ],
      training: { epochs: 2, batchSize: 256, hidden: [16, 8], patience: 5 },
      bidfcl: { k: 4, nCg: 5, warmStartFraction: 0.5, rctBatchSize: 512, teacher: { epochs: 2 } },
    });
    const cluster = startAllRoles(rt.ctx);
    try {
      const { metrics } = await runToCompletion(rt.ctx, config);
      compareWithGolden('marketing-8-tiny', metrics);
    } finally {
      await cluster.close();
    }
  });

  test('two-arm metrics (AUCC, Qini) on binary-2', async () => {
    const dataset = await tinySimulatedDataset(rt.ctx.store, 'golden-b2', {}, 'binary-2');
    const config = tinyRunConfig('golden-b2', dataset, {
      methods: ['tsm-rct', 'tsm-both', 'dfcl-ppl', 'oracle', 'random'],
    });
    const cluster = startAllRoles(rt.ctx);
    try {
      const { metrics } = await runToCompletion(rt.ctx, config);
      compareWithGolden('binary-2-tiny', metrics);
    } finally {
      await cluster.close();
    }
  });
});
