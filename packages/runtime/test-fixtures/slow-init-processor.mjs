// A sandboxed processor whose first child never finishes loading (as a child busy importing tfjs), so that a test
// can kill it mid-init; later children load normally. The first writes its pid to BIDFCL_TEST_INIT_PID_FILE.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { sandboxedProcessor } from '@bidfcl/runtime';

const pidFile = process.env.BIDFCL_TEST_INIT_PID_FILE;
if (pidFile && !existsSync(pidFile)) {
  writeFileSync(`${pidFile}.tmp`, String(process.pid));
  renameSync(`${pidFile}.tmp`, pidFile); // appears whole
  await new Promise(() => setInterval(() => undefined, 60_000)); // init never completes
}

export default sandboxedProcessor({
  'train.method.v1': async ({ method }) => ({ method, trainSeconds: 0, summaryKey: 'none', skipped: 'loaded' }),
});
