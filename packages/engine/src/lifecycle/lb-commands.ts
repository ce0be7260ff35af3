// The LB rule commands behind lbRules.*: create (capabilities, VIP, name and member checks, then the rule row in Add
// and its apply job), set members, delete and retry (the shared revoke / retry commands of rule-commands.ts).
import { randomUUID } from 'node:crypto';
import { lbRulesRepo, type networksRepo, nicsRepo } from '@netplane/db';
import { AppError, type LbRuleView } from '@netplane/domain';
import type { EngineCore } from './core';
import { checkPublicIp, holdAddress } from './rule-addresses';
import {
  asList,
  type CreateLbRuleInput,
  type CreateRule,
  insertRuleWithJob,
  notBusy,
  requireService,
  type SubmitRuleJob,
  tierOf,
} from './rule-commands';
import { findRule, type RuleTable } from './rule-table';
import { lbRuleView } from './rule-views';
import { LB_RULE } from './rules';

/** Members must exist, be Reserved and belong to the rule's tier. */
async function checkMembers(core: EngineCore, network: networksRepo.NetworkRow, nicIds: readonly string[]) {
  const nics = await nicsRepo.getNics(core.deps.db.db, [...new Set(nicIds)]);
  if (nics.length !== new Set(nicIds).size) throw new AppError('NOT_FOUND', 'Some member NICs do not exist');
  for (const n of nics) {
    if (n.networkId !== network.id)
      throw new AppError('BAD_INPUT', `NIC ${n.vmName} (${n.ip}) is not on tier ${network.name}`);
    if (n.state !== 'Reserved') {
      throw new AppError(
        'INVALID_STATE',
        `NIC ${n.vmName} (${n.ip}) is ${n.state}; members must be Reserved`,
        {
          state: n.state,
        },
      );
    }
  }
}

export const createLbRule: CreateRule<CreateLbRuleInput, LbRuleView> = async (core, submit, input, actor) => {
  const db = core.deps.db.db;
  const { network, vpc } = await tierOf(core, input.networkId);
  const option = await requireService(core, network, 'Lb');
  for (const [cap, value, what] of [
    ['SupportedLbAlgorithms', input.algorithm, 'algorithm'],
    ['SupportedProtocols', input.protocol, 'protocol'],
  ] as const) {
    const supported = asList(option.capabilities[cap]);
    if (!supported.some((s) => s.toLowerCase() === value)) {
      throw new AppError(
        'BAD_INPUT',
        `Provider ${option.providerName} does not support the LB ${what} ${value}; it supports ${supported.join(', ') || 'none'}`,
        { reason: 'CAPABILITY_MISSING', capability: cap, supported },
      );
    }
  }
  const want = { kind: 'lbRule' as const, port: input.publicPort, protocol: input.protocol };
  const ip = await checkPublicIp(core, vpc, input.publicIpId, want);
  if ((await lbRulesRepo.listLbRulesOfNetwork(db, network.id)).some((r) => r.name === input.name)) {
    throw new AppError('CONFLICT', `Tier ${network.name} already has an LB rule named ${input.name}`, {
      reason: 'NAME_TAKEN',
    });
  }
  await checkMembers(core, network, input.nicIds);
  const { id, jobId } = await insertRuleWithJob(core, submit, {
    targetType: 'lbRule',
    kind: 'lb.apply',
    vpcId: vpc.id,
    actor,
    conflict: `${ip.address}:${input.publicPort}/${input.protocol} or the name ${input.name} is already taken`,
    insert: async (trx, base) => {
      await holdAddress(trx, ip, want);
      await lbRulesRepo.insertLbRule(
        trx,
        {
          ...base,
          vpcId: vpc.id,
          networkId: network.id,
          zoneId: vpc.zoneId,
          name: input.name,
          publicIp: ip.address,
          publicIpId: ip.id,
          publicPort: input.publicPort,
          privatePort: input.privatePort,
          protocol: input.protocol,
          algorithm: input.algorithm,
        },
        [...new Set(input.nicIds)],
      );
    },
  });
  const [rule] = (await lbRulesRepo.listLbRulesOfVpc(db, vpc.id)).filter((r) => r.id === id);
  if (!rule) throw new AppError('NOT_FOUND', 'The LB rule was removed meanwhile');
  return { rule: lbRuleView(rule), jobId };
};

export const LB_TABLE: RuleTable<lbRulesRepo.LbRuleWithMembers> = {
  ops: LB_RULE,
  jobs: 'lb',
  missing: (id) => `LB rule ${id} does not exist`,
  notRetriable: (rule) => `LB rule ${rule.name} is ${rule.state}; only a rule in Error is retried`,
  changed: 'The LB rule changed meanwhile; look again',
};

export async function setLbMembers(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  nicIds: readonly string[],
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await findRule(core, LB_TABLE, id);
  if (rule.state === 'Revoke')
    throw new AppError('INVALID_STATE', `LB rule ${rule.name} is being deleted`, { state: rule.state });
  const { network } = await tierOf(core, rule.networkId);
  const busy = await notBusy(core, id, 'lb.apply');
  if (busy) throw new AppError('CONFLICT', `LB rule ${rule.name} is being applied; wait for job ${busy}`);
  await checkMembers(core, network, nicIds);
  const jobId = randomUUID();
  const now = core.deps.now();
  const job = {
    id: jobId,
    kind: 'lb.apply',
    targetType: 'lbRule',
    targetId: id,
    vpcId: rule.vpcId,
    actor,
  } as const;
  await submit(job, async (trx) => {
    await lbRulesRepo.setMembers(trx, id, [...new Set(nicIds)], now);
    await lbRulesRepo.setLbState(trx, id, { state: 'Add', lastOp: 'apply', jobId }, now);
  });
  return { jobId };
}
