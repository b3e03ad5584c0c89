import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { createLogger, logLevelFromEnv } from './logger.js';

function capture() {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream, text: () => chunks.join('') };
}

describe('logger', () => {
  test('BIDFCL_LOG_LEVEL sets the level; unset gives the fallback; an unknown one is refused with the choices', () => {
    expect(logLevelFromEnv({ BIDFCL_LOG_LEVEL: 'Debug' })).toBe('debug');
    expect(logLevelFromEnv({}, 'warn')).toBe('warn');
    expect(() => logLevelFromEnv({ BIDFCL_LOG_LEVEL: 'loud' })).toThrow(/BIDFCL_LOG_LEVEL: one of fatal, error/);
  });

  test('off a terminal, one JSON object per line with the service, an ISO time and the fields given', () => {
    const out = capture();
    const log = createLogger('worker:allocator', { stream: out.stream, level: 'info' });
    log.info({ runId: 'r1', jobId: 'j1', durationMs: 12 }, 'job completed');
    log.debug('not at info');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ service: 'worker:allocator', runId: 'r1', jobId: 'j1', durationMs: 12 });
    expect(line.msg).toBe('job completed');
    expect(line.level).toBe(30);
    expect(new Date(line.time).toISOString()).toBe(line.time);
  });

  test('pretty lines are for people: time, level and message first, one line per entry', () => {
    const out = capture();
    const log = createLogger('worker:allocator', { stream: out.stream, level: 'info', pretty: true });
    log.info({ runId: 'r1', attempt: 2 }, 'job started');
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: job started .*"runId":"r1".*"attempt":2/);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    expect(() => JSON.parse(text)).toThrow();
  });
});
