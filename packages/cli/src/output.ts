import type { RunEvent } from '@bidfcl/runtime';

/** A plain text table: columns padded to their widest cell, numbers right-aligned. */
export function table(header: string[], rows: (string | number | undefined)[][]): string {
  const cells = [
    header,
    ...rows.map((r) => r.map((c) => (c === undefined ? '—' : typeof c === 'number' ? fmt(c) : c))),
  ];
  const widths = header.map((_, k) => Math.max(...cells.map((r) => String(r[k] ?? '').length)));
  const line = (r: (string | number)[], isHeader = false) =>
    r
      .map((c, k) =>
        !isHeader && /^[-+]?[\d.]+(e[-+]?\d+)?%?$/.test(String(c))
          ? String(c).padStart(widths[k]!)
          : String(c).padEnd(widths[k]!),
      )
      .join('  ');
  return [
    line(cells[0]!, true),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.slice(1).map((r) => line(r as string[])),
  ].join('\n');
}

export function fmt(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e5 || Math.abs(x) < 1e-3)) return x.toExponential(2);
  return x.toFixed(digits);
}

/** One line per stage event (and a compact one per progress report) for `run --wait`, the demo and bench. */
export function describeEvent(e: RunEvent): string | undefined {
  switch (e.type) {
    case 'stage':
      if (e.status === 'running') return `  ▸ ${e.stage}`;
      if (e.status === 'succeeded')
        return `  ✓ ${e.stage}${e.seconds !== undefined ? ` (${e.seconds.toFixed(1)} s)` : ''}`;
      if (e.status === 'retrying') return `  ↻ ${e.stage} will be retried: ${e.error ?? ''}`;
      if (e.status === 'stalled') return `  ⏸ ${e.stage}: ${e.error ?? 'waiting to be picked up again'}`;
      return `  ✗ ${e.stage}: ${e.error ?? 'failed'}`;
    case 'progress': {
      const p = e.progress as Record<string, unknown> | number;
      if (typeof p === 'number') return `    ${e.stage}: ${p}%`;
      if (typeof p?.epoch === 'number') {
        const parts = [`epoch ${p.epoch}${typeof p.epochs === 'number' ? `/${p.epochs}` : ''}`];
        for (const k of ['lowerLoss', 'upperLoss', 'valLoss', 'valEom'] as const)
          if (typeof p[k] === 'number') parts.push(`${k} ${fmt(p[k] as number)}`);
        return `    ${e.stage}: ${parts.join(', ')}`;
      }
      return undefined;
    }
    case 'waiting':
      return `  … ${e.stage}: ${e.message}`;
    case 'run':
      if (e.status === 'cancelled') return `  run ${e.error?.message ?? 'cancelled'}`;
      return e.status === 'succeeded' ? '  run succeeded' : `  run failed at ${e.error?.stage}: ${e.error?.message}`;
  }
}
