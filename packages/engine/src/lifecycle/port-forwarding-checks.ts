// Who else holds ports of a public IP, for port forwarding and for the static NAT and LB rules beside it: a static
// NAT takes the whole address; an LB rule takes one port of one protocol; a port forward a range of one protocol.
// The static NAT and LB rules still name their address by string, so they are compared by the address string
// (the coordinator's shared public IP function replaces that at merge).
import { type Db, lbRulesRepo, portForwardingRepo, staticNatRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';

export type PortRange = { protocol: string; start: number; end: number };

const overlaps = (a: PortRange, b: PortRange) =>
  a.protocol === b.protocol && a.start <= b.end && b.start <= a.end;
export const portsText = (start: number, end: number) => (start === end ? `${start}` : `${start}-${end}`);

/**
 * Throws a CONFLICT (details.reason PUBLIC_IP_STATIC_NAT, LB_PORT_OVERLAP or PORT_RANGE_OVERLAP) unless `range` of
 * the address is free for a new port forward. `db` may be the create's transaction, with the address row locked.
 */
export async function checkPortsFree(
  db: Db,
  ip: { id: string; zoneId: string; address: string },
  range: PortRange,
): Promise<void> {
  const nat = await staticNatRepo.staticNatOnPublicIp(db, ip.zoneId, ip.address);
  if (nat) {
    throw new AppError(
      'CONFLICT',
      `Public IP ${ip.address} has a static NAT onto ${nat.privateIp}; static NAT takes the whole address`,
      { reason: 'PUBLIC_IP_STATIC_NAT', staticNatId: nat.id },
    );
  }
  const lbs = await lbRulesRepo.lbRulesOnPublicIp(db, ip.zoneId, ip.address);
  const lb = lbs.find((r) =>
    overlaps(range, { protocol: r.protocol, start: r.publicPort, end: r.publicPort }),
  );
  if (lb) {
    throw new AppError(
      'CONFLICT',
      `${ip.address}:${lb.publicPort}/${lb.protocol} is taken by LB rule ${lb.name}`,
      { reason: 'LB_PORT_OVERLAP', lbRuleId: lb.id },
    );
  }
  const rules = await portForwardingRepo.listOnPublicIp(db, ip.id);
  const pf = rules.find((r) =>
    overlaps(range, { protocol: r.protocol, start: r.publicPortStart, end: r.publicPortEnd }),
  );
  if (pf) {
    throw new AppError(
      'CONFLICT',
      `${ip.address}:${portsText(range.start, range.end)}/${range.protocol} overlaps port forwarding ` +
        `${ip.address}:${portsText(pf.publicPortStart, pf.publicPortEnd)}/${pf.protocol} onto ${pf.privateIp}`,
      { reason: 'PORT_RANGE_OVERLAP', portForwardingId: pf.id },
    );
  }
}

/**
 * For a new static NAT (no `vip`: the whole address) or LB rule (`vip`): a port forward on the address (on the VIP's
 * port and protocol) is a CONFLICT with details.reason PUBLIC_IP_IN_USE, like the other holders of an address.
 */
export async function refuseIfPortForwarded(
  db: Db,
  zoneId: string,
  publicIp: string,
  vip?: { port: number; protocol: string },
): Promise<void> {
  const rules = await portForwardingRepo.listOnAddress(db, zoneId, publicIp);
  const hit = rules.find(
    (r) =>
      !vip ||
      overlaps(
        { protocol: vip.protocol, start: vip.port, end: vip.port },
        {
          protocol: r.protocol,
          start: r.publicPortStart,
          end: r.publicPortEnd,
        },
      ),
  );
  if (hit) {
    throw new AppError(
      'CONFLICT',
      `${publicIp}${vip ? `:${vip.port}/${vip.protocol}` : ''} is already used by port forwarding ` +
        `${portsText(hit.publicPortStart, hit.publicPortEnd)}/${hit.protocol} onto ${hit.privateIp}`,
      { reason: 'PUBLIC_IP_IN_USE', portForwardingId: hit.id },
    );
  }
}
