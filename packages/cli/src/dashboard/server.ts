/**
 * `bidfcl dashboard`: Bull Board for every queue of the job catalog plus server-rendered pages of runs, models and
 * allocations. It lives in the CLI package, not a package of its own, because every page reads what a CLI command
 * reads (status, models, allocations, report) through the same functions; a separate package would have to move
 * those out of the CLI first, or depend on it.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { QUEUES, keys, runIdSchema } from '@bidfcl/contracts';
import { listRuns, type RuntimeContext } from '@bidfcl/runtime';
import { listAllocations } from '../allocations-read.js';
import { allocationsPage } from './allocations-page.js';
import { basicAuthMatches, type BasicCredentials } from './auth.js';
import { loadModels, loadRunPage } from './data.js';
import { esc, page } from './html.js';
import { modelsPage } from './models-page.js';
import { runPage } from './run-page.js';
import { runsPage } from './runs-page.js';

export const DASHBOARD_DEFAULTS = { host: '127.0.0.1', port: 8090 };
export const BULL_BOARD_PATH = '/queues';

export interface DashboardOptions {
  /** Required from every request when set (see dashboardCredentials). */
  credentials?: BasicCredentials;
  logLevel?: string;
}

/**
 * For the product's pages and the report: neither has a script, so none may run, whatever a stored error message
 * or run id holds (they are escaped too: this is the second line). Bull Board, a script app, sets its own.
 */
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'";

/** Every request but /healthz needs the credentials: probes carry none, and /healthz tells nothing. */
function requireBasicAuth(app: FastifyInstance, creds: BasicCredentials): void {
  app.addHook('onRequest', async (req, reply) => {
    if (req.url === '/healthz' || basicAuthMatches(req.headers.authorization, creds)) return;
    await reply
      .code(401)
      .header('www-authenticate', 'Basic realm="bidfcl dashboard", charset="UTF-8"')
      .type('text/plain; charset=utf-8')
      .send('authentication required\n');
  });
}

function mountBullBoard(app: FastifyInstance, ctx: RuntimeContext): void {
  const adapter = new FastifyAdapter();
  createBullBoard({
    queues: QUEUES.map((q) => new BullMQAdapter(ctx.queues.queue(q))),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'bidfcl queues' } },
  });
  adapter.setBasePath(BULL_BOARD_PATH);
  void app.register(adapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
}

/** The Fastify app: auth first (so it covers Bull Board too), then the product's pages, then Bull Board. */
export function buildDashboard(ctx: RuntimeContext, opts: DashboardOptions = {}): FastifyInstance {
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'warn', redact: ['req.headers.authorization'] },
  });
  if (opts.credentials) requireBasicAuth(app, opts.credentials);
  const store = ctx.store.describe();
  const send = (reply: FastifyReply, status: number, body: string | Buffer) =>
    reply.code(status).type('text/html; charset=utf-8').header('content-security-policy', PAGE_CSP).send(body);
  const runIdOf = (raw: string) => (runIdSchema.safeParse(raw).success ? raw : undefined);

  app.get('/healthz', async () => 'ok\n');
  app.get('/', async (_req, reply) => send(reply, 200, runsPage(await listRuns(ctx), store)));
  app.get<{ Params: { runId: string } }>('/runs/:runId', async (req, reply) => {
    const runId = runIdOf(req.params.runId);
    if (!runId) return send(reply, 400, page('bad run id', `<p>'${esc(req.params.runId)}' is not a run id</p>`));
    const data = await loadRunPage(ctx, runId);
    if (!data) return send(reply, 404, page('no such run', `<p>no run '${esc(runId)}' in ${esc(store)}</p>`));
    return send(reply, 200, runPage(data));
  });
  // The evaluator's report.html, served as it is in the store (self-contained: styles and charts inline).
  app.get<{ Params: { runId: string } }>('/runs/:runId/report', async (req, reply) => {
    const runId = runIdOf(req.params.runId);
    const key = runId && keys.reportHtml(runId);
    if (!key || !(await ctx.store.exists(key)))
      return send(reply, 404, page('no report', `<p>run '${esc(req.params.runId)}' has no report yet</p>`));
    return send(reply, 200, Buffer.from(await ctx.store.get(key)));
  });
  app.get('/models', async (_req, reply) => send(reply, 200, modelsPage(await loadModels(ctx), store)));
  app.get('/allocations', async (_req, reply) => send(reply, 200, allocationsPage(await listAllocations(ctx.store))));
  mountBullBoard(app, ctx);
  return app;
}

export interface RunningDashboard {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (port 0: any free port, as tests use); close() stops the server, not `ctx`. */
export async function startDashboard(
  ctx: RuntimeContext,
  listen: { host: string; port: number },
  opts: DashboardOptions = {},
): Promise<RunningDashboard> {
  const app = buildDashboard(ctx, opts);
  const url = await app.listen(listen);
  return { url, close: () => app.close() };
}
