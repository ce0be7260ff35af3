// haproxy on the router host: the shell that reads it (its configuration, whether its process runs, what the running
// process serves through the stats socket: `show backend` and `show servers state`), and the shell that brings it to
// a configuration: check, then start, change members at runtime (runtime.ts), or reload seamlessly (`-x` takes the
// listening sockets over from the running process, `-sf` lets that one finish its established connections and
// exit), or stop it when no rule is left.
import type { Ctx } from '../context';
import { q, SECTION, writeFile } from '../shell';
import { type LbRule, lbPaths, parseConfig, renderConfig } from './config';
import { memberChanges, runtimeScript } from './runtime';

export type LbRuntime = {
  /** Backend (rule id) → its servers' `ip:port` in service, sorted. */
  backends: Map<string, string[]>;
  /** Backend → the names of all its servers, in service or not (one being drained after a member change). */
  servers: Map<string, Set<string>>;
};

export type LbHost = {
  /** The rules of the configuration file; [] when there is none. */
  rules: LbRule[];
  cfgText: string | null;
  foreign: boolean;
  /** The running haproxy's pid, null when it does not run. */
  pid: number | null;
  /** What the running process serves (null when it does not run or did not answer). */
  runtime: LbRuntime | null;
};

/**
 * Shell setting `live` to the pid when the pid file's process is haproxy with our configuration (else empty), and
 * printing `running <pid>` then.
 */
function runningProbe(c: Ctx, vpcId: string): string {
  const p = lbPaths(c, vpcId);
  return (
    `live=; pid=$(head -1 ${q(p.pid)} 2>/dev/null || true); if [ -n "$pid" ] && [ "$(cat /proc/$pid/comm 2>/dev/null)" = haproxy ] && ` +
    `tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF ${q(p.cfg)}; then live=$pid; echo "running $pid"; fi`
  );
}

/** Sections lbcfg, lbrun and lbapi of one read script (socat talks to the stats socket only when it runs). */
export function readScript(c: Ctx, vpcId: string): string {
  const p = lbPaths(c, vpcId);
  return [
    `echo '${SECTION}lbcfg'; cat ${q(p.cfg)} 2>/dev/null || echo '#missing'`,
    `echo '${SECTION}lbrun'; ${runningProbe(c, vpcId)}`,
    `echo '${SECTION}lbapi'`,
    `if [ -n "$live" ] && [ -S ${q(p.sock)} ]; then echo 'show backend; show servers state' | socat -t 5 stdio unix-connect:${q(p.sock)} 2>/dev/null || true; fi`,
  ].join('\n');
}

export function parseLbHost(vpcId: string, sections: Map<string, string>): LbHost {
  const text = sections.get('lbcfg') ?? '#missing\n';
  const cfgText = text.trim() === '#missing' ? null : `${text.replace(/\n+$/, '')}\n`;
  const parsed = parseConfig(vpcId, cfgText);
  const run = /^running (\d+)/.exec(sections.get('lbrun') ?? '');
  const pid = run ? Number(run[1]) : null;
  return {
    rules: parsed === null || parsed === 'foreign' ? [] : parsed,
    cfgText,
    foreign: parsed === 'foreign',
    pid,
    runtime: pid === null ? null : parseRuntime(sections.get('lbapi') ?? ''),
  };
}

/** `show backend` (a `# name` header, one name per line) then `show servers state` (a version line, a header). */
export function parseRuntime(out: string): LbRuntime | null {
  const lines = out.split('\n');
  const start = lines.indexOf('# name');
  if (start < 0) return null;
  const backends = new Map<string, string[]>();
  const servers = new Map<string, Set<string>>();
  let i = start + 1;
  for (; i < lines.length && (lines[i] ?? '').trim() !== ''; i++) {
    backends.set((lines[i] as string).trim(), []);
    servers.set((lines[i] as string).trim(), new Set());
  }
  const header = lines.findIndex((l, j) => j > i && l.startsWith('# be_id'));
  if (header < 0) return { backends, servers };
  const cols = (lines[header] as string).slice(2).split(' ');
  const col = (name: string) => cols.indexOf(name);
  for (const line of lines.slice(header + 1)) {
    const f = line.trim().split(' ');
    if (f.length < cols.length - 2) continue;
    const be = f[col('be_name')] as string;
    servers.get(be)?.add(f[col('srv_name')] as string);
    // An admin state other than 0 (maintenance, drain) takes no new connection: not a member in service.
    if (Number(f[col('srv_admin_state')]) !== 0) continue;
    backends.get(be)?.push(`${f[col('srv_addr')]}:${f[col('srv_port')]}`);
  }
  for (const list of backends.values()) list.sort();
  return { backends, servers };
}

