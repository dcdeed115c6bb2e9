import { describe, expect, it } from 'vitest';
import { AccessLog, type AccessEntry } from '../../sim/access-log.js';
import { TOKEN_GRANTS_KEPT, TokenStore } from '../../sim/auth.js';

const entry = (i: number): AccessEntry => ({ server: 'registry', method: 'GET', path: `/v2/${i}`, status: 200, auth: 'none' });

describe('a long-running server keeps its access log and tokens bounded', () => {
  it.each([
    [3, 2, ['/v2/0', '/v2/1'], 0],
    [3, 3, ['/v2/0', '/v2/1', '/v2/2'], 0],
    [3, 4, ['/v2/1', '/v2/2', '/v2/3'], 1],
    [3, 10, ['/v2/7', '/v2/8', '/v2/9'], 7],
  ])('limit %d, %d requests → the newest, oldest first', (limit, n, paths, dropped) => {
    const log = new AccessLog(limit);
    for (let i = 0; i < n; i++) log.push(entry(i));
    expect(log.entries().map((e) => e.path)).toEqual(paths);
    expect(log.dropped).toBe(dropped);
  });

  it('the oldest token is forgotten once the store is full; the newest still works', () => {
    const store = new TokenStore();
    const grant = { account: 'a', scopes: [] } as unknown as Parameters<TokenStore['issue']>[0];
    const first = store.issue(grant);
    let last = first;
    for (let i = 0; i < TOKEN_GRANTS_KEPT; i++) last = store.issue(grant);
    expect(store.lookup(first)).toBeUndefined();
    expect(store.lookup(last)).toBe(grant);
  });
});
