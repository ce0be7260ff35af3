// What a VPC holds, read in one place for the two passes that hold it against its controllers: reconcile (the
// desired state each controller should report) and the Realized check (what to ask about). Every row comes in every
// state; each pass picks the tiers, NICs and rules it compares.
import {
  type Db,
  lbRulesRepo,
  networksRepo,
  nicsRepo,
  portForwardingRepo,
  staticNatRepo,
  vpcsRepo,
} from '@netplane/db';

export type VpcContents = NonNullable<Awaited<ReturnType<typeof vpcContents>>>;

/** The VPC, its tiers with their elements, its NICs and its rules; undefined when the VPC does not exist. */
export async function vpcContents(db: Db, vpcId: string) {
  const vpc = await vpcsRepo.getVpc(db, vpcId);
  if (!vpc) return undefined;
  const networks = await networksRepo.listNetworksOfVpc(db, vpcId);
  return {
    vpc,
    networks,
    elements: await networksRepo.listElements(
      db,
      networks.map((n) => n.id),
    ),
    nics: await nicsRepo.listNicsOfVpc(db, vpcId),
    nats: await staticNatRepo.listStaticNatOfVpc(db, vpcId),
    lbs: await lbRulesRepo.listLbRulesOfVpc(db, vpcId),
    pfs: (await portForwardingRepo.pageOfVpc(db, { vpcId, limit: 100_000 })).items,
  };
}
