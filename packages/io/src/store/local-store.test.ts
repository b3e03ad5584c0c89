import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../testing/temp-dir.js';
import { createStore } from './create-store.js';
import { LocalStore } from './local-store.js';
import { describeStoreContract } from './store-suite.js';

describeStoreContract('LocalStore', async () => {
  const dir = await tempDir('io-local-store');
  return { store: new LocalStore(dir.path), cleanup: dir.cleanup };
});

describe('LocalStore specifics', () => {
  it('writes through a temporary file and leaves none behind; keys map to files under the root', async () => {
    const dir = await tempDir('io-local-atomic');
    try {
      const s = new LocalStore(dir.path);
      await Promise.all(Array.from({ length: 20 }, (_, i) => s.put('same/key.bin', new Uint8Array(1000).fill(i))));
      const got = await s.get('same/key.bin');
      // Concurrent writers: the result is exactly one writer's content, never a mix.
      expect(new Set(got).size).toBe(1);
      expect(await readdir(path.join(dir.path, '.bidfcl-tmp'))).toEqual([]);
      expect((await stat(path.join(dir.path, 'same', 'key.bin'))).size).toBe(1000);
      expect(s.describe('same/key.bin')).toBe(path.join(dir.path, 'same', 'key.bin'));
      expect(await s.list('')).toEqual(['same/key.bin']);
      await expect(s.put('.bidfcl-tmp/x', 'x')).rejects.toThrow(/reserved/);
      // deletePrefix removes the directories it emptied.
      await s.deletePrefix('same/');
      expect(await readdir(dir.path)).toEqual(['.bidfcl-tmp']);
    } finally {
      await dir.cleanup();
    }
  });

  it('listDirs finds names whose keys are all deeper, and skips directories that hold no file', async () => {
    const dir = await tempDir('io-local-dirs');
    try {
      const s = new LocalStore(dir.path);
      await s.put('runs/deep/a/b/c.json', '{}');
      await s.put('runs/flat/run.json', '{}');
      // Left by a crashed writer or by hand: a directory with only empty directories in it.
      await mkdir(path.join(dir.path, 'runs', 'empty', 'sub'), { recursive: true });
      expect(await s.listDirs('runs/')).toEqual(['deep', 'flat']);
      expect(await s.listDirs('')).toEqual(['runs']);
    } finally {
      await dir.cleanup();
    }
  });

  it('createStore opens paths and file:// URLs as LocalStore', async () => {
    const dir = await tempDir('io-create-store');
    try {
      const a = createStore(dir.path);
      const b = createStore(pathToFileURL(dir.path).href);
      expect(a).toBeInstanceOf(LocalStore);
      expect(b).toBeInstanceOf(LocalStore);
      await a.put('k.txt', 'v');
      expect(await b.getText('k.txt')).toBe('v');
    } finally {
      await dir.cleanup();
    }
  });
});
