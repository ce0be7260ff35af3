// What the commands behind staticNat.* and lbRules.* share (static-nat-commands.ts, lb-commands.ts): the checks that
// need the database or the provider's narrowed capabilities, publicServices.options, and the insert of a new rule
// with its job (the revoke and retry commands of either rule kind are in rule-table.ts). Typed AppErrors throughout; `details.reason` says SERVICE_NOT_OFFERED or
// CAPABILITY_MISSING where the console needs to tell them apart.
import { randomUUID } from 'node:crypto';
import {
  type Db,
  isUniqueViolation,
  jobsRepo,
  networksRepo,
  offeringsRepo,
  providersRepo,
  publicIpsRepo,
  type publicIpUseRepo,
  vpcsRepo,
} from '@netplane/db';
import {
  AppError,
  applyNarrowing,
  LB_ALGORITHMS,
  LB_PROTOCOLS,
  type LbAlgorithm,
  type LbProtocol,
  PORT_FORWARDING_PROTOCOLS,
  type PortForwardingProtocol,
  type RuleAddress,
} from '@netplane/domain';
import type { WithJob } from '../jobs/kinds';
import type { EngineCore } from './core';
import { addressesOfVpc, holdAddress } from './rule-addresses';

export type RuleJobKind =
  | 'staticNat.apply'
  | 'staticNat.revoke'
  | 'lb.apply'
  | 'lb.revoke'
  | 'portForwarding.apply'
  | 'portForwarding.revoke';
/**
 * Submits the job with the id given (the rule row names it); `alongside` writes that row in the job's transaction, so
 * a crash or a failed write leaves neither a rule in Add / Revoke without its job nor a job without its rule.
 */
export type SubmitRuleJob = (
  job: {
    id: string;
    kind: RuleJobKind;
    targetType: 'staticNat' | 'lbRule' | 'portForward';
    targetId: string;
    vpcId: string;
    actor: string;
  },
  alongside: WithJob,
) => Promise<string>;

export type ServiceOption = { providerId: string; providerName: string; adapterId: string };
export type PublicServiceOptions = {
  /** The addresses the tier's VPC acquired, each with the rules on it (the console's pick for a new rule). */
  addresses: RuleAddress[];
  staticNat: ServiceOption | null;
  lb: (ServiceOption & { algorithms: LbAlgorithm[]; protocols: LbProtocol[] }) | null;
  portForwarding: (ServiceOption & { protocols: PortForwardingProtocol[] }) | null;
};

/** `publicIpId`: an address the tier's VPC acquired (publicIps.acquire); adapters get its address string. */
export type EnableStaticNatInput = { nicId: string; publicIpId: string };
export type CreateLbRuleInput = {
  networkId: string;
  name: string;
  publicIpId: string;
  publicPort: number;
  privatePort: number;
  protocol: LbProtocol;
  algorithm: LbAlgorithm;
  nicIds: readonly string[];
};

export const asList = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : v === undefined ? [] : [String(v)];

