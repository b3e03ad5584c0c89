import type { QueueName, RunMetrics, RunRecord } from '@bidfcl/contracts';
import { METRICS_HEADER, metricsRows } from '../run-metrics-table.js';
import { stagesInOrder } from '../run-stages.js';
import { esc, htmlTable, link, page, statusCell } from './html.js';
import { runHref } from './runs-page.js';

/** A failed job of a run as Redis still holds it (BullMQ keeps failed jobs for a while). */
export interface FailedJob {
  stage: string;
  queue: QueueName;
  jobId: string;
  attemptsMade: number;
  failedReason: string;
}

export interface RunPageData {
  record: RunRecord;
  /** metrics.json (absent until the evaluate stage wrote it). */
  metrics: RunMetrics | undefined;
  reportAvailable: boolean;
  failedJobs: FailedJob[];
  /** What an unfinished run waits on now (a retry, S3 away), as `bidfcl status` prints it after "now:". */
  notice?: string | undefined;
}

export const reportHref = (runId: string) => `${runHref(runId)}/report`;
export const bullBoardJobHref = (queue: string, jobId: string) =>
  `/queues/queue/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`;

function failureSection({ record, failedJobs }: RunPageData): string {
  const parts: string[] = [];
  if (record.error)
    parts.push(
      `<p>failed at <b>${esc(record.error.stage)}</b>:</p><pre id="run-error">${esc(record.error.message)}</pre>`,
    );
  for (const j of failedJobs)
    parts.push(
      `<details class="failed-job" id="job-${esc(j.stage)}"><summary>job ${esc(j.jobId)} (queue ${esc(j.queue)}), ` +
        `${j.attemptsMade} attempt(s): failed reason</summary><pre>${esc(j.failedReason)}</pre>` +
        `<p>${link(bullBoardJobHref(j.queue, j.jobId), 'this job in Bull Board').html}</p></details>`,
    );
  return parts.length ? `<h2>failure</h2>${parts.join('\n')}` : '';
}

/** One run: status, its report, its failure (run.json's reason and the failed jobs'), stages, metrics. */
export function runPage(data: RunPageData): string {
  const { record, metrics } = data;
  const report = data.reportAvailable
    ? link(reportHref(record.runId), 'report').html
    : 'no report yet (it is written by the evaluate stage)';
  const stages = stagesInOrder(record).map((s) => [
    s.stage,
    statusCell(s.status),
    s.startedAt,
    s.finishedAt,
    s.seconds,
    s.error?.split('\n')[0] ?? '',
  ]);
  const body = [
    `<p>status ${statusCell(record.status).html}; created ${esc(record.createdAt)}, updated ${esc(record.updatedAt)};` +
      ` dataset ${esc(record.config.dataset.name)}, methods ${esc(record.config.methods.join(', '))}</p>`,
    data.notice ? `<p id="run-notice">now: ${esc(data.notice)}</p>` : '',
    `<p id="report-link">${report}</p>`,
    failureSection(data),
    '<h2>stages</h2>',
    htmlTable(['stage', 'status', 'started', 'finished', 'seconds', 'error'], stages, 'stages'),
    '<h2>metrics</h2>',
    metrics ? htmlTable(METRICS_HEADER, metricsRows(metrics), 'metrics') : '<p>no metrics.json yet</p>',
  ];
  return page(`run ${record.runId}`, body.join('\n'));
}
