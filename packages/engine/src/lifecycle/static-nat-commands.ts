import { nicsRepo, staticNatRepo } from '@netplane/db';
import { AppError, type StaticNatView } from '@netplane/domain';
import { checkPublicIp } from './rule-addresses';
import {
  type CreateRule,
  type EnableStaticNatInput,
  insertNicRule,
  requireService,
  tierOf,
} from './rule-commands';
import type { RuleTable } from './rule-table';
import { staticNatView } from './rule-views';
import { STATIC_NAT } from './rules';

type EnableStaticNat = CreateRule<EnableStaticNatInput, StaticNatView>;

export const enableStaticNat: EnableStaticNat = async (core, submit, input, actor) => {
  const db = core.deps.db.db;
  const nic = await nicsRepo.getNic(db, input.nicId);
  if (!nic) throw new AppError('NOT_FOUND', `NIC ${input.nicId} does not exist`);
  const { network, vpc } = await tierOf(core, nic.networkId);
  await requireService(core, network, 'StaticNat');
  if (nic.state !== 'Reserved') {
    throw new AppError(
      'INVALID_STATE',
      `NIC ${nic.vmName} (${nic.ip}) is ${nic.state}; it must be Reserved`,
      {
        state: nic.state,
      },
    );
  }
  const [existing] = await staticNatRepo.listStaticNatOfNics(db, [nic.id]);
  if (existing) {
    throw new AppError('CONFLICT', `NIC ${nic.vmName} already has static NAT ${existing.publicIp}`, {
      reason: 'NIC_HAS_STATIC_NAT',
    });
  }
  const ip = await checkPublicIp(core, vpc, input.publicIpId, { kind: 'staticNat' });
  const fields = {
    vpcId: vpc.id,
    networkId: network.id,
    nicId: nic.id,
    zoneId: vpc.zoneId,
    publicIp: ip.address,
    publicIpId: ip.id,
    privateIp: nic.ip,
  };
  const row = await insertNicRule(core, submit, {
    targetType: 'staticNat',
    kind: 'staticNat.apply',
    vpcId: vpc.id,
    actor,
    conflict: `Public IP ${ip.address} or NIC ${nic.vmName} already has a static NAT`,
    ip,
    want: { kind: 'staticNat' },
    fields,
    insertRow: staticNatRepo.insertStaticNat,
  });
  return {
    rule: staticNatView({ ...row, networkName: network.name, vmName: nic.vmName }),
    jobId: row.jobId,
  };
};

export const STATIC_NAT_TABLE: RuleTable<staticNatRepo.StaticNatRow> = {
  ops: STATIC_NAT,
  jobs: 'staticNat',
  missing: (id) => `Static NAT rule ${id} does not exist`,
  notRetriable: (rule) => `The static NAT is ${rule.state}; only a rule in Error is retried`,
  changed: 'The static NAT changed meanwhile; look again',
};
