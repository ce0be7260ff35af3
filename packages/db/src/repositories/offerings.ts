// Network and VPC offerings.
import type {
  EnableState,
  GuestType,
  IsolationMethod,
  Offering,
  OfferingKind,
  ServiceCapabilities,
} from '@netplane/domain';
import type { Db } from '../connect';
import type { OfferingsTable } from '../schema';
import { affected, parseJson } from './inventory-util';

const toOffering = (r: OfferingsTable): Offering => ({
  id: r.id,
  name: r.name,
  description: r.description,
  kind: r.kind as OfferingKind,
  guestType: r.guest_type as GuestType,
  serviceProviders: parseJson(r.service_providers),
  tags: parseJson(r.tags),
  isolationMethod: r.isolation_method as IsolationMethod,
  requiredCapabilities: parseJson<ServiceCapabilities>(r.required_capabilities),
  state: r.state as EnableState,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  version: Number(r.version),
});

export async function listOfferings(db: Db, kind?: OfferingKind): Promise<Offering[]> {
  let q = db.selectFrom('offerings').selectAll().orderBy('name');
  if (kind !== undefined) q = q.where('kind', '=', kind);
  return (await q.execute()).map(toOffering);
}

export async function getOffering(db: Db, id: string): Promise<Offering | undefined> {
  const row = await db.selectFrom('offerings').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOffering(row) : undefined;
}

export async function insertOffering(
  db: Db,
  o: Omit<Offering, 'createdAt' | 'updatedAt' | 'version'>,
  now: number,
): Promise<void> {
  await db
    .insertInto('offerings')
    .values({
      id: o.id,
      name: o.name,
      description: o.description,
      kind: o.kind,
      guest_type: o.guestType,
      service_providers: JSON.stringify(o.serviceProviders),
      tags: JSON.stringify(o.tags),
      isolation_method: o.isolationMethod,
      required_capabilities: JSON.stringify(o.requiredCapabilities),
      state: o.state,
      created_at: now,
      updated_at: now,
      version: 1,
    })
    .execute();
}

export async function deleteOffering(db: Db, id: string): Promise<boolean> {
  return affected(await db.deleteFrom('offerings').where('id', '=', id).executeTakeFirst());
}

/** VPCs and tiers created from this offering (any state), which keep a reference to it. */
export async function countOfferingUsers(db: Db, id: string): Promise<number> {
  const vpcs = await db
    .selectFrom('vpcs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('offering_id', '=', id)
    .executeTakeFirst();
  const tiers = await db
    .selectFrom('networks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('offering_id', '=', id)
    .executeTakeFirst();
  return Number(vpcs?.n ?? 0) + Number(tiers?.n ?? 0);
}
