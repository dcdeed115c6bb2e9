/**
 * What `oc import-image` prints on stdout (oc pkg/cli/importimage + pkg/helpers/describe): the name
 * line, DescribeImageStream of the result, and DescribeImage of an imported image. oc lays these out
 * with a tabwriter whose padding character is a tab, so the tabs are written out here.
 * Times are the import's own: it has just happened ("Less than a second ago").
 */
import { text } from '../../errors/index.js';
import { INTERNAL_REGISTRY } from './import-config.js';
import type { TagOutcome } from './importer.js';

export interface DescribeInput {
  namespace: string;
  stream: string;
  tag: string;
  from: string;
  insecure: boolean;
  scheduled: boolean;
  referencePolicy: 'Source' | 'Local';
  outcome: TagOutcome;
}

const JUST_NOW = 'Less than a second ago';

export function describeImport(d: DescribeInput): string {
  const ok = d.outcome.ok;
  const lines = [
    `imagestream.image.openshift.io/${d.stream} ${ok ? 'imported' : 'imported with errors'}`,
    '',
    `Name:\t\t\t${d.stream}`,
    `Namespace:\t\t${d.namespace}`,
    `Created:\t\t${JUST_NOW}`,
    'Labels:\t\t\t<none>',
    `Annotations:\t\topenshift.io/image.dockerRepositoryCheck=${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    `Image Repository:\t${INTERNAL_REGISTRY}/${d.namespace}/${d.stream}`,
    'Image Lookup:\t\tlocal=false',
    `Unique Images:\t\t${ok ? 1 : 0}`,
    'Tags:\t\t\t1',
    '',
    d.tag,
    d.scheduled ? `  updates automatically from registry ${d.from}` : `  tagged from ${d.from}`,
  ];
  if (d.insecure) lines.push('    will use insecure HTTPS or HTTP connections');
  if (d.referencePolicy === 'Local') lines.push('    prefer registry pullthrough when referencing this tag');
  lines.push('');
  if (d.outcome.ok) {
    const img = d.outcome.image;
    lines.push(`  * ${img.dockerImageReference}`, `      ${JUST_NOW}`, '');
    lines.push(`Image Name:\t${d.stream}:${d.tag}`, `Docker Image:\t${img.dockerImageReference}`, `Name:\t\t${img.digest}`, `Created:\t${JUST_NOW}`);
    img.manifests?.forEach((m, i) => lines.push(`${i === 0 ? 'Manifests:' : ''}\t${m.platform}\t${m.digest}`));
  } else {
    const s = d.outcome.status;
    lines.push(`  ${text('oc.import-failed', s.reason, s.message)}`, `      ${JUST_NOW}`);
  }
  return lines.join('\n') + '\n';
}
