/**
 * Errors that tell the queue what to do. A PermanentJobError (bad input, bad config, a missing artefact that
 * no retry will create) fails the job at once; anything else is retried per the catalog's policy.
 */
export class PermanentJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentJobError';
  }
}

const PERMANENT_NAMES = new Set([
  'PermanentJobError',
  'DatasetValidationError',
  'ZodError',
  'UnrecoverableError',
  'NotFoundError',
  'RegistryError',
]);

/** True when retrying cannot help: input or configuration errors. */
export function isPermanentError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // A store fault that is not transient (bad key, access denied) will not heal by retrying.
  if (err.name === 'StoreError') return (err as Error & { transient?: boolean }).transient === false;
  return PERMANENT_NAMES.has(err.name);
}
