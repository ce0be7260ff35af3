// Realized checks of one controller and VPC that wait for the controller at the same time share one checkRealized
// call. In a boot storm every tier's job ends with a check of its tier: 50 jobs on one VPC asked 50 times, each a
// call against the controller's rate limit (5 % of a 1000-NIC storm's calls), while most of them queued together
// for a slot. A check joins a pending one (its tiers are added to that call's scope) until the call is announced
// (it holds its slot and is about to be sent); each job then judges only its own tiers from the shared report.
import type { RealizedReport } from '@netplane/adapter-sdk';

type Pending = { networkIds: string[]; open: boolean; report: Promise<RealizedReport> };

const pendingBy = new WeakMap<object, Map<string, Pending>>();

export type Share = {
  /** The scope's tiers: grows while others join, final once close() ran. */
  readonly networkIds: string[];
  /** No more joiners (the call is announced): the request as recorded is the one sent. */
  close(): void;
};

/**
 * The report for `networkIds`, from a pending call of the same `key` when there is one, else from `ask`. A joiner
 * whose leader's call ended in `leaderOnly` (the leader's job stopped, its lease lost, the database away) asks again
 * instead: that failure was the leader's, not the controller's answer.
 */
export async function sharedReport(
  owner: object,
  key: string,
  networkIds: readonly string[],
  ask: (share: Share) => Promise<RealizedReport>,
  leaderOnly: (e: unknown) => boolean,
): Promise<RealizedReport> {
  let byKey = pendingBy.get(owner);
  if (!byKey) {
    byKey = new Map();
    pendingBy.set(owner, byKey);
  }
  const open = byKey.get(key);
  if (open?.open) {
    for (const id of networkIds) if (!open.networkIds.includes(id)) open.networkIds.push(id);
    try {
      return await open.report;
    } catch (e) {
      if (!leaderOnly(e)) throw e;
      return sharedReport(owner, key, networkIds, ask, leaderOnly);
    }
  }
  const map = byKey;
  const p: Pending = { networkIds: [...networkIds], open: true, report: Promise.resolve() as never };
  const close = () => {
    p.open = false;
    if (map.get(key) === p) map.delete(key);
  };
  map.set(key, p);
  p.report = ask({ networkIds: p.networkIds, close }).finally(close);
  return p.report;
}
