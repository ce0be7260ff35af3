// The connectivity check's result as a picture model: the packet's start, one node per hop and its end (delivered, or
// ✗ dropped at the hop that dropped it), each with a short label, where it happened, its status in words (so the
// picture never says it by colour alone) and a link to the Netplane object that decided it. Pure, so the picture, the
// accessible hop list beside it and the tests read the same model.
import type { TraceHop, TraceHopRef, TraceResult } from '@netplane/domain';

/** unreached: the destination after a drop, drawn greyed so the picture shows where the packet was going. */
export type NodeStatus = 'start' | 'pass' | 'drop' | 'delivered' | 'unreached';

export type PathLink = { to: string; label: string };

export type PathNode = {
  key: string;
  /** What happened, in two words: "Port security", "ACL egress", "Router", "Delivered". */
  label: string;
  /** Where: the tier, router, gateway or address. */
  place: string;
  status: NodeStatus;
  /** The status in words, read by screen readers and printed under the node. */
  statusText: string;
  summary: string;
  evidence: readonly string[];
  rewrite?: string;
  link?: PathLink;
};

const KIND_LABEL: Record<TraceHop['kind'], string> = {
  portSecurity: 'Port security',
  acl: 'ACL',
  switch: 'Switch',
  route: 'Router',
  nat: 'NAT',
  lb: 'Load balancer',
  deliver: 'Deliver',
};

/** The hop's short label: an ACL hop says its direction, a NAT hop which rewrite. */
export function hopLabel(hop: TraceHop): string {
  const ref = hop.ref;
  if (hop.kind === 'acl' && ref?.type === 'aclRule') return `ACL ${ref.trafficType.toLowerCase()}`;
  if (hop.kind === 'nat' && ref?.type === 'staticNat') return 'Static NAT';
  if (hop.kind === 'nat' && ref?.type === 'portForwarding') return 'Port forwarding';
  if (hop.kind === 'nat' && ref?.type === 'sourceNat') return 'Source NAT';
  return KIND_LABEL[hop.kind];
}

/** Where a ref leads in the console: the ACL editor at the rule (or the list, for its default), the rule sections. */
export function refLink(vpcId: string, ref: TraceHopRef | undefined): PathLink | undefined {
  const vpc = `/vpcs/${encodeURIComponent(vpcId)}`;
  switch (ref?.type) {
    case 'aclRule':
      return ref.ruleId
        ? {
            to: `${vpc}?acl=${encodeURIComponent(ref.listId)}&rule=${encodeURIComponent(ref.ruleId)}#network-acls`,
            label:
              ref.number === null
                ? 'Open the rule in the ACL editor'
                : `Open rule ${ref.number} in the ACL editor`,
          }
        : { to: `${vpc}?acl=${encodeURIComponent(ref.listId)}#network-acls`, label: 'Open the ACL list' };
    case 'staticNat':
      return { to: `${vpc}#public-ips`, label: 'Open the static NAT rules' };
    case 'portForwarding':
      return { to: `${vpc}#port-forwarding`, label: 'Open the port forwarding rules' };
    case 'lbRule':
      return { to: `${vpc}#load-balancers`, label: 'Open the load balancers' };
    case 'sourceNat':
      return { to: `${vpc}#public-addresses`, label: 'Open the public addresses' };
    default:
      return undefined;
  }
}

function hopStatusText(hop: TraceHop): string {
  if (hop.verdict === 'pass') return hop.ref?.type === 'aclRule' ? 'allowed' : 'passed';
  return hop.ref?.type === 'aclRule' ? '✗ denied here' : '✗ dropped here';
}

/** The packet's start and end points in words, as the form named them. */
export type Ends = { source: string; destination: string };

