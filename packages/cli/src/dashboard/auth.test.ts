import { describe, expect, test } from 'vitest';
import { CliError } from '../cli-error.js';
import { basicAuthMatches, dashboardCredentials, isLoopbackHost } from './auth.js';

const basic = (s: string) => `Basic ${Buffer.from(s).toString('base64')}`;

describe('dashboard auth', () => {
  test('loopback addresses, and the ones that are not', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'dashboard.example.com', '128.0.0.1', '::ffff:10.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  test('exposed without credentials is a usage error (exit 2) naming both variables', () => {
    for (const env of [{}, { BIDFCL_DASHBOARD_USER: 'ops' }, { BIDFCL_DASHBOARD_PASSWORD: 'x' }]) {
      let err: unknown;
      try {
        dashboardCredentials('0.0.0.0', env);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CliError);
      expect((err as CliError).exitCode).toBe(2);
      expect((err as CliError).message).toMatch(/BIDFCL_DASHBOARD_USER and BIDFCL_DASHBOARD_PASSWORD/);
    }
  });

  test('loopback needs none, uses them when both are set, and refuses half of them', () => {
    expect(dashboardCredentials('127.0.0.1', {})).toBeUndefined();
    const both = { BIDFCL_DASHBOARD_USER: 'ops', BIDFCL_DASHBOARD_PASSWORD: 's3cret' };
    expect(dashboardCredentials('127.0.0.1', both)).toEqual({ user: 'ops', password: 's3cret' });
    expect(dashboardCredentials('0.0.0.0', both)).toEqual({ user: 'ops', password: 's3cret' });
    expect(() => dashboardCredentials('127.0.0.1', { BIDFCL_DASHBOARD_USER: 'ops' })).toThrow(/both/);
  });

  test('only the exact user and password pass', () => {
    const creds = { user: 'ops', password: 'pa:ss wörd' };
    expect(basicAuthMatches(basic('ops:pa:ss wörd'), creds)).toBe(true);
    expect(basicAuthMatches(basic('ops:pa:ss wörd').replace('Basic', 'basic'), creds)).toBe(true);
    for (const bad of [
      undefined,
      '',
      'Bearer abc',
      basic('ops:pa:ss'),
      basic('ops:pa:ss wörd!'),
      basic('op:pa:ss wörd'),
    ])
      expect(basicAuthMatches(bad, creds), String(bad)).toBe(false);
    expect(basicAuthMatches(basic('opspa'), creds)).toBe(false);
  });
});
