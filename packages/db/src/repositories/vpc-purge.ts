// Purging destroyed VPCs: deletes a VPC in state Destroy with everything recorded about it (tiers, NICs, rules,
// addresses, ACL lists, jobs and their steps, the call log, transitions, diagnoses, triage, connectivity checks and
// matrices), children first, in one transaction. A destroyed VPC normally stays as history; the demo's removal needs
// "everything it made" gone, and its rows pin the zone, offerings and physical network through foreign keys.
import type { Db } from '../connect';

export type PurgeResult = { purged: number; refused: { id: string; state: string }[] };

const DESTROYED = 'Destroy';

export async function purgeDestroyedVpcs(db: Db, vpcIds: readonly string[]): Promise<PurgeResult> {
  if (vpcIds.length === 0) return { purged: 0, refused: [] };
  return db.transaction().execute(async (tx) => {
    const vpcs = await tx.selectFrom('vpcs').select(['id', 'state']).where('id', 'in', vpcIds).execute();
    const refused = vpcs.filter((v) => v.state !== DESTROYED).map((v) => ({ id: v.id, state: v.state }));
    const ids = vpcs.filter((v) => v.state === DESTROYED).map((v) => v.id);
    if (ids.length === 0) return { purged: 0, refused };
    const networkIds = (
      await tx.selectFrom('networks').select('id').where('vpc_id', 'in', ids).execute()
    ).map((r) => r.id);
    const nicIds = (await tx.selectFrom('nics').select('id').where('vpc_id', 'in', ids).execute()).map(
      (r) => r.id,
    );
    const jobIds = (await tx.selectFrom('jobs').select('id').where('vpc_id', 'in', ids).execute()).map(
      (r) => r.id,
    );
    const listIds = (
      await tx.selectFrom('network_acl_lists').select('id').where('vpc_id', 'in', ids).execute()
    ).map((r) => r.id);
    const entityIds = [...ids, ...networkIds, ...nicIds];

    await tx
      .deleteFrom('lb_members')
      .where('rule_id', 'in', tx.selectFrom('lb_rules').select('id').where('vpc_id', 'in', ids))
      .execute();
    await tx.deleteFrom('lb_rules').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('static_nat_rules').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('port_forwarding_rules').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('public_ips').where('vpc_id', 'in', ids).execute();
    if (networkIds.length > 0) {
      await tx.deleteFrom('network_acl_assignments').where('network_id', 'in', networkIds).execute();
      await tx.deleteFrom('network_elements').where('network_id', 'in', networkIds).execute();
      await tx.deleteFrom('negotiation_traces').where('network_id', 'in', networkIds).execute();
    }
    if (listIds.length > 0) {
      await tx.deleteFrom('network_acl_rules').where('list_id', 'in', listIds).execute();
      await tx.deleteFrom('network_acl_lists').where('id', 'in', listIds).execute();
    }
    await tx.deleteFrom('nics').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('networks').where('vpc_id', 'in', ids).execute();
    if (jobIds.length > 0) await tx.deleteFrom('job_steps').where('job_id', 'in', jobIds).execute();
    await tx.deleteFrom('jobs').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('element_calls').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('state_transitions').where('entity_id', 'in', entityIds).execute();
    await tx.deleteFrom('diagnoses').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('triage').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('connectivity_traces').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('connectivity_matrices').where('vpc_id', 'in', ids).execute();
    await tx.deleteFrom('vpcs').where('id', 'in', ids).execute();
    return { purged: ids.length, refused };
  });
}
