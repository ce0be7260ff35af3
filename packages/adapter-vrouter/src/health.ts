// "Test connection": one round trip that reports the router host's kernel and the versions of the tools the adapter
// drives. ok needs ip and dnsmasq; what the public services need (nft; haproxy and socat for Lb) is reported when
// missing.
import type { HealthResult } from '@netplane/adapter-sdk';
import type { Ctx } from './context';
import { DOT1Q_PROBE } from './nat/public-vlan';
import { SECTION, splitSections } from './shell';

const TOOLS = {
  kernel: 'uname -sr',
  iproute2: 'ip -V',
  dnsmasq: 'dnsmasq --version | head -1',
  nftables: 'nft --version',
  haproxy: 'haproxy -v | head -1',
  socat: "socat -V | grep -m1 'socat version'",
} as const;
const REQUIRED = ['iproute2', 'dnsmasq'];

export async function healthCheck(c: Ctx, signal: AbortSignal): Promise<HealthResult> {
  const started = performance.now();
  const script = [
    ...Object.entries(TOOLS).map(([k, cmd]) => `echo '${SECTION}${k}'; (${cmd}) 2>/dev/null || true`),
    `echo '${SECTION}dot1q'; ${DOT1Q_PROBE}`,
  ].join('\n');
  const out = splitSections(await c.ssh.runOk(script, signal, 'Health check'));
  const latencyMs = Math.round(performance.now() - started);
  const versions = Object.keys(TOOLS).map(
    (k) => [k, (out.get(k) ?? '').trim().split('\n')[0] ?? ''] as const,
  );
  const missing = versions.filter(([, v]) => v === '').map(([k]) => k);
  const version = versions
    .filter(([, v]) => v !== '')
    .map(([, v]) => shorten(v))
    .join('; ');
  const bad = missing.filter((m) => REQUIRED.includes(m));
  return {
    ok: bad.length === 0,
    latencyMs,
    version,
    detail:
      bad.length > 0
        ? `missing on the router host: ${bad.join(', ')}`
        : `${c.names.prefix} on ${c.stateRoot}; ${publicVlanMode(c, out.get('dot1q'))}${missing.length > 0 ? `; not installed (public services): ${missing.join(', ')}` : ''}`,
  };
}

/** Which way a public range with a VLAN is made on this host (src/nat/public-vlan.ts). */
function publicVlanMode(c: Ctx, probe: string | undefined): string {
  const u = c.config.publicUplink;
  if (!u) return 'public VLANs: none (no publicUplink)';
  return probe?.trim() === '802.1q'
    ? `public VLANs: 802.1Q sub-interfaces ${u}.<vlan> on bridges ${c.names.prefix}u<vlan>`
    : `public VLANs: bridge only (the kernel has no 802.1Q): bridges ${c.names.prefix}u<vlan>, ${u} not used`;
}

/** `ip utility, iproute2-6.1.0, libbpf 1.1.2` → `iproute2-6.1.0`; `Dnsmasq version 2.90  Copyright…` → `dnsmasq 2.90`. */
function shorten(v: string): string {
  return v
    .replace(/^ip utility, (iproute2-[^,\s]+).*/, '$1')
    .replace(/^Dnsmasq version (\S+).*/, 'dnsmasq $1')
    .replace(/^(nftables v\S+).*/, '$1')
    .replace(/^HAProxy version (\S+).*/, 'haproxy $1')
    .replace(/^socat version (\S+).*/, 'socat $1');
}