/** The nodes left to right: start, the hops, and the end (only when the trace says how it ended). */
export function pathNodes(vpcId: string, result: TraceResult, ends: Ends): PathNode[] {
  const nodes: PathNode[] = [
    {
      key: 'start',
      label: 'Source',
      place: ends.source,
      status: 'start',
      statusText: 'sends',
      summary: `The packet leaves ${ends.source}.`,
      evidence: [],
    },
  ];
  result.hops.forEach((hop, i) => {
    const link = refLink(vpcId, hop.ref);
    nodes.push({
      key: `hop-${i}`,
      label: hopLabel(hop),
      place: hop.at.name,
      status: hop.verdict,
      statusText: hopStatusText(hop),
      summary: hop.summary,
      evidence: hop.evidence,
      ...(hop.rewrite ? { rewrite: `${hop.rewrite.field} ${hop.rewrite.from} → ${hop.rewrite.to}` } : {}),
      ...(link ? { link } : {}),
    });
  });
  if (result.outcome === 'delivered') {
    const to = result.deliveredTo;
    nodes.push({
      key: 'end',
      label: 'Delivered',
      place: ends.destination,
      status: 'delivered',
      statusText: '✓ delivered',
      summary: to
        ? `Delivered to ${to.ip}${to.port === null ? '' : `:${to.port}`}.`
        : `Delivered to ${ends.destination}.`,
      evidence: [],
    });
  } else if (result.outcome === 'dropped') {
    // Dropped with no hop that says so (an implicit drop after the last hop): a drop node carries the message.
    if (!result.hops.some((h) => h.verdict === 'drop')) {
      nodes.push({
        key: 'dropped',
        label: 'Dropped',
        place: 'after the last hop',
        status: 'drop',
        statusText: '✗ dropped',
        summary: result.message,
        evidence: [],
      });
    }
    nodes.push({
      key: 'end',
      label: 'Destination',
      place: ends.destination,
      status: 'unreached',
      statusText: 'not reached',
      summary: `${ends.destination} never sees the packet.`,
      evidence: [],
    });
  }
  return nodes;
}

/** The hop that dropped the packet, if any: the picture's highlight and the result's headline link. */
export function dropNode(nodes: readonly PathNode[]): PathNode | undefined {
  return nodes.find((n) => n.status === 'drop');
}

export type Placed = PathNode & { x: number; y: number };
export type Layout = { width: number; height: number; nodes: Placed[]; edges: { key: string; d: string }[] };

export const NODE = { width: 132, height: 76, gapX: 36, gapY: 44, pad: 8 } as const;

/**
 * Rows of at most `perRow` nodes, each read left to right (never a snake, which reads backwards); a row's last node
 * joins the next row's first with a bent line through the gap between the rows.
 */
export function layoutPath(nodes: readonly PathNode[], perRow: number): Layout {
  const cols = Math.max(1, Math.min(perRow, nodes.length));
  const rows = Math.max(1, Math.ceil(nodes.length / cols));
  const placed = nodes.map((n, i) => ({
    ...n,
    x: NODE.pad + (i % cols) * (NODE.width + NODE.gapX),
    y: NODE.pad + Math.floor(i / cols) * (NODE.height + NODE.gapY),
  }));
  const edges = placed.slice(1).map((to, i) => {
    const from = placed[i] as Placed;
    const midY = from.y + NODE.height / 2;
    if (to.y === from.y) {
      return { key: `${from.key}-${to.key}`, d: `M${from.x + NODE.width} ${midY} H${to.x - 4}` };
    }
    const down = from.y + NODE.height + NODE.gapY / 2;
    return {
      key: `${from.key}-${to.key}`,
      d: `M${from.x + NODE.width / 2} ${from.y + NODE.height} V${down} H${to.x + NODE.width / 2} V${to.y - 4}`,
    };
  });
  return {
    width: NODE.pad * 2 + cols * NODE.width + (cols - 1) * NODE.gapX,
    height: NODE.pad * 2 + rows * NODE.height + (rows - 1) * NODE.gapY,
    nodes: placed,
    edges,
  };
}
