import { indentBlock } from '../text-layout.js';
import type { Explanation } from './explain.js';

/** The human form of an explanation: one block per candidate, one line per decision with its reason. */
export function explainText(x: Explanation): string {
  const out: string[] = [`${x.image}  (runtime ${x.runtime})`];
  // With an error, the files read are those before it: the error names the file that failed.
  const none = 'stage' in x.resolution ? 'none (loading stopped at the error below)' : 'no registries.conf found';
  out.push(`  configuration read: ${x.configFiles.length ? x.configFiles.join(', ') : none}`);
  if ('error' in x.resolution) {
    out.push(indentBlock(`the pull fails before any network access: ${x.resolution.error}`, '    ', '  '));
    return out.join('\n') + '\n';
  }
  const r = x.resolution;
  const how = r.description ?? (r.rationale === 'fully-qualified' ? 'fully qualified: one candidate' : r.rationale === 'docker-transport' ? 'skopeo resolves no short names: normalized like docker://' : r.rationale);
  out.push(`  name resolution: ${how}${r.mode ? ` (short-name mode ${r.mode})` : ''}`);
  if (x.kubeletCredentials) {
    out.push(`  kubelet credentials (node keyring): ${x.kubeletCredentials.length ? x.kubeletCredentials.join('; ') : 'none match: one CRI call without credentials'}`);
  }
  x.candidates.forEach((c, i) => {
    out.push(`  candidate ${i + 1}: ${c.reference}`);
    out.push(c.registry ? `    [[registry]] prefix "${c.registry.prefix}" location "${c.registry.location}" from ${c.registry.file}` : '    no [[registry]] matches: the reference itself, no mirrors');
    c.sources.forEach((s, j) => {
      if (s.skipped) {
        out.push(`    source ${j + 1} (${s.kind}) ${s.reference}: skipped — ${s.skipped}`);
        return;
      }
      out.push(`    source ${j + 1} (${s.kind}) ${s.reference}`);
      if (s.blocked) out.push(`      BLOCKED: ${s.blocked}`);
      out.push(`      transport: ${s.transport} — ${s.insecureReason}`);
      out.push(`      certs.d: ${s.certDir}${s.caFiles.length ? `; CAs: ${s.caFiles.join(', ')}` : '; no CA files'}${s.clientCerts.length ? `; client certs: ${s.clientCerts.join(', ')}` : ''}`);
      out.push(indentBlock(`credentials: ${s.credential ?? 'anonymous'}${s.credential ? '' : ` — ${s.credentialReason}`}`, '        ', '      '));
    });
    if ('error' in c.policy) out.push(indentBlock(`policy.json: ${c.policy.error}`, '      ', '    '));
    else out.push(`    policy.json: scope ${c.policy.scope === '' ? '""' : c.policy.scope} (${c.policy.kind}) requires ${c.policy.requirements.join(' AND ')}`);
  });
  if (x.cannotPull.length) out.push(`  the pull cannot succeed:`, ...x.cannotPull.map((r) => indentBlock(r, '      ', '    ')));
  return out.join('\n') + '\n';
}
