import type { RunMetrics } from '@bidfcl/contracts';
import { escapeHtml } from './escape.js';
import { amount } from './format.js';

/**
 * The deploy step's decision (runs whose config has `deploy`): the policy, the run's best method and the current
 * version's value on the same test split, the bar the candidate had to clear, and what happened. Empty otherwise.
 */
export function deploySection(metrics: RunMetrics): string {
  const d = metrics.deploy;
  if (!d) return '';
  const metric = d.metric === 'eom' ? 'EOM' : 'true value';
  const items: [string, string][] = [
    ['model', d.model],
    ['policy', `promote: ${d.promote}; ${metric} (mean over budgets), margin ${d.margin}`],
    ['this run’s best', d.candidate ? `${d.candidate.method}: ${amount(d.candidate.value)}` : 'none'],
  ];
  if (d.current) {
    const value = d.current.value !== undefined ? `: ${amount(d.current.value)} on this test split` : '';
    const from = `${d.current.method}, run ${d.current.runId}`;
    items.push(['current version', `${d.current.version} (${from})${value}`]);
  }
  if (d.threshold !== undefined) items.push(['to beat', amount(d.threshold)]);
  items.push(['decision', d.promoted ? `promoted as version ${d.version ?? '?'}` : 'not promoted']);
  items.push(['why', d.reason]);
  const rows = items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('');
  return `<h2>Deployment</h2>\n<dl class="meta">${rows}</dl>`;
}
