// The reachability matrix as the console draws it: sources (the tiers, then Outside) × destination tiers, one cell
// per pair with its verdict in words and mark (never colour alone), the rule that decides it and a link to that rule;
// the protocol chips the admin picks from; and which cells a change flipped, for the before/after view.
import type { TraceFlow, TraceHopRef } from '@netplane/domain';
import { refLink } from './path-model';

type AclRef = Extract<TraceHopRef, { type: 'aclRule' }>;

export type MatrixEnd = { id: string; name: string; cidr: string | null };
export type MatrixCell = {
  sourceId: string;
  destinationId: string;
  verdict: 'allowed' | 'denied';
  /** The ACL rule (or list default) that decides the pair; absent when nothing filters it. */
  ref?: AclRef | undefined;
  /** The list's name, for the rule's words. */
  listName?: string | undefined;
  summary: string;
};
export type Matrix = { sources: MatrixEnd[]; destinations: MatrixEnd[]; cells: MatrixCell[] };

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

export function cellOf(m: Matrix, sourceId: string, destinationId: string): MatrixCell | undefined {
  return m.cells.find((c) => c.sourceId === sourceId && c.destinationId === destinationId);
}

export type CellView = {
  verdict: 'allowed' | 'denied' | 'unknown';
  /** "Allowed" / "Denied" / "Not computed". */
  word: string;
  /** Who decides: "rule 20 of db-acl", "default of db-acl (no rule matched)", "no ACL on the path". */
  decidedBy: string;
  link?: { to: string; label: string };
  /** The cell's whole sentence for its accessible name and title. */
  label: string;
};

export function cellView(vpcId: string, m: Matrix, source: MatrixEnd, destination: MatrixEnd): CellView {
  const cell = cellOf(m, source.id, destination.id);
  const pair = `${source.name} to ${destination.name}`;
  if (!cell)
    return { verdict: 'unknown', word: 'Not computed', decidedBy: '', label: `${pair}: not computed` };
  const list = cell.listName ?? 'the ACL list';
  const decidedBy = !cell.ref
    ? 'no ACL on the path'
    : cell.ref.ruleId === null
      ? `default of ${list} (no rule matched)`
      : `rule ${cell.ref.number ?? '?'} of ${list}`;
  const word = cell.verdict === 'allowed' ? 'Allowed' : 'Denied';
  const link = refLink(vpcId, cell.ref);
  return {
    verdict: cell.verdict,
    word,
    decidedBy,
    ...(link ? { link: { to: link.to, label: `${decidedBy}` } } : {}),
    label: `${pair}: ${word.toLowerCase()} by ${decidedBy}`,
  };
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
