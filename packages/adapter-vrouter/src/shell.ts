// Building blocks of the scripts sent to the router host. Every value that reaches a script is either validated by
// a schema (ids are UUIDs, addresses IPv4, names from names.ts) or single-quoted here.
import { randomInt } from 'node:crypto';

export const q = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

const EOF_MARK = 'NETPLANE_EOF';

/** Writes a file whole and atomically (temporary file, then rename), so dnsmasq never reads half of it. */
export function writeFile(path: string, content: string): string {
  if (content.split('\n').includes(EOF_MARK)) throw new Error('content holds the here-document marker');
  return `cat > ${q(`${path}.tmp`)} <<'${EOF_MARK}'\n${content}${content.endsWith('\n') || content === '' ? '' : '\n'}${EOF_MARK}\nmv -f ${q(`${path}.tmp`)} ${q(path)}`;
}

/**
 * One `ip -batch` of many commands: one process on the host however many links it makes. `force` goes on past a
 * failing line (teardown: what is already gone is a success).
 */
export function ipBatch(lines: readonly string[], netns?: string, force = false): string {
  if (lines.length === 0) return '';
  const opts = `${netns ? `-n ${q(netns)} ` : ''}${force ? '-force ' : ''}`;
  const body = `${lines.join('\n')}\n${EOF_MARK}`;
  // A kernel booted without IPv6 refuses addrgenmode: those lines go only where IPv6 is.
  if (lines.some((l) => l.includes(' addrgenmode '))) {
    return `{ if [ -d /proc/sys/net/ipv6 ]; then cat; else grep -v ' addrgenmode '; fi; } <<'${EOF_MARK}' | ip ${opts}-batch -${force ? ' || true' : ''}\n${body}`;
  }
  return `ip ${opts}-batch - <<'${EOF_MARK}'${force ? ' || true' : ''}\n${body}`;
}

/**
 * Deletes links in one kernel operation: each is put in a group of its own for this call, then the group is deleted.
 * One `ip link del` per veth costs ~20 ms of RCU grace period each (2 s per 100 NICs here); a group is deleted with
 * one (100 in ~120 ms). A veth's peer goes with it, wherever it is (also inside a VM's namespace).
 */
export function deleteLinks(ifnames: readonly string[]): string {
  if (ifnames.length === 0) return '';
  const group = randomInt(1 << 20, 2 ** 31 - 1);
  return ipBatch(
    [...ifnames.map((n) => `link set dev ${n} group ${group}`), `link del group ${group}`],
    undefined,
    true,
  );
}

/**
 * Host-wide lock of this controller's objects: two elements (or two server nodes) never write at once. A script run
 * in a session (session.ts) has the lock already: its shell holds it, and NETPLANE_LOCKED says so.
 */
export function lockPreamble(stateRoot: string): string {
  return [
    'set -e',
    `mkdir -p ${q(stateRoot)}`,
    'if [ -z "$NETPLANE_LOCKED" ]; then',
    `  exec 9>${q(`${stateRoot}/.lock`)}`,
    '  flock -w 60 9 || { echo "netplane: router host lock busy for 60 s" >&2; exit 75; }',
    'fi',
  ].join('\n');
}

/** Marks sections of one script's output, so one round trip reads many things. */
export const SECTION = '@@netplane ';

export function splitSections(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  let key: string | null = null;
  let buf: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith(SECTION)) {
      if (key !== null) out.set(key, buf.join('\n'));
      key = line.slice(SECTION.length).trim();
      buf = [];
    } else if (key !== null) buf.push(line);
  }
  if (key !== null) out.set(key, buf.join('\n'));
  return out;
}
