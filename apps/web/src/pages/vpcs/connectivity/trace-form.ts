// The "Check connectivity" form as typed (every field a string, as the controls hold them) and its parse into the
// API's input through the domain's own connectivityTraceInputSchema, so a bad address or port shows under its field
// before any request. Sources and destinations are picked from lists: NICs by tier (VM name and IP), the VPC's public
// addresses, or an address typed for "outside" / "any address".
import { type ConnectivityTraceInput, connectivityTraceInputSchema } from '@netplane/domain';

export type NicChoice = { id: string; tierName: string; vmName: string; ip: string };
export type PublicIpChoice = { id: string; address: string };

export type TraceForm = {
  /** `nic:<id>` or `outside`. */
  source: string;
  sourceIp: string;
  /** `nic:<id>`, `publicIp:<id>` or `ip`. */
  destination: string;
  destinationIp: string;
  protocol: 'tcp' | 'udp' | 'icmp';
  port: string;
};
export type TraceFormErrors = Partial<Record<keyof TraceForm, string>>;

export const emptyTraceForm = (
  prefill: { sourceNicId?: string; destinationNicId?: string } = {},
): TraceForm => ({
  source: prefill.sourceNicId ? `nic:${prefill.sourceNicId}` : '',
  sourceIp: '',
  destination: prefill.destinationNicId ? `nic:${prefill.destinationNicId}` : '',
  destinationIp: '',
  protocol: 'tcp',
  port: '',
});

/** A NIC in a list: "web-1 · 10.1.1.5". */
export const nicLabel = (n: NicChoice) => `${n.vmName} · ${n.ip}`;

/** The form's ends in words, for the picture's first and last node. */
export function endNames(
  f: TraceForm,
  nics: readonly NicChoice[],
  publicIps: readonly PublicIpChoice[],
): { source: string; destination: string } {
  const nic = (v: string) => nics.find((n) => `nic:${n.id}` === v);
  const src = nic(f.source);
  const dst = nic(f.destination);
  const pip = publicIps.find((p) => `publicIp:${p.id}` === f.destination);
  return {
    source: src ? `${src.vmName} ${src.ip}` : f.sourceIp.trim() || 'outside',
    destination: dst ? `${dst.vmName} ${dst.ip}` : pip ? pip.address : f.destinationIp.trim() || 'address',
  };
}

function sourceOf(f: TraceForm): unknown {
  if (f.source.startsWith('nic:')) return { kind: 'nic', nicId: f.source.slice(4) };
  if (f.source === 'outside') return { kind: 'outside', ip: f.sourceIp.trim() };
  return undefined;
}

function destinationOf(f: TraceForm): unknown {
  if (f.destination.startsWith('nic:')) return { kind: 'nic', nicId: f.destination.slice(4) };
  if (f.destination.startsWith('publicIp:')) return { kind: 'publicIp', publicIpId: f.destination.slice(9) };
  if (f.destination === 'ip') return { kind: 'ip', ip: f.destinationIp.trim() };
  return undefined;
}

const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s.trim()));

/** The form checked by the domain's schema: the API's input, or the first message per field. */
export function parseTraceForm(
  vpcId: string,
  f: TraceForm,
): { input: ConnectivityTraceInput } | { errors: TraceFormErrors } {
  const errors: TraceFormErrors = {};
  if (!f.source) errors.source = 'Pick where the packet starts';
  if (!f.destination) errors.destination = 'Pick where it goes';
  if (f.source.startsWith('nic:') && f.source === f.destination)
    errors.destination = 'Pick another NIC than the source';
  const flow = f.protocol === 'icmp' ? { protocol: 'icmp' } : { protocol: f.protocol, port: num(f.port) };
  const r = connectivityTraceInputSchema.safeParse({
    vpcId,
    source: sourceOf(f),
    destination: destinationOf(f),
    flow,
  });
  if (r.success && Object.keys(errors).length === 0) return { input: r.data };
  for (const issue of r.success ? [] : r.error.issues) {
    const [part, key] = issue.path.map(String);
    const field: keyof TraceForm | undefined =
      part === 'flow'
        ? 'port'
        : part === 'source'
          ? key === 'ip'
            ? 'sourceIp'
            : 'source'
          : part === 'destination'
            ? key === 'ip'
              ? 'destinationIp'
              : 'destination'
            : undefined;
    if (!field || errors[field]) continue;
    errors[field] =
      field === 'port'
        ? 'A port from 1 to 65535'
        : field.endsWith('Ip')
          ? 'An IPv4 address, e.g. 203.0.113.7'
          : issue.message;
  }
  return { errors };
}

/** The flow in words: "tcp/5432", "icmp". */
export function flowText(flow: ConnectivityTraceInput['flow']): string {
  return flow.protocol === 'icmp' ? 'icmp' : `${flow.protocol}/${flow.port}`;
}

/** A recorded check's ends in words (the recent checks list): NICs by VM and IP, addresses as they are. */
export function endsOfInput(
  input: ConnectivityTraceInput,
  nics: readonly NicChoice[],
  publicIps: readonly PublicIpChoice[],
): { source: string; destination: string } {
  const nic = (id: string) => {
    const n = nics.find((x) => x.id === id);
    return n ? `${n.vmName} ${n.ip}` : `NIC ${id.slice(0, 8)}`;
  };
  const s = input.source;
  const d = input.destination;
  return {
    source: s.kind === 'nic' ? nic(s.nicId) : s.ip,
    destination:
      d.kind === 'nic'
        ? nic(d.nicId)
        : d.kind === 'publicIp'
          ? (publicIps.find((p) => p.id === d.publicIpId)?.address ?? `address ${d.publicIpId.slice(0, 8)}`)
          : d.ip,
  };
}