export async function tierOf(core: EngineCore, networkId: string) {
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
  service: 'StaticNat' | 'Lb' | 'PortForwarding',
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
export async function requireService(
  core: EngineCore,
  network: networksRepo.NetworkRow,
  service: 'StaticNat' | 'Lb' | 'PortForwarding',
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
  const { network, vpc } = await tierOf(core, networkId);
  const addresses = await addressesOfVpc(core, vpc.id);
  const nat = await serviceOption(core, network, 'StaticNat');
  const lb = await serviceOption(core, network, 'Lb');
  const pf = await serviceOption(core, network, 'PortForwarding');
  const only = <T extends string>(all: readonly T[], v: unknown) =>
    all.filter((x) => asList(v).some((y) => y.toLowerCase() === x));
  return {
    addresses,
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
    portForwarding: pf && {
      providerId: pf.providerId,
      providerName: pf.providerName,
      adapterId: pf.adapterId,
      // A provider that lists no protocols forwards both.
      protocols:
        pf.capabilities.SupportedProtocols === undefined
          ? [...PORT_FORWARDING_PROTOCOLS]
          : only(PORT_FORWARDING_PROTOCOLS, pf.capabilities.SupportedProtocols),
    },
  };
}

export async function notBusy(
  core: EngineCore,
  ruleId: string,
  kind: RuleJobKind,
): Promise<string | undefined> {
  const active = await jobsRepo.activeJobsOn(core.deps.db.db, ruleId);
  const same = active.find((j) => j.kind === kind);
  if (same) return same.id;
  if (active.length > 0) {
    throw new AppError('CONFLICT', `The rule is busy with job ${active[0]?.kind}; wait for it or cancel it`);
  }
  return undefined;
}

/** A command that creates a rule (static NAT enable, LB rule create): the rule as created (Add) and its apply job. */
export type CreateRule<I, V> = (
  core: EngineCore,
  submit: SubmitRuleJob,
  input: I,
  actor: string,
) => Promise<{ rule: V; jobId: string }>;

/** The columns every new rule row starts with: Add, with the id of its apply job. */
export type NewRuleBase = { id: string; state: 'Add'; lastOp: 'apply'; jobId: string; createdAt: number };

/**
 * Inserts a new rule row (state Add, naming its apply job) and that job in one transaction; a unique violation is a
 * CONFLICT. `insert` writes through the transaction handle it is given.
 */
export async function insertRuleWithJob(
  core: EngineCore,
  submit: SubmitRuleJob,
  o: {
    targetType: 'staticNat' | 'lbRule' | 'portForward';
    kind: RuleJobKind;
    vpcId: string;
    actor: string;
    /** The CONFLICT message when another rule took the public IP (or name) meanwhile. */
    conflict: string;
    insert: (trx: Db, base: NewRuleBase) => Promise<unknown>;
  },
): Promise<NewRuleBase> {
  const base: NewRuleBase = {
    id: randomUUID(),
    state: 'Add',
    lastOp: 'apply',
    jobId: randomUUID(),
    createdAt: core.deps.now(),
  };
  const { kind, targetType, vpcId, actor } = o;
  try {
    await submit({ id: base.jobId, kind, targetType, targetId: base.id, vpcId, actor }, (trx) =>
      o.insert(trx, base),
    );
  } catch (e) {
    // The address was released between the checks and this insert: its row is gone, so the reference fails.
    if (publicIpsRepo.isForeignKeyViolation(e))
      throw new AppError('CONFLICT', 'The public IP was released meanwhile; acquire one again', {
        reason: 'PUBLIC_IP_NOT_ACQUIRED',
      });
    if (!isUniqueViolation(e)) throw e;
    throw new AppError('CONFLICT', o.conflict, { reason: 'PUBLIC_IP_IN_USE' });
  }
  return base;
}

/**
 * The insert of a rule on one NIC (static NAT, port forward): the address held again inside the transaction, then
 * the row (the base columns and `fields`) with its apply job. Returns the row as a read right after would give it.
 */
export async function insertNicRule<F extends object>(
  core: EngineCore,
  submit: SubmitRuleJob,
  o: Omit<Parameters<typeof insertRuleWithJob>[2], 'insert'> & {
    ip: publicIpsRepo.PublicIpRow;
    want: publicIpUseRepo.AddressWant;
    fields: F;
    insertRow: (trx: Db, row: NewRuleBase & F) => Promise<unknown>;
  },
) {
  const { ip, want, fields, insertRow, ...job } = o;
  const base = await insertRuleWithJob(core, submit, {
    ...job,
    insert: async (trx, b) => {
      await holdAddress(trx, ip, want);
      await insertRow(trx, { ...b, ...fields });
    },
  });
  return { ...base, ...fields, lastError: null, conditions: '[]', updatedAt: base.createdAt, version: 1 };
}
