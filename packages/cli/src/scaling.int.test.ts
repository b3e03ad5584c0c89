import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runConfigSchema } from '@bidfcl/contracts';
import { startRun, subscribeRunEvents } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { startRole } from './cluster.js';
import { csvDataset, csvRows } from './test-support/fixtures.js';

describe('horizontal scaling', () => {
  let rt: TestRuntime;
  beforeAll(async () => {
    rt = await createTestRuntime('scale');
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test("two feature-builder workers share one run's parts", async () => {
    const files: string[] = [];
    for (let p = 0; p < 8; p++) {
      const f = path.join(rt.storeDir, `rct-${p}.csv`);
      await writeFile(f, csvRows(3000, p + 1));
      files.push(f);
    }
    const config = runConfigSchema.parse({
      runId: 'scale-1',
      dataset: csvDataset({ rct: files }),
      methods: ['random'],
    });
    const seen: Record<string, string[]> = { a: [], b: [] };
    const a = startRole(rt.ctx, 'feature-builder', 1, {
      onJobEnd: (e) => e.status === 'completed' && seen.a!.push(e.jobId),
    });
    const b = startRole(rt.ctx, 'feature-builder', 1, {
      onJobEnd: (e) => e.status === 'completed' && seen.b!.push(e.jobId),
    });
    try {
      // Wait for the feature stage only: the finalize job's completion is the event of interest.
      let finalizedNow!: () => void;
      const finalized = new Promise<void>((r) => (finalizedNow = r));
      const unsubscribe = await subscribeRunEvents(rt.ctx.redis, rt.env.prefix, 'scale-1', (e) => {
        if (e.type === 'stage' && e.stage === 'features.finalize' && e.status === 'succeeded') finalizedNow();
      });
      await startRun(rt.ctx, config);
      await finalized;
      await unsubscribe();
    } finally {
      await a.close();
      await b.close();
    }
    const parts = [...seen.a!, ...seen.b!].filter((id) => id.includes('.features.rct.'));
    expect(new Set(parts).size).toBe(8);
    expect(parts.length).toBe(8);
    expect(seen.a!.some((id) => id.includes('.features.rct.'))).toBe(true);
    expect(seen.b!.some((id) => id.includes('.features.rct.'))).toBe(true);
  });
});
