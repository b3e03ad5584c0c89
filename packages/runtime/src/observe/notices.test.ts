import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, test } from 'vitest';
import { createLogger } from './logger.js';
import { notice, routeNoticesTo } from './notices.js';

describe('runtime notices', () => {
  afterEach(() => routeNoticesTo(undefined));

  test("in a worker process they are the worker's log lines, with their fields and level", () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
    routeNoticesTo(createLogger('worker:evaluator', { stream, level: 'info', pretty: false }));
    notice('r1 evaluate: waiting for S3 at http://s3, retry 1 in 1 s', { runId: 'r1', stage: 'evaluate' });
    notice('Redis connection: reconnected', {}, 'info');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        runId: 'r1',
        stage: 'evaluate',
        msg: expect.stringMatching(/waiting for S3/),
      }),
      expect.objectContaining({ level: 30, msg: 'Redis connection: reconnected' }),
    ]);
  });
});
