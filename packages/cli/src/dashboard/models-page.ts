import type { ModelVersion } from '@bidfcl/contracts';
import { byWhom, type ModelRow } from '../models-read.js';
import { esc, htmlTable, link, page } from './html.js';
import { runHref } from './runs-page.js';

/** A model of the registry with every version's record, oldest first. */
export interface ModelWithVersions extends ModelRow {
  records: ModelVersion[];
}

function versionsTable(m: ModelWithVersions): string {
  const rows = m.records.map((v) => [
    m.pointer?.version === v.version ? 'current' : '',
    v.version,
    link(runHref(v.runId), v.runId),
    v.method,
    `${v.dataset.name}/${v.dataset.version}`,
    v.promotedAt,
    byWhom(v.promotedBy),
    v.metrics.validation?.valEom,
    v.metrics.test.mean.eom,
  ]);
  return htmlTable(
    ['', 'version', 'run', 'method', 'dataset', 'promoted', 'by', 'validation EOM', 'test mean EOM'],
    rows,
    `model-${m.model}`,
  );
}

/** The model registry: each model, its current version, and all its versions. */
export function modelsPage(models: ModelWithVersions[], storeName: string): string {
  if (models.length === 0) return page('models', `<p>no models in ${esc(storeName)}</p>`);
  const sections = models.map(
    (m) =>
      `<h2>${esc(m.model)}</h2><p>current version: ${m.pointer ? m.pointer.version : 'none'}; ` +
      `${m.versions.length} version(s)</p>\n${versionsTable(m)}`,
  );
  return page('models', sections.join('\n'));
}
