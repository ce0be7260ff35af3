// VPC ↔ Logical_Router: create or adopt the router named from the VPC id; destroy all rows tagged with it.
import type { VpcSpec } from '@netplane/adapter-sdk';
import { map, op, where } from '@netplane/ovsdb';
import { conflict } from './errors';
import { noRowNamed, taggedWith, withGuardRetry } from './guards';
import { EXT, isOurs, names, OWNER } from './names';
import { extOf, isGuardFailure, type NbDatabase } from './nb';

export async function implementVpc(
  db: NbDatabase,
  vpc: VpcSpec,
  signal: AbortSignal,
): Promise<{ adopted: boolean }> {
  const name = names.router(vpc.vpcId);
  return withGuardRetry(async () => {
    const [routers = []] = await db.selectMany(
      [op.select('Logical_Router', [where.eq('name', name)], ['_uuid', 'external_ids'])],
      signal,
    );
    for (const r of routers) {
      const ext = extOf(r);
      if (!isOurs(ext) || ext[EXT.vpcId] !== vpc.vpcId) {
        throw conflict('Logical_Router', name, ext[EXT.owner], 'exists without our ids');
      }
    }
    if (routers.length > 0) return { adopted: true };
    await db.transact(
      [
        noRowNamed('Logical_Router', name),
        op.insert('Logical_Router', {
          name,
          external_ids: map({
            [EXT.owner]: OWNER,
            [EXT.vpcId]: vpc.vpcId,
            [EXT.name]: vpc.name,
            [EXT.cidr]: vpc.cidr,
          }),
        }),
        op.comment(`netplane: implement VPC ${vpc.vpcId}`),
      ],
      signal,
    );
    return { adopted: false };
  }, isGuardFailure);
}

/** Removes the router and every switch, DHCP_Options, Port_Group and Load_Balancer we tagged with the VPC (their children go too). */
export async function destroyVpc(db: NbDatabase, vpcId: string, signal: AbortSignal): Promise<void> {
  const tagged = taggedWith(EXT.vpcId, vpcId);
  await db.transact(
    [
      op.delete('Logical_Switch', [tagged]),
      op.delete('DHCP_Options', [tagged]),
      op.delete('Port_Group', [tagged]),
      op.delete('Load_Balancer', [tagged]),
      op.delete('Logical_Router', [where.eq('name', names.router(vpcId)), tagged]),
      op.comment(`netplane: destroy VPC ${vpcId}`),
    ],
    signal,
  );
}
