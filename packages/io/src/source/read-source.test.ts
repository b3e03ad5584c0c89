import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../store/artefact-store.js';
import { LocalStore } from '../store/local-store.js';
import { tempDir } from '../testing/temp-dir.js';
import { detectFormat } from '../table/detect-format.js';
import { readSource } from './read-source.js';
import { InputRefusedError } from './source-access.js';

describe('readSource', () => {
  it('reads store:, absolute and cwd-relative paths, with format from the extension', async () => {
    const dir = await tempDir('io-read-source');
    try {
      const store = new LocalStore(path.join(dir.path, 'store'));
      await store.put('datasets/d/part.csv', 'a,b\n1,2\n');
      const viaStore = await readSource('store:datasets/d/part.csv', store);
      expect(new TextDecoder().decode(viaStore.bytes)).toBe('a,b\n1,2\n');
      expect(viaStore.format).toBe('csv');
      expect(viaStore.what).toBe(store.describe('datasets/d/part.csv'));

      const file = path.join(dir.path, 'x.parquet');
      await writeFile(file, new Uint8Array([1, 2, 3]));
      const abs = await readSource(file, store);
      expect(Array.from(abs.bytes)).toEqual([1, 2, 3]);
      expect(abs.format).toBe('parquet');
      expect(abs.what).toBe(file);
      const rel = await readSource(path.relative(process.cwd(), file), store);
      expect(rel.what).toBe(file);

      const missing = await readSource(path.join(dir.path, 'nope.csv'), store).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as Error).message).toContain('nope.csv');
      await expect(readSource('store:datasets/none.csv', store)).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await dir.cleanup();
    }
  });

  it('detects formats by extension only', () => {
    expect(detectFormat('s3://b/k/part-00000.PARQUET')).toBe('parquet');
    expect(detectFormat('a.pq')).toBe('parquet');
    expect(detectFormat('/d/x.csv')).toBe('csv');
    expect(detectFormat('/d/x.tsv')).toBeUndefined();
    expect(detectFormat('/d/csv')).toBeUndefined();
  });

  it('reads local files only under localRoots: no way out by .., a symlink, or a sibling named alike', async () => {
    const dir = await tempDir('io-read-roots');
    try {
      const store = new LocalStore(path.join(dir.path, 'store'));
      const root = path.join(dir.path, 'data');
      await mkdir(path.join(root, 'in'), { recursive: true });
      await mkdir(path.join(dir.path, 'data-secret'));
      await writeFile(path.join(root, 'in', 'ok.csv'), 'a\n1\n');
      await writeFile(path.join(dir.path, 'secret.csv'), 'password\n');
      await writeFile(path.join(dir.path, 'data-secret', 'x.csv'), 'password\n');
      await symlink(path.join(dir.path, 'secret.csv'), path.join(root, 'in', 'link.csv'));
      const access = { localRoots: [root] };
      expect((await readSource(path.join(root, 'in', 'ok.csv'), store, access)).bytes.byteLength).toBe(4);
      for (const bad of [
        path.join(dir.path, 'secret.csv'),
        path.join(root, '..', 'secret.csv'),
        path.join(root, 'in', 'link.csv'),
        path.join(dir.path, 'data-secret', 'x.csv'),
        `file://${path.join(dir.path, 'secret.csv')}`,
      ]) {
        const err = await readSource(bad, store, access).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err, bad).toBeInstanceOf(InputRefusedError);
        expect((err as Error).message).toContain(`outside the directories this worker may read`);
        expect((err as Error).message).not.toContain('password');
      }
      // A missing file under a root is missing; one outside is refused without saying whether it exists.
      await expect(readSource(path.join(root, 'nope.csv'), store, access)).rejects.toBeInstanceOf(NotFoundError);
      await expect(readSource(path.join(dir.path, 'nope.csv'), store, access)).rejects.toBeInstanceOf(
        InputRefusedError,
      );
    } finally {
      await dir.cleanup();
    }
  });

  it('refuses a local or store: input above maxBytes, naming it and the limit', async () => {
    const dir = await tempDir('io-read-size');
    try {
      const store = new LocalStore(path.join(dir.path, 'store'));
      const file = path.join(dir.path, 'big.csv');
      await writeFile(file, 'x'.repeat(1000));
      await store.put('datasets/big.csv', 'x'.repeat(1000));
      await expect(readSource(file, store, { maxBytes: 999 })).rejects.toThrow(
        `${file} is 1000 bytes, above the largest input this worker reads (BIDFCL_MAX_INPUT_BYTES=999)`,
      );
      await expect(readSource('store:datasets/big.csv', store, { maxBytes: 999 })).rejects.toBeInstanceOf(
        InputRefusedError,
      );
      expect((await readSource(file, store, { maxBytes: 1000 })).bytes.byteLength).toBe(1000);
    } finally {
      await dir.cleanup();
    }
  });
});
