import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runConfigSchema } from '@bidfcl/contracts';
import { deepMerge, parseSets } from './args.js';
import { datasetSource } from './bench-dataset-source.js';

describe('bench --dataset <run config file> with --config-set', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // What bench does per seed: the source's settings, its own keys, then --config-set, parsed.
  const benchConfig = async (file: string, sets: string[]) => {
    const configSets = parseSets(sets);
    const source = await datasetSource(file, undefined, configSets);
    const { dataset } = await source.datasetFor(0, undefined as never);
    return runConfigSchema.parse(deepMerge({ ...source.baseConfig, runId: 'b', seed: 0, dataset }, configSets));
  };

  test('bidfcl.preset=paper takes effect on a file that names no preset', async () => {
    const file = join(dir, 'run.yaml');
    await writeFile(
      file,
      'runId: r\ndataset:\n  name: toy\n  splits: { rct: [./rct.csv] }\n' +
        '  columns: { arm: arm, revenue: revenue, cost: cost, features: [x1] }\n' +
        '  arms: [{ name: control, zeroCost: true }, { name: coupon }]\nbidfcl: { k: 3 }\n',
    );
    expect((await benchConfig(file, [])).bidfcl).toMatchObject({ k: 3, preset: 'teacher', lowerData: 'obs+rct' });
    expect((await benchConfig(file, ['bidfcl.preset=paper'])).bidfcl).toMatchObject({
      k: 3,
      preset: 'paper',
      lowerData: 'obs',
      teacherData: 'rct',
    });
    expect((await benchConfig(file, ['bidfcl.preset=paper', 'bidfcl.teacherData=rct+obs'])).bidfcl).toMatchObject({
      lowerData: 'obs',
      teacherData: 'rct+obs',
    });
  });
});
