// Consistency check of the deployment files against the code they deploy, so that a role, queue or
// environment variable added in the packages cannot silently be missing from compose or Kubernetes.
//   node infra/scripts/check-infra.mjs      (after `npm run build`: it reads the built contracts/runtime)
// Checks: every YAML file parses; compose has one scalable service per role running `worker <role>`;
// k8s has a Deployment per role with the same args and a KEDA ScaledObject whose triggers watch
// exactly `<prefix>:<queue>:wait` and `:active` for each of the role's queues; kustomization lists
// every manifest; every BIDFCL_* / REDIS_URL variable set anywhere is one the runtime reads; every worker serves
// its metrics on WORKER_METRICS_PORT, with a compose health check and k8s probes and scrape annotations that
// name that port and the runtime's routes; the dashboard runs `bidfcl dashboard` in compose (port on 127.0.0.1
// only) and k8s (Deployment + Service) with its credentials.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { ROLES } from '@bidfcl/contracts';
import { WORKER_HTTP_PATHS, WORKER_METRICS_PORT, runtimeEnvSchema } from '@bidfcl/runtime';
import { DASHBOARD_PASSWORD_ENV, DASHBOARD_USER_ENV } from '../../packages/cli/dist/dashboard/auth.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);
const known = new Set(Object.keys(runtimeEnvSchema.shape));
// Read by KEDA only (host:port form of REDIS_URL), not by the runtime.
const k8sOnly = new Set(['REDIS_ADDRESS']);
// Read by `bidfcl dashboard` itself (its basic-auth credentials), not by the runtime.
const dashboardEnv = new Set([DASHBOARD_USER_ENV, DASHBOARD_PASSWORD_ENV]);

