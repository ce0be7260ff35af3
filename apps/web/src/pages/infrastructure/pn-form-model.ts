// The physical network form's text fields and their translation into the domain input (lists, ranges, labels).
import {
  DEFAULT_PHYSICAL_MTU,
  HYPERVISORS,
  type IsolationMethod,
  TRAFFIC_TYPES,
  type TrafficType,
} from '@netplane/domain';

export type PnForm = {
  name: string;
  isolationMethods: IsolationMethod[];
  tags: string;
  vlanRanges: string;
  vniRanges: string;
  /** The links' MTU as typed; DHCP hands guests this minus the overlay's overhead. */
  mtu: string;
  /** Per traffic type: whether it is carried, and its labels as "KVM=cloudbr0, VMware=vSwitch1". */
  traffic: Record<TrafficType, { isOn: boolean; labels: string }>;
};

const splitList = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

export function emptyPnForm(): PnForm {
  const traffic = Object.fromEntries(
    TRAFFIC_TYPES.map((t) => [t, { isOn: t === 'Guest', labels: '' }]),
  ) as PnForm['traffic'];
  return {
    name: '',
    isolationMethods: ['VLAN'],
    tags: '',
    vlanRanges: '',
    vniRanges: '',
    mtu: String(DEFAULT_PHYSICAL_MTU),
    traffic,
  };
}

export function pnFormFrom(pn: {
  name: string;
  isolationMethods: IsolationMethod[];
  tags: string[];
  vlanRanges: { start: number; end: number }[];
  vniRanges: { start: number; end: number }[];
  trafficTypes: { type: TrafficType; labels: Partial<Record<string, string>> }[];
  mtu?: number;
}): PnForm {
  const form = emptyPnForm();
  const fmt = (rs: { start: number; end: number }[]) =>
    rs.map((r) => (r.start === r.end ? `${r.start}` : `${r.start}-${r.end}`)).join(', ');
  for (const t of TRAFFIC_TYPES) {
    const entry = pn.trafficTypes.find((x) => x.type === t);
    form.traffic[t] = {
      isOn: Boolean(entry),
      labels: entry
        ? Object.entries(entry.labels)
            .map(([h, l]) => `${h}=${l}`)
            .join(', ')
        : '',
    };
  }
  return {
    ...form,
    name: pn.name,
    isolationMethods: pn.isolationMethods,
    tags: pn.tags.join(', '),
    vlanRanges: fmt(pn.vlanRanges),
    vniRanges: fmt(pn.vniRanges),
    mtu: String(pn.mtu ?? DEFAULT_PHYSICAL_MTU),
  };
}

/** Labels text → record; unknown hypervisors are reported against the traffic type's field. */
function parseLabels(text: string): { labels: Record<string, string>; problem?: string } {
  const labels: Record<string, string> = {};
  for (const part of splitList(text)) {
    const [hv, ...rest] = part.split('=');
    const hypervisor = HYPERVISORS.find((h) => h.toLowerCase() === hv?.trim().toLowerCase());
    if (!hypervisor || rest.length === 0) {
      return {
        labels,
        problem: `"${part}" is not HYPERVISOR=label (hypervisors: ${HYPERVISORS.join(', ')})`,
      };
    }
    labels[hypervisor] = rest.join('=').trim();
  }
  return { labels };
}

export function pnInputFrom(form: PnForm): {
  input: Record<string, unknown>;
  problems: Record<string, string>;
} {
  const problems: Record<string, string> = {};
  const trafficTypes = TRAFFIC_TYPES.filter((t) => form.traffic[t].isOn).map((t) => {
    const { labels, problem } = parseLabels(form.traffic[t].labels);
    if (problem) problems[`traffic.${t}`] = problem;
    return { type: t, labels };
  });
  return {
    input: {
      name: form.name,
      isolationMethods: form.isolationMethods,
      tags: splitList(form.tags),
      vlanRanges: splitList(form.vlanRanges),
      vniRanges: splitList(form.vniRanges),
      // Empty means the default; anything else goes to the schema as a number (it reports a non-integer).
      ...(form.mtu.trim() === '' ? {} : { mtu: Number(form.mtu) }),
      trafficTypes,
    },
    problems,
  };
}
