// The acquired public IPs that static NAT and LB rules take (issue 11 point 2): the checks before a rule takes one,
// and the VPC's addresses with the rules on each, for publicServices.options. Which rules may share an address is
// decided in one place, publicIpUseRepo.conflictOn (packages/db).
import { type Db, publicIpsRepo, publicIpUseRepo, type vpcsRepo } from '@netplane/db';
import { AppError, ipInCidr, type RuleAddress } from '@netplane/domain';
import type { EngineCore } from './core';

/**
 * The acquired address a new rule takes: it must exist (acquired, not released), belong to the rule's VPC, not be the
 * VPC's source-NAT address for a static NAT, and not be taken by another rule (publicIpUseRepo.conflictOn decides).
 */
export async function checkPublicIp(
  core: EngineCore,
  vpc: vpcsRepo.VpcRow,
  publicIpId: string,
  want: publicIpUseRepo.AddressWant,
): Promise<publicIpsRepo.PublicIpRow> {
  const db = core.deps.db.db;
  const ip = await publicIpsRepo.getPublicIp(db, publicIpId);
  if (!ip) {
    throw new AppError(
      'NOT_FOUND',
      `Public IP ${publicIpId} is not acquired; acquire an address for VPC ${vpc.name} first (publicIps.acquire)`,
      { reason: 'PUBLIC_IP_NOT_ACQUIRED' },
    );
  }
  if (ip.vpcId !== vpc.id) {
    throw new AppError(
      'BAD_INPUT',
      `Public IP ${ip.address} is acquired by another VPC, not by VPC ${vpc.name}`,
      { reason: 'PUBLIC_IP_OTHER_VPC' },
    );
  }
  if (want.kind === 'staticNat' && ip.purpose === 'SourceNat') {
    throw new AppError(
      'BAD_INPUT',
      `Public IP ${ip.address} is the source-NAT address of VPC ${vpc.name}; static NAT needs an address of its own`,
      { reason: 'PUBLIC_IP_SOURCE_NAT' },
    );
  }
  if (ipInCidr(ip.address, vpc.cidr)) {
    throw new AppError('BAD_INPUT', `Public IP ${ip.address} lies inside the VPC's CIDR ${vpc.cidr}`, {
      reason: 'PUBLIC_IP_IN_VPC',
    });
  }
  const taken = publicIpUseRepo.conflictOn(await publicIpUseRepo.addressUse(db, ip.id), want);
  if (taken) throw inUse(ip, want, taken);
  return ip;
}

/** How the wanted rule names what it asks of the address: the whole address, a VIP, or a port range. */
const wantedOf = (ip: publicIpsRepo.PublicIpRow, want: publicIpUseRepo.AddressWant) => {
  switch (want.kind) {
    case 'staticNat':
      return `Public IP ${ip.address}`;
    case 'lbRule':
      return `${ip.address}:${want.port}/${want.protocol}`;
    case 'portForward':
      return `${ip.address}:${want.start === want.end ? want.start : `${want.start}-${want.end}`}/${want.protocol}`;
    default: {
      const never: never = want;
      return never;
    }
  }
};

/**
 * PUBLIC_IP_IN_USE for static NAT and LB rules; a port forward says which holder refused it (the console puts the
 * refusal under the address or the ports): PUBLIC_IP_STATIC_NAT, LB_PORT_OVERLAP or PORT_RANGE_OVERLAP.
 */
const reasonOf = (want: publicIpUseRepo.AddressWant, taken: publicIpUseRepo.AddressUser) =>
  want.kind !== 'portForward'
    ? 'PUBLIC_IP_IN_USE'
    : taken.kind === 'staticNat'
      ? 'PUBLIC_IP_STATIC_NAT'
      : taken.kind === 'lbRule'
        ? 'LB_PORT_OVERLAP'
        : 'PORT_RANGE_OVERLAP';

const inUse = (
  ip: publicIpsRepo.PublicIpRow,
  want: publicIpUseRepo.AddressWant,
  taken: publicIpUseRepo.AddressUser,
) =>
  new AppError('CONFLICT', `${wantedOf(ip, want)} is already used by ${taken.label}`, {
    reason: reasonOf(want, taken),
    ruleId: taken.id,
  });

/**
 * The same conflict check again inside the transaction that inserts the rule, after taking the address row's lock:
 * what checkPublicIp saw may have changed (another rule, or a release) between it and the insert.
 */
export async function holdAddress(
  trx: Db,
  ip: publicIpsRepo.PublicIpRow,
  want: publicIpUseRepo.AddressWant,
): Promise<void> {
  const users = await publicIpUseRepo.lockedUse(trx, ip.id);
  if (!users)
    throw new AppError('CONFLICT', `Public IP ${ip.address} was released meanwhile; acquire one again`, {
      reason: 'PUBLIC_IP_NOT_ACQUIRED',
    });
  const taken = publicIpUseRepo.conflictOn(users, want);
  if (taken) throw inUse(ip, want, taken);
}

/** Every address the VPC holds, lowest first, with the rules on it. */
export async function addressesOfVpc(core: EngineCore, vpcId: string): Promise<RuleAddress[]> {
  const db = core.deps.db.db;
  const ips = await publicIpsRepo.listPublicIpsOfVpc(db, vpcId);
  const users = await publicIpUseRepo.usersOf(db, ips);
  return ips.map((ip) => ({
    id: ip.id,
    address: ip.address,
    purpose: ip.purpose,
    usedBy: (users.get(ip.id) ?? []).map((u) =>
      u.kind === 'lbRule'
        ? { kind: u.kind, id: u.id, label: u.label, port: u.port, portEnd: u.port, protocol: u.protocol }
        : u.kind === 'portForward'
          ? { kind: u.kind, id: u.id, label: u.label, port: u.start, portEnd: u.end, protocol: u.protocol }
          : { kind: u.kind, id: u.id, label: u.label, port: null, portEnd: null, protocol: null },
    ),
  }));
}