function load(rel) {
  const docs = parseAllDocuments(fs.readFileSync(path.join(root, rel), 'utf8'), { merge: true });
  const out = [];
  for (const d of docs) {
    if (d.errors.length) fail(rel, `YAML does not parse: ${d.errors.map((e) => e.message).join('; ')}`);
    else if (d.contents !== null) out.push(d.toJS({ maxAliasCount: 100 }));
  }
  return out;
}
function checkEnvNames(where, names, extra = new Set()) {
  for (const n of names) {
    if ((n.startsWith('BIDFCL_') || n === 'REDIS_URL') && !known.has(n) && !extra.has(n))
      fail(where, `sets ${n}, which the runtime does not read`);
    else if (!known.has(n) && !extra.has(n)) fail(where, `sets unexpected variable ${n}`);
  }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const PORT = String(WORKER_METRICS_PORT);
const metricsArgs = ['--metrics-port', PORT];
/** args contains `--metrics-port <PORT>` (in that order, anywhere after the role). */
const servesMetrics = (args) => (args ?? []).some((a, i) => a === metricsArgs[0] && args[i + 1] === PORT);

// ---- docker-compose.yml ----
const [compose] = load('docker-compose.yml');
const services = compose?.services ?? {};
for (const [name, svc] of Object.entries(services)) {
  if (svc.container_name) fail(`compose ${name}`, 'container_name prevents --scale');
}
for (const role of Object.keys(ROLES)) {
  const svc = services[role];
  if (!svc) {
    fail('compose', `no service for role ${role}`);
    continue;
  }
  if (!same(svc.command, ['worker', role, ...metricsArgs]))
    fail(`compose ${role}`, `command should be ${JSON.stringify(['worker', role, ...metricsArgs])}`);
  if (!(svc.expose ?? []).map(String).includes(PORT)) fail(`compose ${role}`, `should expose ${PORT}`);
  if (svc.labels?.['prometheus.io/port'] !== PORT)
    fail(`compose ${role}`, `label prometheus.io/port should be ${PORT}`);
  const probe = (svc.healthcheck?.test ?? []).join(' ');
  if (!probe.includes(`:${PORT}${WORKER_HTTP_PATHS.health}`))
    fail(`compose ${role}`, `healthcheck should ask :${PORT}${WORKER_HTTP_PATHS.health}`);
  if (svc.ports) fail(`compose ${role}`, 'a worker must not publish host ports (breaks --scale)');
  if (svc.build?.dockerfile !== 'infra/Dockerfile') fail(`compose ${role}`, 'should build infra/Dockerfile');
  checkEnvNames(`compose ${role}`, Object.keys(svc.environment ?? {}));
}

/** A worker pod's metrics port, its scrape annotations and its probes agree with each other and with the code. */
function checkWorkerHttp(where, template, container) {
  if (!servesMetrics(container.args)) fail(where, `args should include --metrics-port ${PORT}`);
  const port = (container.ports ?? []).find((p) => String(p.containerPort) === PORT);
  if (!port) fail(where, `should declare containerPort ${PORT}`);
  const a = template.metadata?.annotations ?? {};
  if (a['prometheus.io/scrape'] !== 'true' || a['prometheus.io/port'] !== PORT)
    fail(where, `pod annotations should have prometheus.io/scrape 'true' and prometheus.io/port '${PORT}'`);
  if ((a['prometheus.io/path'] ?? WORKER_HTTP_PATHS.metrics) !== WORKER_HTTP_PATHS.metrics)
    fail(where, `prometheus.io/path should be ${WORKER_HTTP_PATHS.metrics}`);
  for (const [probe, path] of [
    ['livenessProbe', WORKER_HTTP_PATHS.health],
    ['readinessProbe', WORKER_HTTP_PATHS.ready],
  ]) {
    const get = container[probe]?.httpGet;
    if (get?.path !== path) fail(where, `${probe} should GET ${path}`);
    else if (String(get.port) !== PORT && get.port !== port?.name)
      fail(where, `${probe} should use port ${PORT}${port?.name ? ` or '${port.name}'` : ''}`);
  }
}

const dash = services.dashboard;
if (!dash) fail('compose', 'no dashboard service');
else {
  if (dash.command?.[0] !== 'dashboard') fail('compose dashboard', 'command should start with "dashboard"');
  for (const p of dash.ports ?? [])
    if (!String(p).startsWith('127.0.0.1:')) fail('compose dashboard', `port ${p} should be bound to 127.0.0.1`);
  const env = Object.keys(dash.environment ?? {});
  for (const n of dashboardEnv) if (!env.includes(n)) fail('compose dashboard', `does not set ${n}`);
  checkEnvNames('compose dashboard', env, dashboardEnv);
}

// ---- infra/k8s ----
const k8sDir = 'infra/k8s';
const manifests = fs
  .readdirSync(path.join(root, k8sDir), { recursive: true })
  .filter((f) => f.endsWith('.yaml') && path.basename(f) !== 'kustomization.yaml')
  .map((f) => f.split(path.sep).join('/'));
const [kustomization] = load(`${k8sDir}/kustomization.yaml`);
for (const f of manifests) {
  if (!(kustomization?.resources ?? []).includes(f)) fail(`${k8sDir}/kustomization.yaml`, `does not list ${f}`);
}
const objects = manifests.flatMap((f) => load(`${k8sDir}/${f}`).map((o) => ({ ...o, file: f })));
const find = (kind, name) => objects.find((o) => o.kind === kind && o.metadata?.name === name);
const configMap = find('ConfigMap', 'bidfcl-env');
if (!configMap) fail(k8sDir, 'no ConfigMap bidfcl-env');
const prefix = configMap?.data?.BIDFCL_QUEUE_PREFIX ?? 'bidfcl';
checkEnvNames('ConfigMap bidfcl-env', Object.keys(configMap?.data ?? {}), k8sOnly);
checkEnvNames('Secret bidfcl-s3', Object.keys(find('Secret', 'bidfcl-s3')?.stringData ?? {}));

for (const [role, queues] of Object.entries(ROLES)) {
  const dep = find('Deployment', role);
  const container = dep?.spec?.template?.spec?.containers?.[0];
  if (!container) fail(k8sDir, `no Deployment ${role}`);
  else {
    if (!same(container.args?.slice(0, 2), ['worker', role]))
      fail(`Deployment ${role}`, `args should start with worker ${role}`);
    checkWorkerHttp(`Deployment ${role}`, dep.spec.template, container);
  }
  const so = find('ScaledObject', role);
  if (!so) {
    fail(k8sDir, `no ScaledObject ${role}`);
    continue;
  }
  if (so.spec?.scaleTargetRef?.name !== role) fail(`ScaledObject ${role}`, `should target Deployment ${role}`);
  const lists = (so.spec?.triggers ?? []).map((t) => t.metadata?.listName).sort();
  const want = queues.flatMap((q) => [`${prefix}:${q}:wait`, `${prefix}:${q}:active`]).sort();
  if (!same(lists, want)) fail(`ScaledObject ${role}`, `watches [${lists}] but the role's lists are [${want}]`);
  for (const t of so.spec?.triggers ?? []) {
    const env = t.metadata?.addressFromEnv;
    if (env && !(env in (configMap?.data ?? {})))
      fail(`ScaledObject ${role}`, `addressFromEnv ${env} is not in the ConfigMap`);
  }
}

const dashContainer = find('Deployment', 'dashboard')?.spec?.template?.spec?.containers?.[0];
if (dashContainer?.args?.[0] !== 'dashboard') fail(k8sDir, 'no Deployment dashboard running `dashboard`');
const dashSecret = find('Secret', 'bidfcl-dashboard')?.stringData ?? {};
checkEnvNames('Secret bidfcl-dashboard', Object.keys(dashSecret), dashboardEnv);
for (const n of dashboardEnv) if (!(n in dashSecret)) fail('Secret bidfcl-dashboard', `does not hold ${n}`);
if (!(dashContainer?.envFrom ?? []).some((e) => e.secretRef?.name === 'bidfcl-dashboard'))
  fail('Deployment dashboard', 'does not read the bidfcl-dashboard Secret');
if (find('Service', 'dashboard')?.spec?.selector?.['app.kubernetes.io/component'] !== 'dashboard')
  fail(k8sDir, 'no Service dashboard selecting the dashboard pods');

if (problems.length) {
  console.error(`check-infra: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`check-infra: ok (${Object.keys(ROLES).length} roles; compose, ${objects.length} k8s objects)`);
