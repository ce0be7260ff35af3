// The reachability matrix as the console draws it: sources (the tiers, then Outside) × destination tiers, one cell
// per pair with its verdict in words and mark (never colour alone), the rule that decides it and a link to that rule;
// the protocol chips the admin picks from; and which cells a change flipped, for the before/after view.
import type { TraceFlow, TraceHopRef } from '@netplane/domain';
import { refLink } from './path-model';

export type MatrixEnd = { id: string; name: string; cidr: string | null };
export type MatrixCell = {
  sourceId: string;
  destinationId: string;
  /** unknown: nothing to trace (a tier with no NIC). */
  verdict: 'allowed' | 'denied' | 'unknown';
  /** What decides the pair: the ACL rule (or list default), the NAT / LB / forwarding rule used inbound. */
  ref?: TraceHopRef | undefined;
  /** The ACL list's name, for the rule's words. */
  listName?: string | undefined;
  /** The trace's reason (Delivered, AclDenied, NoNic, NoInboundRule...). */
  reason: string;
  /** The server's sentence, said when no rule decides (no NIC, no inbound rule). */
  message: string;
};
export type Matrix = { sources: MatrixEnd[]; destinations: MatrixEnd[]; cells: MatrixCell[] };

/** The parts of the API's reachability matrix (domain reachabilityMatrixSchema) the grid reads. */
export type MatrixRecord = {
  protocols: TraceFlow[];
  tiers: { networkId: string; name: string; cidr: string; nicId: string | null }[];
  cells: {
    source: string | null;
    destination: string;
    flow: number;
    allowed: boolean;
    reason: string;
    message: string;
    decidingRef: TraceHopRef | null;
  }[];
};

/** The id of the Outside row (traffic arriving on the VPC's public side). */
export const OUTSIDE = 'outside';

export type FlowChip = { key: string; label: string; flow: TraceFlow };
export const FLOW_CHIPS: readonly FlowChip[] = [
  { key: 'tcp/22', label: 'SSH tcp/22', flow: { protocol: 'tcp', port: 22 } },
  { key: 'tcp/443', label: 'HTTPS tcp/443', flow: { protocol: 'tcp', port: 443 } },
  { key: 'icmp', label: 'Ping icmp', flow: { protocol: 'icmp', icmpType: 8, icmpCode: 0 } },
];

/** A custom flow typed as "tcp/5432", "udp/53" or "icmp"; null when it is not one. */
export function parseFlow(text: string): TraceFlow | null {
  const t = text.trim().toLowerCase();
  if (t === 'icmp') return { protocol: 'icmp', icmpType: 8, icmpCode: 0 };
  const m = /^(tcp|udp)\s*[/:]\s*(\d{1,5})$/.exec(t);
  const port = Number(m?.[2]);
  if (!m || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  return { protocol: m[1] as 'tcp' | 'udp', port };
}

export const flowKey = (f: TraceFlow) => (f.protocol === 'icmp' ? 'icmp' : `${f.protocol}/${f.port}`);

/** One flow of a recorded matrix as the grid: rows the tiers then Outside, columns the tiers. */
export function gridOf(
  record: MatrixRecord,
  flowIndex: number,
  listNames: ReadonlyMap<string, string>,
): Matrix {
  const tiers = record.tiers.map((t) => ({ id: t.networkId, name: t.name, cidr: t.cidr }));
  return {
    sources: [...tiers, { id: OUTSIDE, name: 'Outside', cidr: null }],
    destinations: tiers,
    cells: record.cells
      .filter((c) => c.flow === flowIndex)
      .map((c) => {
        const ref = c.decidingRef ?? undefined;
        return {
          sourceId: c.source ?? OUTSIDE,
          destinationId: c.destination,
          verdict: c.allowed ? 'allowed' : c.reason === 'NoNic' ? 'unknown' : 'denied',
          ref,
          listName: ref?.type === 'aclRule' ? listNames.get(ref.listId) : undefined,
          reason: c.reason,
          message: c.message,
        };
      }),
  };
}

export function cellOf(m: Matrix, sourceId: string, destinationId: string): MatrixCell | undefined {
  return m.cells.find((c) => c.sourceId === sourceId && c.destinationId === destinationId);
}

export type CellView = {
  verdict: MatrixCell['verdict'];
  /** "Allowed" / "Denied" / "Nothing to trace" / "Not computed". */
  word: string;
  /** Who decides: "rule 20 of db-acl", "default of db-acl (no rule matched)", or the server's sentence. */
  decidedBy: string;
  link?: { to: string; label: string };
  /** The cell's whole sentence, for its title and the link's accessible name. */
  label: string;
  /** The server's own sentence about the pair. */
  message: string;
};

export function cellView(vpcId: string, m: Matrix, source: MatrixEnd, destination: MatrixEnd): CellView {
  const cell = cellOf(m, source.id, destination.id);
  const pair = `${source.name} to ${destination.name}`;
  if (!cell) {
    return {
      verdict: 'unknown',
      word: 'Not computed',
      decidedBy: '',
      label: `${pair}: not computed`,
      message: '',
    };
  }
  const decidedBy = decidedByText(cell);
  const word = WORD[cell.verdict];
  const link = refLink(vpcId, cell.ref);
  return {
    verdict: cell.verdict,
    word,
    decidedBy,
    ...(link ? { link: { to: link.to, label: decidedBy } } : {}),
    label:
      cell.verdict === 'unknown' ? `${pair}: ${decidedBy}` : `${pair}: ${word.toLowerCase()} by ${decidedBy}`,
    message: cell.message,
  };
}

const WORD = { allowed: 'Allowed', denied: 'Denied', unknown: 'Nothing to trace' } as const;

function decidedByText(cell: MatrixCell): string {
  const ref = cell.ref;
  const list = cell.listName ?? 'the ACL list';
  switch (ref?.type) {
    case 'aclRule':
      return ref.ruleId === null
        ? `default of ${list} (no rule matched)`
        : `rule ${ref.number ?? '?'} of ${list}`;
    case 'staticNat':
      return 'its static NAT';
    case 'portForwarding':
      return 'a port forwarding rule';
    case 'lbRule':
      return 'a load balancer';
    case 'sourceNat':
      return `source NAT ${ref.publicIp}`;
    default:
      // Short words for the cases every Outside row repeats; the server's whole sentence is the cell's title.
      if (cell.reason === 'NoInboundRule') return 'no NAT, forwarding or LB rule leads in';
      if (cell.verdict === 'allowed' && cell.sourceId === cell.destinationId)
        return 'same tier, no ACL between';
      return cell.message;
  }
}

/** `source→destination` keys of the cells whose verdict differs between two matrices of the same flow. */
export function changedCells(before: Matrix, after: Matrix): Set<string> {
  const changed = new Set<string>();
  for (const a of after.cells) {
    const b = cellOf(before, a.sourceId, a.destinationId);
    if (!b || b.verdict !== a.verdict) changed.add(`${a.sourceId}→${a.destinationId}`);
  }
  for (const b of before.cells) {
    if (!cellOf(after, b.sourceId, b.destinationId)) changed.add(`${b.sourceId}→${b.destinationId}`);
  }
  return changed;
}

/** The newest after-matrix and the before-matrix of the same ACL change (one changeId), if both were recorded. */
export function lastChange<M extends { kind: string; changeId: string | null }>(
  history: readonly M[],
): { before: M; after: M } | null {
  const after = history.find((m) => m.kind === 'after' && m.changeId);
  const before = after && history.find((m) => m.kind === 'before' && m.changeId === after.changeId);
  return after && before ? { before, after } : null;
}
