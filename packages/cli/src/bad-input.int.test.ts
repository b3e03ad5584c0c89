import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Job } from 'bullmq';
import { jobIds, keys, runConfigSchema, type RunConfigInput } from '@bidfcl/contracts';
import { startRun, waitForRun } from '@bidfcl/runtime';
import { createTestRuntime, type TestRuntime } from '@bidfcl/runtime/testing';
import { stringify } from 'yaml';
import { startRole } from './cluster.js';
import { csvDataset, csvRows } from './test-support/fixtures.js';
import { runCli } from './test-support/processes.js';

const HEADER = 'user,x1,x2,segment,arm,revenue,cost';
const good = (n = 40) => csvRows(n, 7);
const withRow = (row: string, at = 3) => {
  const lines = good().trimEnd().split('\n');
  lines.splice(at, 0, row);
  return lines.join('\n') + '\n';
};

/** What a foreign file's first line may be: long, and with a terminal escape sequence in it. */
const FOREIGN_LINE = `root:x:0:0:${'A'.repeat(120)}:/root:/bin/bash\x1b[2J`;

/**
 * Each broken input, the message parts the failure must name (file, column, first offending row), and what the
 * message must not hold (file content beyond a short sanitised snippet).
 */
const CASES: { name: string; body: string | Uint8Array; expect: RegExp[]; absent?: (RegExp | string)[] }[] = [
  {
    name: 'missing-column',
    body: good().replace(HEADER, 'user,x1,x2,segment,arm,revenue,spend'),
    expect: [/missing-column\.csv/, /cost/],
  },
  { name: 'non-numeric', body: withRow('u-x,abc,1,a,0,1,0'), expect: [/non-numeric\.csv/, /x1/, /row 3/, /abc/] },
  { name: 'nan', body: withRow('u-x,NaN,1,a,0,1,0'), expect: [/nan\.csv/, /x1/, /row 3/] },
  { name: 'infinity', body: withRow('u-x,1,Infinity,a,0,1,0'), expect: [/infinity\.csv/, /x2/, /row 3/] },
  { name: 'negative-cost', body: withRow('u-x,1,1,a,1,1,-2'), expect: [/negative-cost\.csv/, /cost/, /row 3/] },
  { name: 'arm-outside', body: withRow('u-x,1,1,a,5,1,0'), expect: [/arm-outside\.csv/, /arm/, /row 3/, /5/] },
  {
    name: 'empty-arm',
    body: [HEADER, ...Array.from({ length: 30 }, (_, i) => `u${i},1,1,a,0,1,0`)].join('\n') + '\n',
    expect: [/empty-arm\.csv/, /arm/, /coupon/],
  },
  { name: 'zero-rows', body: HEADER + '\n', expect: [/zero-rows\.csv/, /no data rows/] },
  {
    name: 'not-a-table',
    body: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0xff, 0xfe, 0, 1, 2, 3]),
    expect: [/not-a-table\.csv/],
  },
  {
    name: 'huge-feature',
    body: withRow('u-x,1e300,1,a,0,1,0'),
    expect: [/huge-feature\.csv/, /x1/, /row 3/, /1e\+300/, /rescale/],
  },
  { name: 'huge-revenue', body: withRow('u-x,1,1,a,0,-2e20,0'), expect: [/huge-revenue\.csv/, /revenue/, /row 3/] },
  {
    // A config that names some other file (a password file, a log): a line of it must not end up in run.json.
    name: 'foreign-file',
    body: `${FOREIGN_LINE}\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n`,
    expect: [/foreign-file\.csv/, /missing required columns/, /available columns: 'root:x:0:0:A+…'/],
    absent: [/A{81}/, '\x1b', 'bin/bash'],
  },
];

function configFor(runId: string, file: string, testFile: string): RunConfigInput {
  return {
    runId,
    dataset: csvDataset({ rct: [file], test: [testFile] }),
    methods: ['random'],
  };
}

describe('bad input fails at once with a clear message and loses nothing', () => {
  let rt: TestRuntime;
  let testFile: string;
  beforeAll(async () => {
    rt = await createTestRuntime('bad');
    testFile = path.join(rt.storeDir, 'test-good.csv');
    await writeFile(testFile, good(200));
  });
  afterAll(async () => {
    await rt?.cleanup();
  });

  test.each(CASES)('$name', async ({ name, body, expect: patterns, absent = [] }) => {
    const file = path.join(rt.storeDir, `${name}.csv`);
    await writeFile(file, body);
    const runId = `bad-${name}`;
    const workers = startRole(rt.ctx, 'feature-builder');
    try {
      const done = startRun(rt.ctx, runConfigSchema.parse(configFor(runId, file, testFile))).then(() =>
        waitForRun(rt.ctx, runId),
      );
      const record = await done;
      expect(record.status).toBe('failed');
      for (const p of patterns) expect(record.error?.message).toMatch(p);
      for (const p of absent)
        if (typeof p === 'string') expect(record.error?.message).not.toContain(p);
        else expect(record.error?.message).not.toMatch(p);
      expect(await rt.ctx.store.exists(keys.featuresManifest(runId))).toBe(false);
      // Failed at once: one attempt, never retried (the failing job is the part's or the finalize's).
      const failedStage = record.error!.stage;
      const jobId = `${runId}.${failedStage}`;
      const job = await Job.fromId(rt.ctx.queues.queue('features'), jobId);
      expect(job?.attemptsMade).toBe(1);
      expect(job?.failedReason).toMatch(patterns[0]!);
      expect(failedStage === 'features.finalize' || failedStage === 'features.rct.0').toBe(true);
      expect(jobIds.featuresFinalize(runId)).toBe(`${runId}.features.finalize`);
    } finally {
      await workers.close();
    }
  });

  test('`bidfcl run --wait` exits non-zero and prints the reason', async () => {
    const file = path.join(rt.storeDir, 'cli-nan.csv');
    await writeFile(file, withRow('u-x,1,NaN,a,0,1,0'));
    const configFile = path.join(rt.storeDir, 'cli-nan.yaml');
    await writeFile(configFile, stringify(configFor('bad-cli', file, testFile)));
    const workers = startRole(rt.ctx, 'feature-builder');
    try {
      const { code, stderr } = await runCli(['run', '--config', configFile, '--wait'], rt.env);
      expect(code).toBe(1);
      expect(stderr).toMatch(/bad-cli failed at features\.rct\.0/);
      expect(stderr).toMatch(/cli-nan\.csv/);
      expect(stderr).toMatch(/x2/);
    } finally {
      await workers.close();
    }
  });
});
