import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { S3Credentials } from '../store/artefact-store.js';

/**
 * How inputs named by users (dataset files, users tables) may be read: S3 settings, the local directories a
 * worker may read under, and the largest file it reads into memory. A cluster worker runs other people's
 * configs: without roots, a config could name any file the worker's account can read.
 */
export interface SourceAccess {
  s3?: S3Credentials;
  /** Absolute directories; local paths outside every one of them (symlinks followed) are refused. Unset: any. */
  localRoots?: readonly string[];
  /** Largest input file in bytes (checked before reading where the size is known). Unset: no limit. */
  maxBytes?: number;
}

/** An input the worker's access policy does not allow (outside the roots, too large): no retry will help. */
export class InputRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputRefusedError';
  }
}

const within = (root: string, p: string) =>
  p === root || p.startsWith(root.endsWith(path.sep) ? root : root + path.sep);

/**
 * The real path of a local input when it lies under one of `access.localRoots` (or there are none). Both sides
 * are resolved through symlinks, so neither `..` nor a link out of a root escapes it. A missing file resolves
 * as written (the read that follows reports it missing, and only a file under a root can be reported so).
 */
export async function allowedLocalPath(file: string, access: SourceAccess | undefined): Promise<string> {
  const roots = access?.localRoots;
  if (!roots || roots.length === 0) return file;
  const real = await realpath(file).catch(() => path.resolve(file));
  const realRoots = await Promise.all(roots.map((r) => realpath(r).catch(() => path.resolve(r))));
  if (realRoots.some((r) => within(r, real))) return real;
  throw new InputRefusedError(
    `${file} is outside the directories this worker may read (BIDFCL_LOCAL_ROOTS: ${roots.join(', ')})`,
  );
}

/** Refuses an input of `bytes` bytes above `access.maxBytes`, naming the file and the limit. */
export function checkInputSize(what: string, bytes: number | undefined, access: SourceAccess | undefined): void {
  const max = access?.maxBytes;
  if (max === undefined || bytes === undefined || bytes <= max) return;
  throw new InputRefusedError(
    `${what} is ${bytes} bytes, above the largest input this worker reads (BIDFCL_MAX_INPUT_BYTES=${max}): ` +
      'split it into several files (a folder of parts) or raise the limit',
  );
}

/** The size of a local file, or undefined when it cannot be told (the read reports why). */
export async function localSize(file: string): Promise<number | undefined> {
  return stat(file)
    .then((s) => (s.isFile() ? s.size : undefined))
    .catch(() => undefined);
}
