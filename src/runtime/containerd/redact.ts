/**
 * What pullsim may print of a hosts.toml's credentials. containerd sends header values as they are
 * and quotes a badly typed one in its log; any header whose name reads like a credential, and any
 * value a decode error quotes, is shown as `<redacted>` in every output.
 */

/** Header names whose values are credentials. */
export const SECRET_HEADER = /auth|token|secret|passw|key|cookie|credential|session/i;

export function headerLine(name: string, values: readonly string[]): string {
  return `${name}: ${SECRET_HEADER.test(name) ? '<redacted>' : values.join(', ')}`;
}

/** containerd's logged decode error of an ignored hosts.toml, with the quoted value of the wrong type removed. */
export function redactLoggedValue(message: string): string {
  return message
    // the log line quotes the error again, so the header's quotes may come escaped
    .replace(/invalid type (.*?) for header (\\?")([^"\\]*)\\?"/s, (all, _v, q: string, name: string) => (SECRET_HEADER.test(name) ? `invalid type <redacted> for header ${q}${name}${q}` : all))
    .replace(/unable to cast (.*?) to string/s, 'unable to cast <redacted> to string');
}
