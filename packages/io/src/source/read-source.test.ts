import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../store/artefact-store.js';
import { LocalStore } from '../store/local-store.js';
import { tempDir } from '../testing/temp-dir.js';
import { detectFormat } from '../table/detect-format.js';
import { readSource } from './read-source.js';

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
});