/** Whether the running process serves exactly the rules (each backend, with exactly its members in service). */
export function runtimeMatches(host: LbHost, rules: readonly LbRule[]): boolean {
  const rt = host.runtime;
  if (!rt || rt.backends.size !== rules.length) return false;
  return rules.every((r) => {
    const have = rt.backends.get(r.ruleId);
    const want = r.members.map((m) => `${m.ip}:${r.privatePort}`).sort();
    return have !== undefined && have.join(',') === want.join(',');
  });
}

/**
 * Shell (under the host lock, after the public addresses exist) that brings haproxy to `rules`, or '' when the file
 * and the running process already match. A configuration haproxy refuses (`-c`) is never installed.
 */
export function syncScript(c: Ctx, vpcId: string, host: LbHost, rules: readonly LbRule[]): string {
  const p = lbPaths(c, vpcId);
  const ns = q(c.names.routerNs(vpcId));
  if (rules.length === 0) {
    if (host.cfgText === null && host.pid === null) return '';
    // SIGUSR1: a soft stop, the listeners close now and established connections finish.
    return [
      runningProbe(c, vpcId),
      'if [ -n "$live" ]; then kill -USR1 "$live"; fi',
      `rm -f ${q(p.cfg)} ${q(p.pid)} ${q(p.sock)} ${q(`${p.dir}/start.log`)}; rmdir ${q(p.dir)} 2>/dev/null || true`,
    ].join('\n');
  }
  const cfg = renderConfig(c, vpcId, rules);
  if (host.cfgText === cfg && host.pid !== null && runtimeMatches(host, rules)) return '';
  // The daemon must not keep the SSH channel's stdout/stderr open (the call would never end) nor the host lock
  // (fd 9, lockPreamble): its output goes to a file, shown when the start fails.
  const log = q(`${p.dir}/start.log`);
  const start = (extra: string) =>
    `ip netns exec ${ns} haproxy -D -f ${q(p.cfg)} -p ${q(p.pid)} ${extra} </dev/null >/dev/null 2>${log} 9>&-`;
  const failed = `{ cat ${log} >&2; exit 1; }`;
  // Without the sockets of the old process (its stats socket gone) the new one binds its own next to them
  // (SO_REUSEPORT): a SYN in the old listen queue at that instant may be lost, an established connection is not.
  const reload = `if [ -n "$live" ]; then { ${start(`-x ${q(p.sock)} -sf "$live"`)} || ${start('-sf "$live"')}; } || ${failed}; else ${start('')} || ${failed}; fi`;
  const changes = memberChanges(c, vpcId, host, rules);
  return [
    `mkdir -p ${q(p.dir)}`,
    writeFile(`${p.cfg}.new`, cfg),
    `haproxy -c -q -f ${q(`${p.cfg}.new`)} >&2 || { rm -f ${q(`${p.cfg}.new`)}; echo "netplane: haproxy refused the configuration" >&2; exit 1; }`,
    `mv -f ${q(`${p.cfg}.new`)} ${q(p.cfg)}`,
    `${runningProbe(c, vpcId)} >/dev/null`,
    ...(changes && host.pid !== null
      ? [runtimeScript(c, vpcId, host.pid, changes), `if [ -z "$rt_ok" ]; then ${reload}; fi`]
      : [reload]),
  ].join('\n');
}

/**
 * destroyVpc: every haproxy process of the VPC's configuration (the running one and any old one still finishing its
 * connections after a reload) is killed, and the files go. Processes are found by their command line, which names
 * our configuration file (a path with the VPC id), and their name, never by a broad pattern.
 */
export function destroyScript(c: Ctx, vpcId: string): string {
  const p = lbPaths(c, vpcId);
  return [
    `for d in /proc/[0-9]*; do [ "$(cat $d/comm 2>/dev/null)" = haproxy ] && tr '\\0' ' ' < $d/cmdline 2>/dev/null | grep -qF ${q(p.cfg)} && { kill -KILL "\${d#/proc/}" 2>/dev/null || true; }; done; true`,
    `rm -rf ${q(p.dir)}`,
  ].join('\n');
}
