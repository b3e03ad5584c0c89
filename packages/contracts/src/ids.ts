import { z } from 'zod';

/** Run ids, dataset names and versions end up inside artefact keys and BullMQ job ids: keep them to a safe alphabet. */
export const SAFE_ID = /^[a-z0-9][a-z0-9._-]{0,127}$/;

export const safeId = (what: string) =>
  z
    .string()
    .regex(SAFE_ID, `${what} must be 1-128 characters of [a-z0-9._-], starting with a letter or digit`)
    .refine((s) => !s.includes('..'), `${what} must not contain '..'`);

export const runIdSchema = safeId('run id');
export const datasetNameSchema = safeId('dataset name');

/** Throws an Error naming what is wrong when `id` is not a safe id. */
export function assertSafeId(id: string, what = 'id'): string {
  const parsed = safeId(what).safeParse(id);
  if (!parsed.success) throw new Error(`invalid ${what} '${id}': ${parsed.error.issues[0]?.message ?? 'bad id'}`);
  return id;
}
