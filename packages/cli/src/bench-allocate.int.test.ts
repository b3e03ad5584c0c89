import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeEnv } from '@bidfcl/runtime';
import { runCli } from './test-support/processes.js';

// A correctness check of `bidfcl bench-allocate` at a tiny size: the JSON has its fields, and the sharded path
// finds the same λ* and the same arms whatever the shard count. No timing is asserted.
describe('bidfcl bench-allocate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-allocate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes every configuration, with one λ* and one arms hash across shard counts', async () => {
    const out = join(dir, 'b.json');
    const args = ['bench-allocate', '--users', '2000', '--arms', '4', '--shards', '1,3', '--seed', '5', '--json', out];
    const { code, stdout, stderr } = await runCli(args, loadRuntimeEnv({}));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('allocateShards, 3 shards');
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json).toMatchObject({ tool: 'bidfcl bench-allocate', users: 2000, arms: 4, budgetPerUser: 0.6, seed: 5 });
    expect(json.results.map((r: { shards: unknown }) => r.shards)).toEqual(['single', 1, 3]);
    for (const r of json.results) {
      for (const field of ['lambda', 'armsHash', 'gap', 'raw', 'solve', 'rawPasses', 'peakRss'])
        expect(r).toHaveProperty(field);
      expect(r.lambda).toBeGreaterThan(0); // the budget binds
      expect(r.gap).toBeGreaterThanOrEqual(0);
      expect(r.peakRss).toBeGreaterThan(0);
    }
    const [, one, three] = json.results;
    expect(three.lambda).toBe(one.lambda);
    expect(three.armsHash).toBe(one.armsHash);
    expect(one.steps).toHaveProperty('scan');
  });

  it('skips the single-process path with --no-single, and another seed moves λ*', async () => {
    const out = join(dir, 'c.json');
    const args = ['bench-allocate', '--users', '2000', '--arms', '4', '--shards', '2', '--no-single', '--json', out];
    expect((await runCli(args, loadRuntimeEnv({}))).code).toBe(0);
    const json = JSON.parse(await readFile(out, 'utf8'));
    expect(json.results.map((r: { shards: unknown }) => r.shards)).toEqual([2]);
    const seeded = JSON.parse(await readFile(join(dir, 'b.json'), 'utf8'));
    expect(json.results[0].lambda).not.toBe(seeded.results[1].lambda);
  });
});
