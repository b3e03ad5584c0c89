import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LocalStore } from '@bidfcl/io';
import { tempDir } from '@bidfcl/io/testing';
import { describe, expect, test } from 'vitest';
import { CliError } from '../cli-error.js';
import { defaultDataDir, findRepoRoot, requireDataFile } from './data-dir.js';
import { materializeBuiltinDataset } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('defaultDataDir', () => {
  test('is shared/data beside the repository root, found from src/ or dist/ alike', () => {
    const root = findRepoRoot(here)!;
    expect(root).toBe(path.resolve(here, '../../../..'));
    const expected = path.join(path.dirname(root), 'shared', 'data');
    expect(defaultDataDir({}, here)).toBe(expected);
    expect(defaultDataDir({}, path.join(root, 'packages/cli/dist/datasets'))).toBe(expected);
  });

  test('BIDFCL_DATA_DIR wins, resolved to an absolute path', () => {
    expect(defaultDataDir({ BIDFCL_DATA_DIR: '/some/where' }, here)).toBe('/some/where');
    expect(defaultDataDir({ BIDFCL_DATA_DIR: 'rel/dir' }, here)).toBe(path.resolve('rel/dir'));
  });

  test('outside a checkout it falls back to ../shared/data from the working directory', async () => {
    const tmp = await tempDir('datadir');
    try {
      // A package.json with another name is not the root.
      await writeFile(path.join(tmp.path, 'package.json'), JSON.stringify({ name: 'other' }));
      expect(findRepoRoot(tmp.path)).toBeUndefined();
      expect(defaultDataDir({}, tmp.path)).toBe(path.resolve('..', 'shared', 'data'));
    } finally {
      await tmp.cleanup();
    }
  });
});

describe('a missing data directory or file', () => {
  test('names the exact path and both ways to point elsewhere (exit 2)', async () => {
    const tmp = await tempDir('datadir');
    try {
      const missingDir = path.join(tmp.path, 'nope');
      expect(() => requireDataFile(missingDir, 'hillstrom.csv', 'hillstrom-hybrid')).toThrow(missingDir);
      await mkdir(path.join(tmp.path, 'data'));
      const dataDir = path.join(tmp.path, 'data');
      const store = new LocalStore(path.join(tmp.path, 'store'));
      for (const [name, file] of [
        ['hillstrom-hybrid', path.join(dataDir, 'hillstrom.csv')],
        ['lbcf-rct', path.join(dataDir, 'lbcf-rct/rct_training.csv')],
      ] as const) {
        const err = await materializeBuiltinDataset(name, { dataDir, store, seed: 0 }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CliError);
        expect((err as CliError).exitCode).toBe(2);
        expect((err as Error).message).toContain(file);
        expect((err as Error).message).toContain('BIDFCL_DATA_DIR');
        expect((err as Error).message).toContain('--data-dir');
      }
      // Nothing was written for a dataset that could not be read.
      expect(await store.list('datasets/')).toEqual([]);
    } finally {
      await tmp.cleanup();
    }
  });

  test('an unknown built-in name is a usage error listing the built-in ones', async () => {
    const err = await materializeBuiltinDataset('criteo', {
      dataDir: '/x',
      store: new LocalStore('/tmp/unused'),
      seed: 0,
    }).catch((e: unknown) => e);
    expect((err as CliError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/hillstrom-hybrid, lbcf-rct/);
  });
});
