import type { ChildProcess } from 'node:child_process';
import open from 'open';
import { CliError } from './cli-error.js';

/**
 * How long the launcher (xdg-open, open(1)) gets to report failure. It hands the file to the browser and exits
 * within milliseconds; one still running after this is a browser kept in the foreground, which is success.
 */
const LAUNCH_WINDOW_MS = 5000;

/** The child's exit code when it exits within `ms`; undefined when it is still running then. */
export function exitCodeWithin(child: ChildProcess, ms: number): Promise<number | undefined> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(undefined);
    }, ms);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      // Killed by a signal: it did not open anything we know of.
      resolve(code ?? 1);
    };
    child.once('exit', onExit);
  });
}

/**
 * Opens `path` in the desktop's browser through the `open` library (it knows each platform's launcher). A machine
 * without a browser (a server, a container) makes the launcher fail: that is an error naming the path, never a
 * silent success.
 */
export async function openInBrowser(path: string): Promise<void> {
  const cannot = (why: string) => new CliError(`could not open a browser (${why}); open ${path} yourself`);
  let child: ChildProcess;
  try {
    child = await open(path);
  } catch (err) {
    throw cannot(err instanceof Error ? err.message : String(err));
  }
  const code = await exitCodeWithin(child, LAUNCH_WINDOW_MS);
  if (code !== undefined && code !== 0) throw cannot(`the launcher exited with code ${code}: no browser found`);
}
