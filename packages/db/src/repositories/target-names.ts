// What diagnoses point at, by type and id: display names ("tier web", "vm1 (10.1.1.5)"), and which are still in Error.
import type { Db } from '../connect';

export type TargetType = 'vpc' | 'network' | 'nic' | 'staticNat' | 'lbRule' | 'portForward' | 'aclList';

const TABLE_OF = {
  vpc: 'vpcs',
  network: 'networks',
  nic: 'nics',
  staticNat: 'static_nat_rules',
  lbRule: 'lb_rules',
  portForward: 'port_forwarding_rules',
  aclList: 'network_acl_lists',
} as const;

const CHUNK = 500;
function chunks(ids: Iterable<string>): string[][] {
  const all = [...new Set(ids)];
  const out: string[][] = [];
  for (let i = 0; i < all.length; i += CHUNK) out.push(all.slice(i, i + CHUNK));
  return out;
}

/** The display names of the targets of one type (one query per 500 ids); a target deleted since has no entry. */
export async function targetNames(
  db: Db,
  type: TargetType,
  ids: Iterable<string>,
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const part of chunks(ids)) {
    const rows = await namesOf(db, type, part);
    for (const [id, name] of rows) names.set(id, name);
  }
  return names;
}

async function namesOf(db: Db, type: TargetType, ids: string[]): Promise<[string, string][]> {
  switch (type) {
    case 'vpc':
    case 'network': {
      const rows = await db
        .selectFrom(TABLE_OF[type])
        .select(['id', 'name'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [r.id, r.name]);
    }
    case 'nic': {
      const rows = await db
        .selectFrom('nics')
        .select(['id', 'vm_name', 'ip'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [r.id, `${r.vm_name} (${r.ip})`]);
    }
    case 'staticNat': {
      const rows = await db
        .selectFrom('static_nat_rules')
        .select(['id', 'public_ip', 'private_ip'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [r.id, `${r.public_ip} → ${r.private_ip}`]);
    }
    case 'aclList': {
      const rows = await db
        .selectFrom('network_acl_lists')
        .select(['id', 'name'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [r.id, `ACL list ${r.name}`]);
    }
    case 'lbRule': {
      const rows = await db
        .selectFrom('lb_rules')
        .select(['id', 'name', 'public_ip', 'public_port'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [r.id, `${r.name} (${r.public_ip}:${r.public_port})`]);
    }
    case 'portForward': {
      const rows = await db
        .selectFrom('port_forwarding_rules')
        .select(['id', 'public_ip', 'public_port_start', 'public_port_end', 'protocol'])
        .where('id', 'in', ids)
        .execute();
      return rows.map((r) => [
        r.id,
        `${r.public_ip}:${portsText(r.public_port_start, r.public_port_end)}/${r.protocol}`,
      ]);
    }
    default: {
      const never: never = type;
      throw new Error(`Unknown target type ${String(never)}`);
    }
  }
}

const portsText = (a: number, b: number) => (Number(a) === Number(b) ? `${a}` : `${a}-${b}`);

/** Which of these targets of one type are in Error now. */
export async function idsInError(db: Db, type: TargetType, ids: Iterable<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom(TABLE_OF[type])
      .select(['id'])
      .where('id', 'in', part)
      .where('state', '=', 'Error')
      .execute();
    for (const r of rows) out.add(r.id);
  }
  return out;
}
