// The commands behind staticNat.* and lbRules.*: every check that needs the database or the provider's narrowed
// capabilities, then the rule row (state Add or Revoke, with the job's id) and its job. Typed AppErrors throughout;
// `details.reason` says SERVICE_NOT_OFFERED or CAPABILITY_MISSING where the console needs to tell them apart.
import { randomUUID } from 'node:crypto';
import {
  isUniqueViolation,
  jobsRepo,
  lbRulesRepo,
  networksRepo,
  nicsRepo,
  offeringsRepo,
  providersRepo,
  staticNatRepo,
  vpcsRepo,
} from '@netplane/db';
import {
  AppError,
  applyNarrowing,
  ipInCidr,
  LB_ALGORITHMS,
  LB_PROTOCOLS,
  type LbAlgorithm,
  type LbProtocol,
  type LbRuleView,
  type StaticNatView,
} from '@netplane/domain';
import type { EngineCore } from './core';
import { lbRuleView, staticNatView } from './rule-views';

export type RuleJobKind = 'staticNat.apply' | 'staticNat.revoke' | 'lb.apply' | 'lb.revoke';
/** Submits the job with the id given (the rule row already names it). */
export type SubmitRuleJob = (job: {
  id: string;
  kind: RuleJobKind;
  targetType: 'staticNat' | 'lbRule';
  targetId: string;
  vpcId: string;
  actor: string;
}) => Promise<string>;

export type ServiceOption = { providerId: string; providerName: string; adapterId: string };
export type PublicServiceOptions = {
  staticNat: ServiceOption | null;
  lb: (ServiceOption & { algorithms: LbAlgorithm[]; protocols: LbProtocol[] }) | null;
};

export type EnableStaticNatInput = { nicId: string; publicIp: string };
export type CreateLbRuleInput = {
  networkId: string;
  name: string;
  publicIp: string;
  publicPort: number;
  privatePort: number;
  protocol: LbProtocol;
  algorithm: LbAlgorithm;
  nicIds: readonly string[];
};

const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

