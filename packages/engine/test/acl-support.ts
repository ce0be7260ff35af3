// Shared by the engine's Network ACL tests: a rule as the API takes it (parsed by the domain's schema), and a tier's
// Synced condition as the console shows it.
import { type AclRuleInput, aclRuleInputSchema } from '@netplane/domain';
import type { Engine } from '../src/index';

/** Allow tcp/5432 Ingress from 10.0.0.0/8, unless `over` says otherwise. */
export const aclRule = (number: number, over: Partial<AclRuleInput> = {}): AclRuleInput =>
  aclRuleInputSchema.parse({
    number,
    action: 'allow',
    protocol: 'tcp',
    trafficType: 'Ingress',
    portStart: 5432,
    portEnd: 5432,
    cidrs: ['10.0.0.0/8'],
    ...over,
  });

/** The tier's Synced condition, read through the VPC view. */
export const tierSynced = async (engine: Engine, vpcId: string, tierId: string) =>
  (await engine.getVpc(vpcId))?.tiers
    .find((t) => t.id === tierId)
    ?.conditions.find((c) => c.type === 'Synced');

/** A user list of the VPC with these rules and no description. */
export const newList = (engine: Engine, vpcId: string, name: string, rules: AclRuleInput[]) =>
  engine.networkAcls.createList({ vpcId, name, description: '', rules });
