/**
 * A registry request that cannot be served: an unknown model, version, run or method, or nothing to roll back
 * to. `usage` marks a request that is wrong whatever the store holds (a bad name, a reference method), which the
 * CLI reports with exit status 2 instead of 1. Permanent for the queue: no retry changes the answer.
 */
export class RegistryError extends Error {
  constructor(
    message: string,
    readonly usage = false,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}
