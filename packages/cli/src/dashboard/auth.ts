import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { usageError } from '../cli-error.js';

export interface BasicCredentials {
  user: string;
  password: string;
}

export const DASHBOARD_USER_ENV = 'BIDFCL_DASHBOARD_USER';
export const DASHBOARD_PASSWORD_ENV = 'BIDFCL_DASHBOARD_PASSWORD';

/** Whether a listen address is reachable from this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  // An IPv4-mapped IPv6 loopback (::ffff:127.0.0.1) is loopback too; '::' and '0.0.0.0' are every interface.
  return /^::ffff:127\./.test(h);
}

/**
 * The credentials the dashboard demands, from the environment. On loopback none are needed (only this machine's
 * users reach it) but they are used when set; on any other address they are required, since Bull Board can retry
 * and delete jobs: a missing user or password is a configuration error (exit 2), not an open dashboard.
 */
export function dashboardCredentials(host: string, env: NodeJS.ProcessEnv): BasicCredentials | undefined {
  const user = env[DASHBOARD_USER_ENV];
  const password = env[DASHBOARD_PASSWORD_ENV];
  if (user && password) return { user, password };
  if (isLoopbackHost(host)) {
    if (user || password)
      throw usageError(`set both ${DASHBOARD_USER_ENV} and ${DASHBOARD_PASSWORD_ENV}, or neither (on loopback)`);
    return undefined;
  }
  throw usageError(
    `--host ${host} is not a loopback address: the dashboard then requires basic auth; set ` +
      `${DASHBOARD_USER_ENV} and ${DASHBOARD_PASSWORD_ENV} (or listen on 127.0.0.1)`,
  );
}

/** Compares without leaking, through timing, how much of a guess was right. */
function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Whether an Authorization header carries exactly these basic-auth credentials. */
export function basicAuthMatches(header: string | undefined, creds: BasicCredentials): boolean {
  const m = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!m) return false;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared always, so a wrong user takes as long as a wrong password.
  const userOk = sameSecret(decoded.slice(0, colon), creds.user);
  const passwordOk = sameSecret(decoded.slice(colon + 1), creds.password);
  return userOk && passwordOk;
}
