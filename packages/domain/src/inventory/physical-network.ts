// Physical networks: isolation methods, tags, broadcast-domain ranges, traffic types with hypervisor labels, state.
import { z } from 'zod';
import {
  HYPERVISORS,
  ISOLATION_METHODS,
  type IsolationMethod,
  isolationMethodSchema,
  TRAFFIC_TYPES,
} from '../vocabulary';
import { idSchema, nameSchema, timestampsShape, versionSchema } from './common';
import { type IdRange, type KindedRange, rangeListSchema } from './ranges';
import { tagListSchema } from './tags';
import { enableStateSchema } from './zone';

/** None given means VLAN, as in CloudStack; duplicates (in any case) collapse. */
export const isolationMethodListSchema = z
  .array(isolationMethodSchema)
  .max(5)
  .transform((ms): IsolationMethod[] => (ms.length === 0 ? ['VLAN'] : [...new Set(ms)]));

const hypervisorLabelsSchema = z.partialRecord(z.enum(HYPERVISORS), z.string().trim().min(1).max(255));

export const trafficTypeEntrySchema = z.object({
  type: z.enum(TRAFFIC_TYPES),
  /** One label per hypervisor: the name of the bridge/port group that carries this traffic on that hypervisor. */
  labels: hypervisorLabelsSchema.default({}),
});
export type TrafficTypeEntry = z.infer<typeof trafficTypeEntrySchema>;

export const trafficTypeListSchema = z
  .array(trafficTypeEntrySchema)
  .max(TRAFFIC_TYPES.length)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((t, i) => {
      if (seen.has(t.type))
        ctx.addIssue({ code: 'custom', path: [i, 'type'], message: `${t.type} is listed twice` });
      seen.add(t.type);
    });
  });

const NEEDS_VLAN = new Set<IsolationMethod>(['VLAN']);
const NEEDS_VNI = new Set<IsolationMethod>(['VXLAN', 'GENEVE', 'GRE', 'STT']);

/** The MTU of the physical network's links when none is given: plain Ethernet. */
export const DEFAULT_PHYSICAL_MTU = 1500;
/**
 * The MTU of the physical network's links (the underlay). Guests get less on overlays: the adapter takes off the
 * encapsulation overhead of the tier's isolation method when it hands the MTU out by DHCP.
 */
export const physicalMtuSchema = z
  .number()
  .int()
  .min(1280, 'an MTU below 1280 leaves too little room for an overlay')
  .max(9216, 'an MTU above 9216 (jumbo frames) is not a real link');

const pnFields = {
  mtu: physicalMtuSchema,
  isolationMethods: isolationMethodListSchema,
  tags: tagListSchema,
  vlanRanges: rangeListSchema('vlan'),
  vniRanges: rangeListSchema('vni'),
  trafficTypes: trafficTypeListSchema,
  state: enableStateSchema,
};

/** A range list is only meaningful with an isolation method that uses that kind of id. */
export function rangeIsolationProblems(v: {
  isolationMethods: readonly IsolationMethod[];
  vlanRanges: readonly IdRange[];
  vniRanges: readonly IdRange[];
}): { path: 'vlanRanges' | 'vniRanges'; message: string }[] {
  const problems: { path: 'vlanRanges' | 'vniRanges'; message: string }[] = [];
  if (v.vlanRanges.length > 0 && !v.isolationMethods.some((m) => NEEDS_VLAN.has(m))) {
    problems.push({ path: 'vlanRanges', message: 'VLAN ranges need the VLAN isolation method' });
  }
  if (v.vniRanges.length > 0 && !v.isolationMethods.some((m) => NEEDS_VNI.has(m))) {
    problems.push({
      path: 'vniRanges',
      message: 'VNI ranges need an overlay isolation method (VXLAN, GENEVE, GRE or STT)',
    });
  }
  return problems;
}

export const physicalNetworkCreateInput = z
  .object({
    zoneId: idSchema,
    name: nameSchema,
    isolationMethods: pnFields.isolationMethods.prefault([]),
    tags: pnFields.tags.default([]),
    vlanRanges: pnFields.vlanRanges.default([]),
    vniRanges: pnFields.vniRanges.default([]),
    trafficTypes: pnFields.trafficTypes.default([]),
    mtu: pnFields.mtu.default(DEFAULT_PHYSICAL_MTU),
    state: pnFields.state.default('Disabled'),
  })
  .superRefine((v, ctx) => {
    for (const p of rangeIsolationProblems(v))
      ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });
export type PhysicalNetworkCreateInput = z.infer<typeof physicalNetworkCreateInput>;

/** Fields left out stay as they are; lists given replace the stored list. */
export const physicalNetworkUpdateInput = z.object({
  id: idSchema,
  version: versionSchema.optional(),
  name: nameSchema.optional(),
  isolationMethods: pnFields.isolationMethods.optional(),
  tags: pnFields.tags.optional(),
  vlanRanges: pnFields.vlanRanges.optional(),
  vniRanges: pnFields.vniRanges.optional(),
  trafficTypes: pnFields.trafficTypes.optional(),
  mtu: pnFields.mtu.optional(),
});
export type PhysicalNetworkUpdateInput = z.infer<typeof physicalNetworkUpdateInput>;

export const physicalNetworkStateInput = z.object({ id: idSchema, state: enableStateSchema });

const rangeOut = z.object({ start: z.number().int(), end: z.number().int() });
export const physicalNetworkSchema = z.object({
  id: idSchema,
  zoneId: idSchema,
  name: z.string(),
  isolationMethods: z.array(z.enum(ISOLATION_METHODS)),
  tags: z.array(z.string()),
  vlanRanges: z.array(rangeOut),
  vniRanges: z.array(rangeOut),
  trafficTypes: z.array(trafficTypeEntrySchema),
  mtu: z.number().int(),
  state: enableStateSchema,
  ...timestampsShape,
});
export type PhysicalNetwork = z.infer<typeof physicalNetworkSchema>;

/** The stored form of the two range lists (one JSON column). */
export function toKindedRanges(pn: {
  vlanRanges: readonly IdRange[];
  vniRanges: readonly IdRange[];
}): KindedRange[] {
  return [
    ...pn.vlanRanges.map((r) => ({ kind: 'vlan' as const, start: r.start, end: r.end })),
    ...pn.vniRanges.map((r) => ({ kind: 'vni' as const, start: r.start, end: r.end })),
  ];
}
