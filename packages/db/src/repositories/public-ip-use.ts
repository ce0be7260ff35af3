// Which rules use an acquired public IP, and whether a new rule may share it: the one place the address conflicts of
// every rule kind are decided (static NAT takes an address whole; LB rules share one on distinct port/protocol).
// Port forwarding takes a port range of one protocol: it shares an address with LB rules and other forwards whose
// ports do not overlap, never with a static NAT.
import type { Db } from '../connect';
import type { PublicIpRow } from './public-ips';

export type AddressUser =
  | { kind: 'staticNat'; id: string; nicId: string; privateIp: string; label: string }
  | { kind: 'lbRule'; id: string; name: string; port: number; protocol: string; label: string }
  | {
      kind: 'portForward';
      id: string;
      start: number;
      end: number;
      protocol: string;
      privateIp: string;
      label: string;
    };

/** A rule about to take the address: static NAT (the whole address), or an LB rule on one port and protocol. */
export type AddressWant =
  | { kind: 'staticNat' }
  | { kind: 'lbRule'; port: number; protocol: string }
  | { kind: 'portForward'; start: number; end: number; protocol: string };

type Addr = Pick<PublicIpRow, 'id' | 'zoneId' | 'address'>;

/**
 * The rules on each address, by address id. A rule matches by its public_ip_id, or (a rule older than migration 013,
 * with no id) by the same address string in the same zone.
 */
export async function usersOf(db: Db, ips: readonly Addr[]): Promise<Map<string, AddressUser[]>> {
  const out = new Map<string, AddressUser[]>(ips.map((ip) => [ip.id, []]));
  if (ips.length === 0) return out;
  const ids = ips.map((ip) => ip.id);
  const addresses = ips.map((ip) => ip.address);
  const zones = [...new Set(ips.map((ip) => ip.zoneId))];
  const ownerOf = (r: { public_ip_id: string | null; zone_id: string; public_ip: string }) =>
    ips.find((ip) => ip.id === r.public_ip_id) ??
    (r.public_ip_id === null
      ? ips.find((ip) => ip.zoneId === r.zone_id && ip.address === r.public_ip)
      : undefined);
  const nats = await db
    .selectFrom('static_nat_rules')
    .select(['id', 'nic_id', 'private_ip', 'public_ip', 'public_ip_id', 'zone_id'])
    .where((eb) =>
      eb.or([
        eb('public_ip_id', 'in', ids),
        eb.and([
          eb('public_ip_id', 'is', null),
          eb('zone_id', 'in', zones),
          eb('public_ip', 'in', addresses),
        ]),
      ]),
    )
    .orderBy('created_at', 'asc')
    .execute();
  for (const r of nats) {
    const ip = ownerOf(r);
    out.get(ip?.id ?? '')?.push({
      kind: 'staticNat',
      id: r.id,
      nicId: r.nic_id,
      privateIp: r.private_ip,
      label: `static NAT ${r.public_ip} → ${r.private_ip}`,
    });
  }
  const lbs = await db
    .selectFrom('lb_rules')
    .select(['id', 'name', 'public_port', 'protocol', 'public_ip', 'public_ip_id', 'zone_id'])
    .where((eb) =>
      eb.or([
        eb('public_ip_id', 'in', ids),
        eb.and([
          eb('public_ip_id', 'is', null),
          eb('zone_id', 'in', zones),
          eb('public_ip', 'in', addresses),
        ]),
      ]),
    )
    .orderBy('created_at', 'asc')
    .execute();
  for (const r of lbs) {
    const ip = ownerOf(r);
    const port = Number(r.public_port);
    out.get(ip?.id ?? '')?.push({
      kind: 'lbRule',
      id: r.id,
      name: r.name,
      port,
      protocol: r.protocol,
      label: `LB rule ${r.name} (${r.public_ip}:${port}/${r.protocol})`,
    });
  }
  // Port forwards always name their address by id (they came after migration 013).
  const pfs = await db
    .selectFrom('port_forwarding_rules')
    .select([
      'id',
      'public_ip',
      'public_ip_id',
      'private_ip',
      'protocol',
      'public_port_start',
      'public_port_end',
    ])
    .where('public_ip_id', 'in', ids)
    .orderBy('created_at', 'asc')
    .execute();
  for (const r of pfs) {
    const [start, end] = [Number(r.public_port_start), Number(r.public_port_end)];
    const ports = start === end ? `${start}` : `${start}-${end}`;
    out.get(r.public_ip_id)?.push({
      kind: 'portForward',
      id: r.id,
      start,
      end,
      protocol: r.protocol,
      privateIp: r.private_ip,
      label: `port forwarding ${r.public_ip}:${ports}/${r.protocol} → ${r.private_ip}`,
    });
  }
  return out;
}

/** The rules using one acquired address (empty when none, or when no such address is acquired). */
export async function addressUse(db: Db, publicIpId: string): Promise<AddressUser[]> {
  const ip = await db
    .selectFrom('public_ips')
    .select(['id', 'zone_id', 'address'])
    .where('id', '=', publicIpId)
    .executeTakeFirst();
  if (!ip) return [];
  const users = await usersOf(db, [{ id: ip.id, zoneId: ip.zone_id, address: ip.address }]);
  return users.get(ip.id) ?? [];
}

/**
 * Inside the transaction that inserts a rule on the address: takes the address row's write lock first (a no-op
 * update; InnoDB's row lock, SQLite's single writer), then reads the rules on it, so two rules racing for one address
 * (a static NAT and an LB rule, which no unique key relates) are decided one after the other. Undefined when the
 * address was released meanwhile.
 */
export async function lockedUse(trx: Db, publicIpId: string): Promise<AddressUser[] | undefined> {
  await trx
    .updateTable('public_ips')
    .set((eb) => ({ acquired_at: eb.ref('acquired_at') }))
    .where('id', '=', publicIpId)
    .execute();
  const ip = await trx
    .selectFrom('public_ips')
    .select(['id', 'zone_id', 'address'])
    .where('id', '=', publicIpId)
    .executeTakeFirst();
  if (!ip) return undefined;
  const users = await usersOf(trx, [{ id: ip.id, zoneId: ip.zone_id, address: ip.address }]);
  return users.get(ip.id) ?? [];
}

/** Does a rule on the address hold a port of `ports`? A static NAT holds every port. */
function takes(u: AddressUser, ports: { start: number; end: number; protocol: string }): boolean {
  switch (u.kind) {
    case 'staticNat':
      return true;
    case 'lbRule':
      return u.protocol === ports.protocol && ports.start <= u.port && u.port <= ports.end;
    case 'portForward':
      return u.protocol === ports.protocol && ports.start <= u.end && u.start <= ports.end;
    default: {
      const never: never = u;
      return never;
    }
  }
}

/** The rule already on the address that forbids the wanted one, or undefined when they may share it. */
export function conflictOn(users: readonly AddressUser[], want: AddressWant): AddressUser | undefined {
  switch (want.kind) {
    case 'staticNat':
      // Static NAT forwards every port of the address, so it shares it with nothing.
      return users[0];
    case 'lbRule':
      return users.find((u) => takes(u, { start: want.port, end: want.port, protocol: want.protocol }));
    case 'portForward':
      return users.find((u) => takes(u, want));
    default: {
      const never: never = want;
      return never;
    }
  }
}
