// ovn-trace, read: the microflow expression for a packet described in TypeScript, and the parser of `ovn-trace
// --detailed --no-friendly-names` output into a verdict (delivered to which logical ports, or dropped at which stage
// and by which flow) with every stage it went through. The OVN adapter's connectivity check and the test helper
// (./testing/ovn-trace.ts) share it, so a test's direct run and the product read ovn-trace the same way.

/** A packet entering the logical switch `datapath` on logical port `inport`. */
export type TracePacket = {
  datapath: string;
  inport: string;
  ethSrc: string;
  ethDst: string;
} & (
  | { kind: 'ip4'; ip4Src: string; ip4Dst: string; proto: 'tcp' | 'udp'; srcPort?: number; dstPort: number }
  /** Echo request (8/0) unless told. */
  | { kind: 'ip4'; ip4Src: string; ip4Dst: string; proto: 'icmp4'; icmpType?: number; icmpCode?: number }
  /** A DHCPDISCOVER: 0.0.0.0:68 → 255.255.255.255:67 from ethSrc (ethDst is the broadcast address). */
  | { kind: 'dhcpDiscover' }
);

export type TraceStage = {
  /** ingress / egress, with the datapath ovn-trace names (a UUID under --no-friendly-names). */
  pipeline: string;
  datapath: string;
  /** The logical ports of the pipeline's header: where the packet came in, and (egress) where it is going out. */
  inport: string;
  outport?: string;
  table: number;
  /** The stage name, e.g. ls_in_apply_port_sec. */
  stage: string;
  match: string;
  priority: number;
  actions: string[];
};

export type TraceVerdict = {
  /** Logical ports the packet leaves on (patch ports between switch and router are hops, not deliveries). */
  delivered: { port: string; type: string }[];
  /** The flow whose actions dropped it, when nothing was delivered (or the last stage seen, for an implicit drop). */
  dropped?: { stage: string; table: number; match: string; why: string };
  /** The options a put_dhcp_opts action would answer with, when the packet was a DHCP request northd answers. */
  dhcpOffer?: Record<string, string>;
  stages: TraceStage[];
  /** ovn-trace's own output, for failure messages. */
  raw: string;
};

/** The ovn-trace microflow expression for a packet. */
export function microflow(p: TracePacket): string {
  const base = [`inport == "${p.inport}"`, `eth.src == ${p.ethSrc}`];
  if (p.kind === 'dhcpDiscover')
    return [
      ...base,
      'eth.dst == ff:ff:ff:ff:ff:ff',
      'ip4.src == 0.0.0.0',
      'ip4.dst == 255.255.255.255',
      'ip.ttl == 64',
      'udp.src == 68',
      'udp.dst == 67',
    ].join(' && ');
  const l3 = [
    ...base,
    `eth.dst == ${p.ethDst}`,
    `ip4.src == ${p.ip4Src}`,
    `ip4.dst == ${p.ip4Dst}`,
    'ip.ttl == 64',
  ];
  if (p.proto === 'icmp4')
    return [...l3, `icmp4.type == ${p.icmpType ?? 8}`, `icmp4.code == ${p.icmpCode ?? 0}`].join(' && ');
  return [...l3, `${p.proto}.src == ${p.srcPort ?? 40000}`, `${p.proto}.dst == ${p.dstPort}`].join(' && ');
}

const HEADER = /^(ingress|egress)\(dp="([^"]+)", inport="([^"]*)"(?:, outport="([^"]*)")?/;
const STAGE = /^\s*(\d+)\. (\S+) \([^)]*\): (.*), priority (\d+), uuid \w+$/;
const OUTPUT = /\/\* output to "([^"]+)", type "([^"]*)" \*\//;

/** Parses ovn-trace's --detailed output. */
export function parseTrace(raw: string): TraceVerdict {
  const stages: TraceStage[] = [];
  const delivered: TraceVerdict['delivered'] = [];
  let dropped: TraceVerdict['dropped'];
  let dhcpOffer: Record<string, string> | undefined;
  let pipeline = '';
  let datapath = '';
  let inport = '';
  let outport: string | undefined;
  for (const line of raw.split('\n')) {
    const h = HEADER.exec(line.trim());
    if (h) {
      pipeline = h[1] ?? '';
      datapath = h[2] ?? '';
      inport = h[3] ?? '';
      outport = h[4];
      continue;
    }
    const s = STAGE.exec(line);
    if (s) {
      stages.push({
        pipeline,
        datapath,
        inport,
        ...(outport !== undefined ? { outport } : {}),
        table: Number(s[1]),
        stage: s[2] ?? '',
        match: s[3] ?? '',
        priority: Number(s[4]),
        actions: [],
      });
      continue;
    }
    const current = stages.at(-1);
    const action = line.trim();
    if (!current || action === '') continue;
    current.actions.push(action);
    const out = OUTPUT.exec(action);
    // A patch port is the hop between a switch and its router, not where the packet ends up.
    if (out && out[2] !== 'patch') delivered.push({ port: out[1] ?? '', type: out[2] ?? '' });
    if (action === 'drop;' || action.startsWith('/* drop')) {
      dropped ??= { stage: current.stage, table: current.table, match: current.match, why: action };
    }
    const dhcp = /put_dhcp_opts\((.*)\);/.exec(action);
    if (dhcp) dhcpOffer = parseOptions(dhcp[1] ?? '');
  }
  if (delivered.length === 0 && !dropped) {
    const last = stages.at(-1);
    dropped = {
      stage: last?.stage ?? '(none)',
      table: last?.table ?? -1,
      match: last?.match ?? '',
      why: 'no flow output the packet (implicit drop)',
    };
  }
  return {
    delivered,
    ...(delivered.length === 0 ? { dropped } : {}),
    ...(dhcpOffer ? { dhcpOffer } : {}),
    stages,
    raw,
  };
}

/** `a = 1, b = {x, y}, c = "s"` → { a: '1', b: '{x, y}', c: '"s"' }: commas inside braces or quotes do not split. */
function parseOptions(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let depth = 0;
  let quoted = false;
  let cur = '';
  const flush = () => {
    const eq = cur.indexOf('=');
    if (eq > 0) out[cur.slice(0, eq).trim()] = cur.slice(eq + 1).trim();
    cur = '';
  };
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '{') depth++;
    else if (!quoted && c === '}') depth--;
    if (c === ',' && depth === 0 && !quoted) flush();
    else cur += c;
  }
  flush();
  return out;
}
