import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isTransientStoreError, NotFoundError, StoreError, type RangeReader } from './artefact-store.js';
import { assertDirPrefix, assertValidKey, assertValidPrefix, compareKeys } from './store-key.js';
import { StoreBase } from './store-base.js';

/** Temporary files live here until renamed into place; list() never reports them. */
const TMP_DIR = '.bidfcl-tmp';

function wrap(err: unknown, op: string, where: string): Error {
  if (err instanceof NotFoundError || err instanceof StoreError) return err;
  const e = err as NodeJS.ErrnoException;
  return new StoreError(
    `${op} ${where} failed: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '),
    isTransientStoreError(err),
    { cause: err },
  );
}

/**
 * An artefact store in a local directory (development, CLI runs without S3, tests). Writes are atomic
 * (temporary file, then rename), so a reader sees the old object or the new one, never a partial one.
 */
export class LocalStore extends StoreBase {
  readonly root: string;

  constructor(rootDir: string) {
    super();
    this.root = path.resolve(rootDir);
  }

  private file(key: string): string {
    assertValidKey(key);
    if (key === TMP_DIR || key.startsWith(TMP_DIR + '/'))
      throw new Error(`invalid artefact key '${key}': '${TMP_DIR}/' is reserved for temporary files`);
    return path.join(this.root, ...key.split('/'));
  }

  describe(key?: string): string {
    return key === undefined ? this.root : path.join(this.root, ...key.split('/'));
  }

  async put(key: string, body: Uint8Array | string): Promise<void> {
    const target = this.file(key);
    const tmpDir = path.join(this.root, TMP_DIR);
    const tmp = path.join(tmpDir, `${randomUUID()}.tmp`);
    try {
      await mkdir(path.dirname(target), { recursive: true });
      await mkdir(tmpDir, { recursive: true });
      await writeFile(tmp, body);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw wrap(err, 'writing', target);
    }
  }

  async get(key: string): Promise<Uint8Array> {
    const file = this.file(key);
    try {
      return await readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new NotFoundError(key, file);
      throw wrap(err, 'reading', file);
    }
  }

  async openRange(key: string): Promise<RangeReader> {
    return openFileRange(this.file(key), key);
  }

  async exists(key: string): Promise<boolean> {
    const file = this.file(key);
    try {
      return (await stat(file)).isFile();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      throw wrap(err, 'checking', file);
    }
  }

  async list(prefix: string): Promise<string[]> {
    assertValidPrefix(prefix);
    // Walk only the deepest directory the prefix names; the rest of the prefix filters file names.
    const dirPart = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const out: string[] = [];
    const walk = async (rel: string): Promise<void> => {
      for (const e of await this.readDir(this.dirOf(rel))) {
        const key = rel + e.name;
        if (rel === '' && e.name === TMP_DIR) continue;
        if (e.isDirectory()) {
          // Descend only into directories that can still hold matching keys.
          const sub = key + '/';
          if (sub.startsWith(prefix) || prefix.startsWith(sub)) await walk(sub);
        } else if (e.isFile() && key.startsWith(prefix)) out.push(key);
      }
    };
    await walk(dirPart);
    return out.sort(compareKeys);
  }

  async listDirs(prefix: string): Promise<string[]> {
    assertDirPrefix(prefix);
    const dir = this.dirOf(prefix);
    const entries = await this.readDir(dir);
    const names = entries.filter((e) => e.isDirectory() && !(prefix === '' && e.name === TMP_DIR)).map((e) => e.name);
    // S3 has no empty "directories": report only those that still hold a file.
    const holding = await Promise.all(names.map((n) => this.holdsAFile(path.join(dir, n))));
    return names.filter((_, i) => holding[i]).sort(compareKeys);
  }

  /** The directory a '/'-ended prefix (or '') names. */
  private dirOf(prefix: string): string {
    return path.join(this.root, ...prefix.split('/').filter(Boolean));
  }

  /** A directory's entries; none when it does not exist. */
  private async readDir(dir: string) {
    try {
      return await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return [];
      throw wrap(err, 'listing', dir);
    }
  }

  private async holdsAFile(dir: string): Promise<boolean> {
    const entries = await this.readDir(dir);
    if (entries.some((e) => e.isFile())) return true;
    for (const e of entries) if (e.isDirectory() && (await this.holdsAFile(path.join(dir, e.name)))) return true;
    return false;
  }

  async deletePrefix(prefix: string): Promise<number> {
    const keys = await this.list(prefix);
    const dirs = new Set<string>();
    for (let i = 0; i < keys.length; i += 64) {
      await Promise.all(
        keys.slice(i, i + 64).map(async (key) => {
          await rm(this.file(key), { force: true }).catch((err) => {
            throw wrap(err, 'deleting', this.describe(key));
          });
          for (let k = key.lastIndexOf('/'); k > 0; k = key.lastIndexOf('/', k - 1)) dirs.add(key.slice(0, k));
        }),
      );
    }
    // Remove directories the deletion emptied (deepest first); a non-empty one simply stays.
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await rmdir(this.describe(d)).catch(() => undefined);
    return keys.length;
  }
}

/** A local file read by byte ranges (LocalStore.openRange, and local users tables). */
export async function openFileRange(file: string, key = file): Promise<RangeReader> {
  let handle;
  try {
    handle = await open(file, 'r');
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (err) {
    await handle?.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new NotFoundError(key, file);
    throw wrap(err, 'reading', file);
  }
  const h = handle;
  const size = (await h.stat()).size;
  return {
    size,
    async read(start, end) {
      const out = new Uint8Array(Math.max(0, Math.min(end, size) - start));
      try {
        for (let at = 0; at < out.length;) {
          const { bytesRead } = await h.read(out, at, out.length - at, start + at);
          if (bytesRead === 0) throw new Error(`unexpected end of file at byte ${start + at}`);
          at += bytesRead;
        }
      } catch (err) {
        throw wrap(err, 'reading', file);
      }
      return out;
    },
    close: () => h.close(),
  };
}
