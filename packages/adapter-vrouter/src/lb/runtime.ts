// Member changes through haproxy's runtime API (the stats socket), without a new process: when the running haproxy
// serves exactly the rules of its configuration and the new rules differ only in members, each new member is
// `add server` + `enable server` (a dynamic server starts in maintenance), each removed one `disable server` (no new
// connection; established ones go on) then `del server`, which haproxy refuses while the server still holds
// connections: it then stays in maintenance, out of service and out of observe's members, until the next reload.
// Anything else, or any answer but success, falls back to the seamless reload (haproxy.ts).
import type { Ctx } from '../context';
import { q } from '../shell';
import { type LbRule, lbPaths, renderConfig, sameRule } from './config';
import { type LbHost, runtimeMatches } from './haproxy';

export type MemberChanges = {
  add: { backend: string; server: string; addr: string }[];
  del: { backend: string; server: string }[];
};

/** The runtime changes from what `host` runs to `rules`, or null when they need a reload (or nothing changes). */
export function memberChanges(
  c: Ctx,
  vpcId: string,
  host: LbHost,
  rules: readonly LbRule[],
): MemberChanges | null {
  const rt = host.runtime;
  if (!rt || host.pid === null || host.cfgText !== renderConfig(c, vpcId, host.rules)) return null;
  if (!runtimeMatches(host, host.rules) || host.rules.length !== rules.length) return null;
  const out: MemberChanges = { add: [], del: [] };
  for (const r of rules) {
    const was = host.rules.find((x) => x.ruleId === r.ruleId);
    if (!was || !sameRule({ ...was, members: [] }, { ...r, members: [] })) return null;
    const names = rt.servers.get(r.ruleId) ?? new Set<string>();
    for (const m of r.members) {
      const before = was.members.find((x) => x.nicId === m.nicId);
      if (before && before.ip === m.ip) continue;
      // A NIC with another address, or a name still held by a draining server: a reload starts clean.
      if (before || names.has(m.nicId)) return null;
      out.add.push({ backend: r.ruleId, server: m.nicId, addr: `${m.ip}:${r.privatePort}` });
    }
    for (const m of was.members) {
      if (!r.members.some((x) => x.nicId === m.nicId)) out.del.push({ backend: r.ruleId, server: m.nicId });
    }
  }
  return out.add.length + out.del.length > 0 ? out : null;
}

/**
 * Shell that applies the changes through the stats socket, clearing `rt_ok` when haproxy answers anything but
 * success to an add (the caller then reloads). New members first, so a backend never runs empty meanwhile.
 */
export function runtimeScript(c: Ctx, vpcId: string, pid: number, ch: MemberChanges): string {
  const sock = q(lbPaths(c, vpcId).sock);
  const api = (cmd: string) => `echo ${q(cmd)} | socat -t 5 stdio unix-connect:${sock} 2>&1`;
  const lines = [`rt_ok=; if [ "$live" = ${pid} ] && command -v socat >/dev/null; then rt_ok=1; fi`];
  for (const a of ch.add) {
    const name = `${a.backend}/${a.server}`;
    lines.push(
      `if [ -n "$rt_ok" ]; then case "$(${api(`add server ${name} ${a.addr}`)})" in *'New server registered'*) ${api(`enable server ${name}`)} >/dev/null ;; *) rt_ok= ;; esac; fi`,
    );
  }
  for (const d of ch.del) {
    const name = `${d.backend}/${d.server}`;
    lines.push(
      `if [ -n "$rt_ok" ]; then ${api(`disable server ${name}`)} >/dev/null; ${api(`del server ${name}`)} >/dev/null || true; fi`,
    );
  }
  return lines.join('\n');
}
