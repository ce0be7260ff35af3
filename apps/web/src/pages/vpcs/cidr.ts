// A quick IPv4 CIDR check for instant feedback; the engine checks containment and overlaps.
export function checkCidr(value: string): string | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value.trim());
  if (!m) return 'An IPv4 CIDR such as 10.0.0.0/16';
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return 'Each number is 0-255';
  const prefix = Number(m[5]);
  if (prefix < 8 || prefix > 29) return 'Prefix length 8-29';
  return undefined;
}
