// tRPC over HTTP as the console speaks it (session cookie, x-csrf-token), plus httpBatchLink's wire format: several
// procedures in one request (`/trpc/a,b?batch=1`, inputs keyed "0", "1", ...), one result per procedure.
type Envelope = {
  result?: { data?: unknown };
  error?: { message?: string; data?: { code?: string; appCode?: string } };
};

export class BenchApi {
  private cookie = '';
  private csrf = '';

  constructor(readonly baseUrl: string) {}

  async login(username: string, password: string): Promise<void> {
    const [s] = await this.batch<{ csrfToken: string }>('mutation', [['auth.login', { username, password }]]);
    this.csrf = s?.csrfToken ?? '';
  }

  query<T>(path: string, input?: unknown): Promise<T> {
    return this.batch<T>('query', [[path, input]]).then((r) => r[0] as T);
  }

  mutate<T>(path: string, input?: unknown): Promise<T> {
    return this.batch<T>('mutation', [[path, input]]).then((r) => r[0] as T);
  }

  /** CONFLICT answers ("try again") re-sent, as the console's user would; counted for the report. */
  conflictsRetried = 0;

  /**
   * One HTTP request for every call; the calls answered CONFLICT (a lost compare-and-set, nothing written) are sent
   * again, up to 5 times; throws on any other failure (the bench wants all or nothing).
   */
  async batch<T>(kind: 'query' | 'mutation', calls: readonly (readonly [string, unknown])[]): Promise<T[]> {
    const out = new Array<T>(calls.length);
    let todo = calls.map((_, i) => i);
    for (let attempt = 0; ; attempt++) {
      const settled = await this.send<T>(
        kind,
        todo.map((i) => calls[i] as readonly [string, unknown]),
      );
      const again: number[] = [];
      settled.forEach((r, k) => {
        const i = todo[k] as number;
        if (r.ok) out[i] = r.data;
        else if (r.code === 'CONFLICT' && attempt < 5) again.push(i);
        else throw new Error(r.message);
      });
      if (again.length === 0) return out;
      this.conflictsRetried += again.length;
      todo = again;
      await new Promise((r) => setTimeout(r, 10 * (attempt + 1)));
    }
  }

  private async send<T>(
    kind: 'query' | 'mutation',
    calls: readonly (readonly [string, unknown])[],
  ): Promise<({ ok: true; data: T } | { ok: false; code: string; message: string })[]> {
    const paths = calls.map((c) => c[0]).join(',');
    const inputs = Object.fromEntries(calls.map((c, i) => [String(i), c[1] ?? {}]));
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf) headers['x-csrf-token'] = this.csrf;
    const url = `${this.baseUrl}/trpc/${paths}?batch=1`;
    const res =
      kind === 'query'
        ? await fetch(`${url}&input=${encodeURIComponent(JSON.stringify(inputs))}`, { headers })
        : await fetch(url, {
            method: 'POST',
            headers: { ...headers, 'content-type': 'application/json' },
            body: JSON.stringify(inputs),
          });
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    if (set.length > 0) this.cookie = set.join('; ');
    const body = (await res.json().catch(() => [])) as Envelope[] | Envelope;
    const list = Array.isArray(body) ? body : [body];
    return list.map((e, i) => {
      if (e.error || !e.result) {
        const code = e.error?.data?.appCode ?? e.error?.data?.code ?? '';
        const message = `${calls[i]?.[0]}: HTTP ${res.status} ${code} ${e.error?.message ?? res.statusText}`;
        return { ok: false as const, code, message };
      }
      return { ok: true as const, data: e.result.data as T };
    });
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

export const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};
