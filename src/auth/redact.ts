/**
 * Docker config files (auth.json, config.json, .dockercfg, a pull secret) shown to a user with
 * their secret values replaced, so `pullsim render` can print the node's /var/lib/kubelet/config.json
 * and still never show a password, token or base64 `auth` value.
 */
const SECRET_KEYS = new Set(['auth', 'password', 'identitytoken', 'registrytoken']);
export const REDACTED = '<redacted>';

function redactValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactValue);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = SECRET_KEYS.has(k.toLowerCase()) && typeof x === 'string' ? REDACTED : redactValue(x);
    return out;
  }
  return v;
}

/**
 * The text with every secret value replaced. Text that is not JSON is replaced whole: a file that
 * holds credentials but does not parse could still hold them in clear.
 */
export function redactDockerConfig(text: string): string {
  try {
    return JSON.stringify(redactValue(JSON.parse(text)), null, 2) + '\n';
  } catch {
    return `${REDACTED} (not valid JSON)\n`;
  }
}

const CREDENTIAL_FILES = [/\/config\.json$/, /\/auth\.json$/, /\/\.dockercfg$/];

/** Whether a node file holds registry credentials by its path. */
export function isCredentialFile(path: string): boolean {
  return CREDENTIAL_FILES.some((re) => re.test(path));
}
