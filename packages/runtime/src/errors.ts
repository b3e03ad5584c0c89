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

/**
 * The run's configuration cannot work as written (a dataset folder holds no input files): found while starting a
 * run, before anything is written or enqueued. The CLI reports it as a configuration error (exit 2).
 */
export class ConfigurationError extends PermanentJobError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

const PERMANENT_NAMES = new Set([
  'PermanentJobError',
  'ConfigurationError',
  'DatasetValidationError',
  'ZodError',
  'UnrecoverableError',
  'NotFoundError',
  'RegistryError',
  'InputRefusedError',
]);

/** True when retrying cannot help: input or configuration errors. */
export function isPermanentError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  // A store fault that is not transient (bad key, access denied) will not heal by retrying.
  if (err.name === 'StoreError') return (err as Error & { transient?: boolean }).transient === false;
  return PERMANENT_NAMES.has(err.name);
}
