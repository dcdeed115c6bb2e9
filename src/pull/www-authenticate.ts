/**
 * WWW-Authenticate parsing as containers/image 5.23.1 (docker/wwwauthenticate.go) and
 * distribution's auth/challenge do it: one challenge per header line, scheme and parameter
 * names lower-cased, parsing silently stops at the first thing it does not understand.
 */
export interface Challenge {
  scheme: string;
  parameters: Map<string, string>;
}

const SEPARATORS = ' \t"(),/:;<=>?@[]\\{}';

function isToken(c: number): boolean {
  return c > 31 && c < 127 && !SEPARATORS.includes(String.fromCharCode(c));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 10;
}

function expectToken(s: string): [string, string] {
  let i = 0;
  while (i < s.length && isToken(s.charCodeAt(i))) i++;
  return [s.slice(0, i), s.slice(i)];
}

function skipSpace(s: string): string {
  let i = 0;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function expectTokenOrQuoted(s: string): [string, string] {
  if (!s.startsWith('"')) return expectToken(s);
  s = s.slice(1);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '"') return [out, s.slice(i + 1)];
    if (ch === '\\') {
      i++;
      if (i >= s.length) break;
      out += s[i];
    } else out += ch;
  }
  return ['', ''];
}

function parseValueAndParams(header: string): Challenge | undefined {
  const parameters = new Map<string, string>();
  let [value, s] = expectToken(header);
  if (value === '') return undefined;
  s = ',' + skipSpace(s);
  while (s.startsWith(',')) {
    let key: string;
    [key, s] = expectToken(skipSpace(s.slice(1)));
    if (key === '' || !s.startsWith('=')) break;
    let v: string;
    [v, s] = expectTokenOrQuoted(s.slice(1));
    if (v === '') break;
    parameters.set(key.toLowerCase(), v);
    s = skipSpace(s);
  }
  return { scheme: value.toLowerCase(), parameters };
}

/** parseAuthHeader: every WWW-Authenticate line that starts with a scheme token. */
export function parseChallenges(headerValues: readonly string[] | undefined): Challenge[] {
  return (headerValues ?? []).flatMap((h) => parseValueAndParams(h) ?? []);
}

export interface AuthScope {
  resourceType: string;
  remoteName: string;
  actions: string;
}

/** parseAuthScope: exactly three colon-separated parts. */
export function parseAuthScope(scope: string): AuthScope | undefined {
  const parts = scope.split(':');
  if (parts.length !== 3) return undefined;
  return { resourceType: parts[0], remoteName: parts[1], actions: parts[2] };
}
