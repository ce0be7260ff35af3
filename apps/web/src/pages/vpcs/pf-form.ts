// The port forwarding form as data: the text of its fields, checked with the domain's own rules (ports 1-65535,
// start ≤ end, both ranges the same length, at most MAX_FORWARDED_PORTS) into either the API input or one message per
// field. An empty end port means "the start port" (a single-port forward), as most rules are.
import {
  type CreatePortForwardingInput,
  type PortForwardingProtocol,
  portRangeIssues,
  portSchema,
} from '@netplane/domain';

export type PfForm = {
  publicIpId: string;
  nicId: string;
  protocol: PortForwardingProtocol;
  publicPortStart: string;
  publicPortEnd: string;
  privatePortStart: string;
  privatePortEnd: string;
};

export type PfField = keyof PfForm;
export type PfCheck =
  | { input: CreatePortForwardingInput; errors?: undefined }
  | { input?: undefined; errors: Partial<Record<PfField, string>> };

export const EMPTY_PF_FORM: PfForm = {
  publicIpId: '',
  nicId: '',
  protocol: 'tcp',
  publicPortStart: '',
  publicPortEnd: '',
  privatePortStart: '',
  privatePortEnd: '',
};

const PORT_FIELDS = ['publicPortStart', 'publicPortEnd', 'privatePortStart', 'privatePortEnd'] as const;

export function checkPfForm(f: PfForm): PfCheck {
  const errors: Partial<Record<PfField, string>> = {};
  if (!f.publicIpId) errors.publicIpId = 'Choose an acquired public IP';
  if (!f.nicId) errors.nicId = 'Choose the NIC that receives the traffic';
  const text = {
    publicPortStart: f.publicPortStart,
    publicPortEnd: f.publicPortEnd.trim() === '' ? f.publicPortStart : f.publicPortEnd,
    privatePortStart: f.privatePortStart,
    privatePortEnd: f.privatePortEnd.trim() === '' ? f.privatePortStart : f.privatePortEnd,
  };
  const ports: Partial<Record<(typeof PORT_FIELDS)[number], number>> = {};
  for (const k of PORT_FIELDS) {
    const v = text[k].trim();
    const n = Number(v);
    if (v === '' || !portSchema.safeParse(n).success) errors[k] = 'A port from 1 to 65535';
    else ports[k] = n;
  }
  const { publicPortStart, publicPortEnd, privatePortStart, privatePortEnd } = ports;
  if (
    publicPortStart === undefined ||
    publicPortEnd === undefined ||
    privatePortStart === undefined ||
    privatePortEnd === undefined
  )
    return { errors };
  const ranges = { publicPortStart, publicPortEnd, privatePortStart, privatePortEnd };
  for (const issue of portRangeIssues(ranges)) errors[issue.path] ??= issue.message;
  if (Object.keys(errors).length > 0) return { errors };
  return { input: { publicIpId: f.publicIpId, nicId: f.nicId, protocol: f.protocol, ...ranges } };
}

/** "2222" or "2222-2224". */
export const portsLabel = (start: number, end: number) => (start === end ? `${start}` : `${start}-${end}`);

/** Server refusals that belong to one field rather than to the whole form. */
export const FIELD_OF_REASON: Record<string, PfField> = {
  PORT_RANGE_OVERLAP: 'publicPortStart',
  LB_PORT_OVERLAP: 'publicPortStart',
  PUBLIC_IP_STATIC_NAT: 'publicIpId',
  PUBLIC_IP_OTHER_VPC: 'publicIpId',
  PUBLIC_IP_NOT_ACQUIRED: 'publicIpId',
  CAPABILITY_MISSING: 'protocol',
};
