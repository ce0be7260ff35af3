// The first half of the Realized check: ask ovn-northd to say when it has compiled everything up to now, and take
// the snapshot of our rows that the answer is about.
//
// NB_Global.nb_cfg is OVN's own sequence number for this: bumping it (a mutate +1, exactly what
// `ovn-nbctl --wait=sb sync` does) makes northd copy the value into SB_Global.nb_cfg (and NB_Global.sb_cfg) once the
// Southbound holds the flows of every Northbound change made before it. It is the check's only write, to a counter
// no one else reads as configuration (docs/adapters/ovn.md, "The Realized check").
import { map, op, type Row, TableCache } from '@netplane/ovsdb';
import { EXT, OWNER } from '../names';
import { MONITORED, NB_DB, type NbDatabase } from '../nb';

/** Our rows the verdicts read: what observe() reads, plus the gateway port's chassis bindings. */
const SNAPSHOT_TABLES = [...MONITORED, 'Gateway_Chassis'] as const;

export type Bumped = {
  /** The nb_cfg northd must reach; undefined when the database has no NB_Global row (northd never ran on it). */
  nbCfg: number | undefined;
  /** NB_Global.sb_cfg at the bump: what northd had acknowledged so far. */
  sbCfg: number | undefined;
  /** The VPC's rows of ours as of the bump, in a cache so observeRows() reads them like the monitor's. */
  snapshot: TableCache;
};

/**
 * Bumps nb_cfg and reads the VPC's rows in the same transaction, so the rows are exactly the state the new nb_cfg
 * stands for: once northd reaches it, every one of them has been compiled (or never will be).
 */
export async function bumpAndSnapshot(db: NbDatabase, vpcId: string, signal: AbortSignal): Promise<Bumped> {
  const schema = await db.client.getSchema(NB_DB, { signal });
  const ours = map({ [EXT.owner]: OWNER, [EXT.vpcId]: vpcId });
  const [bump, global, ...tables] = await db.transact(
    [
      op.mutate('NB_Global', [], [['nb_cfg', '+=', 1]]),
      op.select('NB_Global', [], ['nb_cfg', 'sb_cfg']),
      ...SNAPSHOT_TABLES.map((t) => op.select(t, [['external_ids', 'includes', ours]])),
    ],
    signal,
  );
  const snapshot = new TableCache(schema);
  snapshot.apply(
    Object.fromEntries(
      SNAPSHOT_TABLES.map((t, i) => [
        t,
        Object.fromEntries((tables[i]?.rows ?? []).map((r) => [uuidOfRow(r), { initial: withoutUuid(r) }])),
      ]),
    ),
  );
  const row = global?.rows?.[0];
  const hasGlobal = (bump?.count ?? 0) > 0 && row !== undefined;
  return {
    nbCfg: hasGlobal ? Number(row.nb_cfg) : undefined,
    sbCfg: hasGlobal ? Number(row.sb_cfg) : undefined,
    snapshot,
  };
}

const uuidOfRow = (r: Row & { _uuid?: ['uuid', string] }): string => r._uuid?.[1] ?? '';

function withoutUuid(r: Row): Row {
  const { _uuid, _version, ...rest } = r;
  return rest;
}