async function tierOf(core: EngineCore, networkId: string) {
  const db = core.deps.db.db;
  const network = await networksRepo.getNetwork(db, networkId);
  if (!network || network.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
  const vpc = await vpcsRepo.getVpc(db, network.vpcId);
  if (!vpc) throw new AppError('NOT_FOUND', 'The VPC of the tier does not exist');
  return { network, vpc };
}

/** The provider chosen for the service on this tier, with its narrowed capabilities; null when not offered. */
async function serviceOption(
  core: EngineCore,
  network: networksRepo.NetworkRow,
  service: 'StaticNat' | 'Lb',
): Promise<(ServiceOption & { capabilities: Record<string, unknown> }) | null> {
  const db = core.deps.db.db;
  const offering = await offeringsRepo.getOffering(db, network.offeringId);
  if (!offering || !(service in offering.serviceProviders)) return null;
  const element = (await networksRepo.listElements(db, [network.id])).find((e) => e.service === service);
  if (!element) return null;
  const provider = await providersRepo.getProvider(db, element.providerId);
  const manifest = core.elements.manifestOf(element.adapterId);
  return {
    providerId: element.providerId,
    providerName: provider?.name ?? element.providerId,
    adapterId: element.adapterId,
    capabilities: applyNarrowing(manifest?.services[service], provider?.capabilityOverrides[service]),
  };
}

/** Throws SERVICE_NOT_OFFERED / INVALID_STATE unless the tier is implemented with an element for the service. */
async function requireService(
  core: EngineCore,
  network: networksRepo.NetworkRow,
  service: 'StaticNat' | 'Lb',
) {
  const offering = await offeringsRepo.getOffering(core.deps.db.db, network.offeringId);
  if (!offering || !(service in offering.serviceProviders)) {
    throw new AppError(
      'BAD_INPUT',
      `Tier ${network.name}'s offering ${offering?.name ?? network.offeringId} has no ${service} service`,
      { reason: 'SERVICE_NOT_OFFERED', service },
    );
  }
  if (network.state !== 'Implemented') {
    throw new AppError('INVALID_STATE', `Tier ${network.name} is ${network.state}; implement it first`, {
      state: network.state,
    });
  }
  const option = await serviceOption(core, network, service);
  if (!option) {
    throw new AppError(
      'BAD_INPUT',
      `Tier ${network.name} has no element for ${service}; implement it again`,
      {
        reason: 'SERVICE_NOT_OFFERED',
        service,
      },
    );
  }
  return option;
}

export async function publicServiceOptions(
  core: EngineCore,
  networkId: string,
): Promise<PublicServiceOptions> {
  const { network } = await tierOf(core, networkId);
  const nat = await serviceOption(core, network, 'StaticNat');
  const lb = await serviceOption(core, network, 'Lb');
  const only = <T extends string>(all: readonly T[], v: unknown) =>
    all.filter((x) => asList(v).some((y) => y.toLowerCase() === x));
  return {
    staticNat: nat && {
      providerId: nat.providerId,
      providerName: nat.providerName,
      adapterId: nat.adapterId,
    },
    lb: lb && {
      providerId: lb.providerId,
      providerName: lb.providerName,
      adapterId: lb.adapterId,
      algorithms: only(LB_ALGORITHMS, lb.capabilities.SupportedLbAlgorithms),
      protocols: only(LB_PROTOCOLS, lb.capabilities.SupportedProtocols),
    },
  };
}

/** The public IP must be outside the VPC and free in the zone (no static NAT; no LB rule unless `lbVip` allows). */
async function checkPublicIp(
  core: EngineCore,
  vpc: vpcsRepo.VpcRow,
  publicIp: string,
  lbVip?: { port: number; protocol: string },
): Promise<void> {
  const db = core.deps.db.db;
  if (ipInCidr(publicIp, vpc.cidr)) {
    throw new AppError('BAD_INPUT', `Public IP ${publicIp} lies inside the VPC's CIDR ${vpc.cidr}`, {
      reason: 'PUBLIC_IP_IN_VPC',
    });
  }
  const nat = await staticNatRepo.staticNatOnPublicIp(db, vpc.zoneId, publicIp);
  if (nat) {
    throw new AppError('CONFLICT', `Public IP ${publicIp} is already used by a static NAT in this zone`, {
      reason: 'PUBLIC_IP_IN_USE',
    });
  }
  const lbs = await lbRulesRepo.lbRulesOnPublicIp(db, vpc.zoneId, publicIp);
  if (!lbVip && lbs.length > 0) {
    throw new AppError(
      'CONFLICT',
      `Public IP ${publicIp} is already used by LB rule ${lbs[0]?.name} in this zone`,
      {
        reason: 'PUBLIC_IP_IN_USE',
      },
    );
  }
  const same = lbVip && lbs.find((r) => r.publicPort === lbVip.port && r.protocol === lbVip.protocol);
  if (same) {
    throw new AppError(
      'CONFLICT',
      `${publicIp}:${lbVip.port}/${lbVip.protocol} is already taken by LB rule ${same.name}`,
      { reason: 'PUBLIC_IP_IN_USE' },
    );
  }
}

async function notBusy(core: EngineCore, ruleId: string, kind: RuleJobKind): Promise<string | undefined> {
  const active = await jobsRepo.activeJobsOn(core.deps.db.db, ruleId);
  const same = active.find((j) => j.kind === kind);
  if (same) return same.id;
  if (active.length > 0) {
    throw new AppError('CONFLICT', `The rule is busy with job ${active[0]?.kind}; wait for it or cancel it`);
  }
  return undefined;
}

// ── static NAT ────────────────────────────────────────────────────────────────────────────────────────────────
export async function enableStaticNat(
  core: EngineCore,
  submit: SubmitRuleJob,
  input: EnableStaticNatInput,
  actor: string,
): Promise<{ rule: StaticNatView; jobId: string }> {
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
  await checkPublicIp(core, vpc, input.publicIp);
  const id = randomUUID();
  const jobId = randomUUID();
  const now = core.deps.now();
  try {
    await staticNatRepo.insertStaticNat(db, {
      id,
      vpcId: vpc.id,
      networkId: network.id,
      nicId: nic.id,
      zoneId: vpc.zoneId,
      publicIp: input.publicIp,
      privateIp: nic.ip,
      state: 'Add',
      lastOp: 'apply',
      jobId,
      createdAt: now,
    });
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new AppError(
      'CONFLICT',
      `Public IP ${input.publicIp} or NIC ${nic.vmName} already has a static NAT`,
      {
        reason: 'PUBLIC_IP_IN_USE',
      },
    );
  }
  await submit({
    id: jobId,
    kind: 'staticNat.apply',
    targetType: 'staticNat',
    targetId: id,
    vpcId: vpc.id,
    actor,
  });
  return {
    rule: staticNatView({
      id,
      vpcId: vpc.id,
      networkId: network.id,
      nicId: nic.id,
      zoneId: vpc.zoneId,
      publicIp: input.publicIp,
      privateIp: nic.ip,
      state: 'Add',
      lastOp: 'apply',
      lastError: null,
      jobId,
      createdAt: now,
      updatedAt: now,
      version: 1,
      networkName: network.name,
      vmName: nic.vmName,
    }),
    jobId,
  };
}

async function natRule(core: EngineCore, id: string) {
  const rule = await staticNatRepo.getStaticNat(core.deps.db.db, id);
  if (!rule) throw new AppError('NOT_FOUND', `Static NAT rule ${id} does not exist`);
  return rule;
}

export async function disableStaticNat(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await natRule(core, id);
  const running = await notBusy(core, id, 'staticNat.revoke');
  if (running) return { jobId: running };
  const jobId = randomUUID();
  await staticNatRepo.setStaticNatState(
    core.deps.db.db,
    id,
    { state: 'Revoke', lastOp: 'revoke', jobId },
    core.deps.now(),
  );
  await submit({
    id: jobId,
    kind: 'staticNat.revoke',
    targetType: 'staticNat',
    targetId: id,
    vpcId: rule.vpcId,
    actor,
  });
  return { jobId };
}

/** Repeats the last operation of a rule in Error (apply again, or revoke again). */
export async function retryStaticNat(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await natRule(core, id);
  const kind = rule.lastOp === 'revoke' ? 'staticNat.revoke' : 'staticNat.apply';
  const running = await notBusy(core, id, kind);
  if (running) return { jobId: running };
  if (rule.state !== 'Error') {
    throw new AppError('INVALID_STATE', `The static NAT is ${rule.state}; only a rule in Error is retried`, {
      state: rule.state,
    });
  }
  const jobId = randomUUID();
  const ok = await staticNatRepo.setStaticNatState(
    core.deps.db.db,
    id,
    { state: kind === 'staticNat.revoke' ? 'Revoke' : 'Add', jobId, from: ['Error'] },
    core.deps.now(),
  );
  if (!ok) throw new AppError('CONFLICT', 'The static NAT changed meanwhile; look again');
  await submit({ id: jobId, kind, targetType: 'staticNat', targetId: id, vpcId: rule.vpcId, actor });
  return { jobId };
}

// ── LB rules ──────────────────────────────────────────────────────────────────────────────────────────────────
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

export async function createLbRule(
  core: EngineCore,
  submit: SubmitRuleJob,
  input: CreateLbRuleInput,
  actor: string,
): Promise<{ rule: LbRuleView; jobId: string }> {
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
  await checkPublicIp(core, vpc, input.publicIp, { port: input.publicPort, protocol: input.protocol });
  if ((await lbRulesRepo.listLbRulesOfNetwork(db, network.id)).some((r) => r.name === input.name)) {
    throw new AppError('CONFLICT', `Tier ${network.name} already has an LB rule named ${input.name}`, {
      reason: 'NAME_TAKEN',
    });
  }
  await checkMembers(core, network, input.nicIds);
  const id = randomUUID();
  const jobId = randomUUID();
  const now = core.deps.now();
  try {
    await lbRulesRepo.insertLbRule(
      db,
      {
        id,
        vpcId: vpc.id,
        networkId: network.id,
        zoneId: vpc.zoneId,
        name: input.name,
        publicIp: input.publicIp,
        publicPort: input.publicPort,
        privatePort: input.privatePort,
        protocol: input.protocol,
        algorithm: input.algorithm,
        state: 'Add',
        lastOp: 'apply',
        jobId,
        createdAt: now,
      },
      [...new Set(input.nicIds)],
    );
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    throw new AppError(
      'CONFLICT',
      `${input.publicIp}:${input.publicPort}/${input.protocol} or the name ${input.name} is already taken`,
      { reason: 'PUBLIC_IP_IN_USE' },
    );
  }
  await submit({ id: jobId, kind: 'lb.apply', targetType: 'lbRule', targetId: id, vpcId: vpc.id, actor });
  const [rule] = (await lbRulesRepo.listLbRulesOfVpc(db, vpc.id)).filter((r) => r.id === id);
  if (!rule) throw new AppError('NOT_FOUND', 'The LB rule was removed meanwhile');
  return { rule: lbRuleView(rule), jobId };
}

async function lbRule(core: EngineCore, id: string) {
  const rule = await lbRulesRepo.getLbRule(core.deps.db.db, id);
  if (!rule) throw new AppError('NOT_FOUND', `LB rule ${id} does not exist`);
  return rule;
}

export async function setLbMembers(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  nicIds: readonly string[],
  actor: string,
): Promise<{ jobId: string }> {
  const db = core.deps.db.db;
  const rule = await lbRule(core, id);
  if (rule.state === 'Revoke')
    throw new AppError('INVALID_STATE', `LB rule ${rule.name} is being deleted`, { state: rule.state });
  const { network } = await tierOf(core, rule.networkId);
  const busy = await notBusy(core, id, 'lb.apply');
  if (busy) throw new AppError('CONFLICT', `LB rule ${rule.name} is being applied; wait for job ${busy}`);
  await checkMembers(core, network, nicIds);
  const jobId = randomUUID();
  const now = core.deps.now();
  await db.transaction().execute(async (trx) => {
    await lbRulesRepo.setMembers(trx, id, [...new Set(nicIds)], now);
    await lbRulesRepo.setLbState(trx, id, { state: 'Add', lastOp: 'apply', jobId }, now);
  });
  await submit({ id: jobId, kind: 'lb.apply', targetType: 'lbRule', targetId: id, vpcId: rule.vpcId, actor });
  return { jobId };
}

export async function deleteLbRule(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await lbRule(core, id);
  const running = await notBusy(core, id, 'lb.revoke');
  if (running) return { jobId: running };
  const jobId = randomUUID();
  await lbRulesRepo.setLbState(
    core.deps.db.db,
    id,
    { state: 'Revoke', lastOp: 'revoke', jobId },
    core.deps.now(),
  );
  await submit({
    id: jobId,
    kind: 'lb.revoke',
    targetType: 'lbRule',
    targetId: id,
    vpcId: rule.vpcId,
    actor,
  });
  return { jobId };
}

export async function retryLbRule(
  core: EngineCore,
  submit: SubmitRuleJob,
  id: string,
  actor: string,
): Promise<{ jobId: string }> {
  const rule = await lbRule(core, id);
  const kind = rule.lastOp === 'revoke' ? 'lb.revoke' : 'lb.apply';
  const running = await notBusy(core, id, kind);
  if (running) return { jobId: running };
  if (rule.state !== 'Error') {
    throw new AppError(
      'INVALID_STATE',
      `LB rule ${rule.name} is ${rule.state}; only a rule in Error is retried`,
      {
        state: rule.state,
      },
    );
  }
  const jobId = randomUUID();
  const ok = await lbRulesRepo.setLbState(
    core.deps.db.db,
    id,
    { state: kind === 'lb.revoke' ? 'Revoke' : 'Add', jobId, from: ['Error'] },
    core.deps.now(),
  );
  if (!ok) throw new AppError('CONFLICT', 'The LB rule changed meanwhile; look again');
  await submit({ id: jobId, kind, targetType: 'lbRule', targetId: id, vpcId: rule.vpcId, actor });
  return { jobId };
}
