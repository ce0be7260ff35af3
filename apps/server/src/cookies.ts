// A tiny cookie parser and the session cookie's Set-Cookie value (HttpOnly, SameSite=Strict, Path=/, Secure on TLS).
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header || header.length > 8192) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    const raw = part
      .slice(i + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name in out) continue; // the first (most specific path) wins, as browsers send it
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

export function sessionCookie(
  name: string,
  value: string,
  opts: { expiresAt: number | null; secure: boolean },
) {
  const parts = [`${name}=${encodeURIComponent(value)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (opts.expiresAt === null) parts.push('Max-Age=0', 'Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  else parts.push(`Expires=${new Date(opts.expiresAt).toUTCString()}`);
  if (opts.secure) parts.push('Secure');
  return parts.join('; ');
}
