/** Closes everything on SIGINT/SIGTERM: workers finish their active jobs first (BullMQ's close waits). */
export function closeOnSignals(
  close: () => Promise<void>,
  log: (s: string) => void = (s) => process.stderr.write(s + '\n'),
): void {
  let closing = false;
  const handler = (signal: string) => {
    if (closing) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    closing = true;
    log(`${signal}: finishing active jobs, then exiting (send again to exit at once)`);
    close().then(
      () => process.exit(0),
      (err) => {
        log(`shutdown failed: ${(err as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}
