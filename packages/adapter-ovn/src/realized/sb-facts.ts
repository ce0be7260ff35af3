// What the Southbound holds of a VPC, read in two rounds of read-only selects: the datapaths of our routers and
// switches, the port bindings of our ports, the logical flows northd tagged with our rows, and the chassis they name.
//
// ovn-northd (23.03, checked on this Debian build) tags a logical flow made from a Northbound row with external_ids
// `stage-hint` = the first 8 hex digits of that row's uuid (NAT, ACL, Load_Balancer, DHCP_Options, ports...), and a
// Datapath_Binding with `logical-router` / `logical-switch` = the full uuid of its Logical_Router / Logical_Switch. A
// flow shared by several datapaths names a Logical_DP_Group instead of one datapath.
import { map, op, optional, toRecord, toUuids, uuidOf } from '@netplane/ovsdb';
import type { SbDatabase, SbRow } from './southbound';

/** ovsdb-server handles big transactions, but a VPC of thousands of ports is read in slices. */
const OPS_PER_TRANSACTION = 500;

export type SbWants = {
  routers: readonly string[];
  switches: readonly string[];
  ports: readonly string[];
  /** NB row uuids whose flows to look for. */
  flowRows: readonly string[];
  chassisNames: readonly string[];
};

export type Binding = {
  name: string;
  datapath: string | undefined;
  chassis: string | undefined;
  up: boolean;
};
export type Flows = { count: number; stages: string[] };

export type SbFacts = {
  /** The Datapath_Binding of a Logical_Router or Logical_Switch (by its NB uuid). */
  datapathOf(nbUuid: string): { uuid: string; tunnelKey: string } | undefined;
  binding(logicalPort: string): Binding | undefined;
  /** The flows tagged with the NB row that run on one of `datapaths` (directly or through a datapath group). */
  flowsOf(nbUuid: string, datapaths: readonly string[]): Flows;
  chassisName(uuid: string): string | undefined;
  isChassisRegistered(name: string): boolean;
};

export const stageHint = (nbUuid: string): string => nbUuid.slice(0, 8);

export async function readSouthbound(sb: SbDatabase, wants: SbWants, signal: AbortSignal): Promise<SbFacts> {
  const hints = [...new Set(wants.flowRows.map(stageHint))];
  const [routers, switches, ports, flows, named] = await selectGroups(
    sb,
    [
      wants.routers.map((u) => dpSelect('logical-router', u)),
      wants.switches.map((u) => dpSelect('logical-switch', u)),
      wants.ports.map((p) =>
        op.select('Port_Binding', [['logical_port', '==', p]], ['logical_port', 'datapath', 'chassis', 'up']),
      ),
      hints.map((h) =>
        op.select(
          'Logical_Flow',
          [['external_ids', 'includes', map({ 'stage-hint': h })]],
          ['logical_datapath', 'logical_dp_group', 'external_ids'],
        ),
      ),
      wants.chassisNames.map((n) => op.select('Chassis', [['name', '==', n]], ['name'])),
    ],
    signal,
  );
  const datapaths = new Map<string, { uuid: string; tunnelKey: string }>();
  for (const [nbUuids, found] of [
    [wants.routers, routers],
    [wants.switches, switches],
  ] as const) {
    for (const [i, u] of nbUuids.entries()) {
      const row = found?.[i]?.[0];
      if (row) datapaths.set(u, { uuid: row._uuid[1], tunnelKey: String(row.tunnel_key) });
    }
  }
  const bindings = new Map<string, Binding>();
  for (const [row] of ports ?? []) {
    if (!row) continue;
    const name = String(row.logical_port);
    const up = optional(row.up);
    bindings.set(name, {
      name,
      datapath: uuidOf(row.datapath),
      chassis: uuidOf(optional(row.chassis)),
      up: up === true,
    });
  }
  const flowsByHint = new Map(hints.map((h, i) => [h, flows?.[i] ?? []]));
  const groupIds = new Set([...flowsByHint.values()].flat().flatMap((f) => toUuids(f.logical_dp_group)));
  const chassisIds = new Set([...bindings.values()].flatMap((b) => (b.chassis ? [b.chassis] : [])));
  const [groups, chassis] = await selectGroups(
    sb,
    [
      [...groupIds].map((g) =>
        op.select('Logical_DP_Group', [['_uuid', '==', ['uuid', g]]], ['_uuid', 'datapaths']),
      ),
      [...chassisIds].map((c) => op.select('Chassis', [['_uuid', '==', ['uuid', c]]], ['_uuid', 'name'])),
    ],
    signal,
  );
  const groupMembers = new Map(
    (groups ?? []).flat().map((g) => [g._uuid[1], new Set(toUuids(g.datapaths))] as const),
  );
  const chassisNames = new Map((chassis ?? []).flat().map((c) => [c._uuid[1], String(c.name)] as const));
  const registered = new Set((named ?? []).flat().map((c) => String(c.name)));

  return {
    datapathOf: (u) => datapaths.get(u),
    binding: (p) => bindings.get(p),
    flowsOf(nbUuid, on) {
      const wanted = new Set(on);
      const mine = (flowsByHint.get(stageHint(nbUuid)) ?? []).filter((f) => {
        const dp = uuidOf(optional(f.logical_datapath));
        if (dp !== undefined) return wanted.has(dp);
        return toUuids(f.logical_dp_group).some((g) =>
          [...(groupMembers.get(g) ?? [])].some((d) => wanted.has(d)),
        );
      });
      const stages = [...new Set(mine.map((f) => toRecord(f.external_ids)['stage-name'] ?? '?'))].sort();
      return { count: mine.length, stages };
    },
    chassisName: (u) => chassisNames.get(u),
    isChassisRegistered: (n) => registered.has(n),
  };
}

const dpSelect = (key: 'logical-router' | 'logical-switch', nbUuid: string) =>
  op.select(
    'Datapath_Binding',
    [['external_ids', 'includes', map({ [key]: nbUuid })]],
    ['_uuid', 'tunnel_key'],
  );

/** Runs groups of selects (in as few transactions as the slice size allows); returns each group's results. */
async function selectGroups(
  sb: SbDatabase,
  groups: readonly (readonly ReturnType<typeof op.select>[])[],
  signal: AbortSignal,
): Promise<SbRow[][][]> {
  const all = groups.flat();
  const results: SbRow[][] = [];
  for (let i = 0; i < all.length; i += OPS_PER_TRANSACTION)
    results.push(...(await sb.selectMany(all.slice(i, i + OPS_PER_TRANSACTION), signal)));
  const out: SbRow[][][] = [];
  let at = 0;
  for (const g of groups) {
    out.push(results.slice(at, at + g.length));
    at += g.length;
  }
  return out;
}
