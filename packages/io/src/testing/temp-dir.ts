import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir; `cleanup()` removes it and everything in it. */
export async function tempDir(prefix: string): Promise<{ path: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), `${prefix.replace(/[^A-Za-z0-9._-]/g, '_')}-`));
  return { path: dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
