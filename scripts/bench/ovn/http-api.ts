// A minimal tRPC-over-HTTP client for the OVN benchmark: GET queries, POST mutations, the session cookie and the
// x-csrf-token of auth.login, so the benchmark drives the server exactly as the web console does.
type Envelope = {
  result?: { data?: unknown };
  error?: { message?: string; data?: { code?: string; appCode?: string; httpStatus?: number } };
};

export class HttpApi {
  private cookie = '';
  private csrfToken = '';

  constructor(readonly baseUrl: string) {}

  async query<T>(path: string, input?: unknown): Promise<T> {
    const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.read<T>(path, await fetch(`${this.baseUrl}/trpc/${path}${qs}`, { headers: this.headers() }));
  }

  async mutate<T>(path: string, input?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/trpc/${path}`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
    });
    return this.read<T>(path, res);
  }

  async login(username: string, password: string): Promise<void> {
    const s = await this.mutate<{ csrfToken: string }>('auth.login', { username, password });
    this.csrfToken = s.csrfToken;
  }

  private headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrfToken) h['x-csrf-token'] = this.csrfToken;
    return h;
  }

  private async read<T>(path: string, res: Response): Promise<T> {
    // Keep only the cookie's name=value; the session cookie is the only one the server sets.
    const set = res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '');
    if (set.length > 0) this.cookie = set.join('; ');
    const body = (await res.json().catch(() => ({}))) as Envelope;
    if (!res.ok || body.error) {
      const e = body.error;
      const code = e?.data?.appCode ?? e?.data?.code ?? '';
      throw new Error(`${path}: HTTP ${res.status} ${code} ${e?.message ?? res.statusText}`);
    }
    return body.result?.data as T;
  }
}
