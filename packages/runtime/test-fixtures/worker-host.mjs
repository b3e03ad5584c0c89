// A worker process for the runtime's own tests: one sandboxed training worker, configured from the environment.
import { fileURLToPath } from 'node:url';
import { createRuntimeContext, startRoleWorkers } from '@bidfcl/runtime';

const ctx = createRuntimeContext();
const sandboxPath = fileURLToPath(new URL('./sandbox-processor.mjs', import.meta.url));
const workers = startRoleWorkers(ctx, 'observational-trainer', { handlers: {}, sandboxed: { training: sandboxPath } });
await Promise.all(workers.workers.map((w) => w.waitUntilReady()));
process.stdout.write('ready\n');
