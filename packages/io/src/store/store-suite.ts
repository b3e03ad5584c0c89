/**
 * The behaviour every ArtefactStore must have, as one vitest suite that each store's test file runs
 * against a real backend (a temp directory, an s3rver child process). Test-only module.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, isTransientStoreError, type ArtefactStore } from './artefact-store.js';
import { getFloat32Array, putFloat32Array } from './float32-array.js';

export interface StoreFixture {
  store: ArtefactStore;
  cleanup(): Promise<void>;
}

async function inBatches<T>(items: T[], size: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export function describeStoreContract(name: string, open: () => Promise<StoreFixture>): void {
  describe(`ArtefactStore contract: ${name}`, () => {
    let fx: StoreFixture;
    let s: ArtefactStore;
    beforeAll(async () => {
      fx = await open();
      s = fx.store;
    });
    afterAll(async () => {
      await fx?.cleanup();
    });

    it('round-trips bytes, text and JSON, and overwrites', async () => {
      const all = new Uint8Array(256).map((_, i) => i);
      await s.put('rt/bytes.bin', all);
      expect(Array.from(await s.get('rt/bytes.bin'))).toEqual(Array.from(all));
      // A view into a larger buffer must write only its own bytes.
      await s.put('rt/view.bin', all.subarray(10, 20));
      expect(Array.from(await s.get('rt/view.bin'))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
      await s.put('rt/text.txt', 'héllo ✓');
      expect(await s.getText('rt/text.txt')).toBe('héllo ✓');
      await s.putJson('rt/v.json', { a: [1, 2.5], b: 'x' });
      expect(await s.getJson('rt/v.json')).toEqual({ a: [1, 2.5], b: 'x' });
      await s.put('rt/text.txt', 'second');
      expect(await s.getText('rt/text.txt')).toBe('second');
      await s.put('rt/empty', new Uint8Array(0));
      expect((await s.get('rt/empty')).byteLength).toBe(0);
    });

    it('round-trips a float32 array exactly, a view writing only its own values', async () => {
      const values = Float32Array.from([0, -0, 1.5, -3.25e-8, 3.4e38, Number.NaN, Infinity, 1 / 3]);
      await putFloat32Array(s, 'f32/all.bin', values);
      const back = await getFloat32Array(s, 'f32/all.bin', values.length);
      expect(Buffer.from(back.buffer).equals(Buffer.from(values.buffer))).toBe(true);
      await putFloat32Array(s, 'f32/view.bin', values.subarray(2, 5));
      const view = await getFloat32Array(s, 'f32/view.bin');
      expect(Array.from(view)).toEqual([1.5, Math.fround(-3.25e-8), Math.fround(3.4e38)]);
      await expect(getFloat32Array(s, 'f32/view.bin', 4)).rejects.toThrow(/holds 3 float32 values, expected 4/);
      await s.put('f32/odd.bin', new Uint8Array(6));
      await expect(getFloat32Array(s, 'f32/odd.bin')).rejects.toThrow(/6 bytes, not a float32 array/);
      await expect(getFloat32Array(s, 'f32/none.bin')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('reports missing keys with NotFoundError naming key and store', async () => {
      expect(await s.exists('nothing/here.json')).toBe(false);
      for (const read of [
        () => s.get('nothing/here.json'),
        () => s.getText('nothing/here.json'),
        () => s.getJson('nothing/here.json'),
      ]) {
        const err = await read().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(NotFoundError);
        expect((err as Error).message).toContain('nothing/here.json');
        expect((err as Error).message).toContain(s.describe('nothing/here.json'));
        expect(isTransientStoreError(err)).toBe(false);
      }
      await s.put('dir/child.txt', 'x');
      expect(await s.exists('dir')).toBe(false);
      expect(await s.exists('dir/child.txt')).toBe(true);
      await expect(s.get('dir')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('rejects keys that could escape the store', async () => {
      for (const bad of ['', '../x', 'a/../../x', '/etc/passwd', 'a\\b', 'a//b', 'a/', './a', 'C:/x']) {
        await expect(s.put(bad, 'x'), `put '${bad}'`).rejects.toThrow(/invalid artefact key/);
        await expect(s.get(bad), `get '${bad}'`).rejects.toThrow(/invalid artefact key/);
        await expect(s.exists(bad), `exists '${bad}'`).rejects.toThrow(/invalid artefact key/);
      }
      await expect(s.list('../')).rejects.toThrow(/invalid artefact prefix/);
      await expect(s.deletePrefix('/abs')).rejects.toThrow(/invalid artefact prefix/);
    });

    it('lists by plain string prefix, sorted', async () => {
      await Promise.all(['ls/b/2', 'ls/a/1', 'ls/ab', 'ls/a/0/z', 'lsx'].map((k) => s.put(k, k)));
      expect(await s.list('ls/a')).toEqual(['ls/a/0/z', 'ls/a/1', 'ls/ab']);
      expect(await s.list('ls/a/')).toEqual(['ls/a/0/z', 'ls/a/1']);
      expect(await s.list('ls/')).toEqual(['ls/a/0/z', 'ls/a/1', 'ls/ab', 'ls/b/2']);
      expect(await s.list('ls')).toEqual(['ls/a/0/z', 'ls/a/1', 'ls/ab', 'ls/b/2', 'lsx']);
      expect(await s.list('none/')).toEqual([]);
      expect(await s.list('')).toEqual(expect.arrayContaining(['ls/a/1', 'lsx', 'rt/v.json']));
    });

    it('lists the names one level below a prefix, only those that still hold a key', async () => {
      // Every name holds a key directly below it: s3rver 3.7 misses a common prefix whose keys are all deeper
      // (it prunes its directory walk there); S3 and MinIO do not. LocalStore's test covers the deeper case.
      await Promise.all(
        ['dirs/r2/run.json', 'dirs/r1/run.json', 'dirs/r1/stages/a.json', 'dirs/file', 'dirs/r10/x'].map((k) =>
          s.put(k, k),
        ),
      );
      expect(await s.listDirs('dirs/')).toEqual(['r1', 'r10', 'r2']);
      expect(await s.listDirs('dirs/r1/')).toEqual(['stages']);
      expect(await s.listDirs('dirs/r1/stages/')).toEqual([]);
      expect(await s.listDirs('none/')).toEqual([]);
      await s.deletePrefix('dirs/r2/');
      expect(await s.listDirs('dirs/')).toEqual(['r1', 'r10']);
      const top = await s.listDirs('');
      expect(top).toContain('dirs');
      expect(top.some((n) => n.startsWith('.'))).toBe(false);
      await expect(s.listDirs('dirs')).rejects.toThrow(/needs '' or a prefix ending in '\/'/);
      await expect(s.listDirs('../')).rejects.toThrow(/invalid artefact prefix/);
    });

    it('lists more than one page (1100 keys) and deletes by prefix', async () => {
      const keys = Array.from({ length: 1100 }, (_, i) => `many/${String(i).padStart(4, '0')}`);
      await inBatches(keys, 100, (k) => s.put(k, 'x'));
      await s.put('many-other/keep', 'y');
      const listed = await s.list('many/');
      expect(listed.length).toBe(1100);
      expect(listed).toEqual(keys);
      expect(await s.deletePrefix('many/')).toBe(1100);
      expect(await s.list('many/')).toEqual([]);
      expect(await s.exists('many-other/keep')).toBe(true);
      expect(await s.deletePrefix('many/')).toBe(0);
    });

    it('stores an object larger than 8 MB intact', async () => {
      const big = randomBytes(9 * 1024 * 1024 + 123);
      await s.put('big/blob.bin', big);
      const back = await s.get('big/blob.bin');
      expect(back.byteLength).toBe(big.byteLength);
      expect(Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.byteLength), big)).toBe(0);
    });

    it('reads byte ranges of an object, and reports a missing one with NotFoundError', async () => {
      const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
      await s.put('ranges/blob.bin', bytes);
      const r = await s.openRange('ranges/blob.bin');
      try {
        expect(r.size).toBe(1000);
        expect(await r.read(10, 20)).toEqual(bytes.subarray(10, 20));
        expect(await r.read(990, 2000)).toEqual(bytes.subarray(990));
        expect((await r.read(500, 500)).length).toBe(0);
      } finally {
        await r.close();
      }
      await expect(s.openRange('ranges/none.bin')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('describes locations with the key', () => {
      expect(s.describe('runs/r1/run.json')).toMatch(/runs[/\\]r1[/\\]run\.json$/);
      expect(typeof s.describe()).toBe('string');
    });
  });
}
