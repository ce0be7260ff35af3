// Credentials this node cannot decrypt (sealed under a key it does not hold) get their own diagnosis, on a tier's
// implement and on a NIC's prepare, never NO_ELEMENT_FOR_SERVICE and never a NIC left Allocated without a word.
import { randomBytes } from 'node:crypto';
import { publicIpsRepo } from '@netplane/db';
import { testDialects } from '@netplane/db/testing';
import { envKeySource, Keyring } from '@netplane/secrets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionSucceeds } from '../../test/diagnosis-action';
import { addRange } from '../../test/edge';
import { makeWorld, vpcWithTier, type World, waitForJob } from '../../test/world';
import type { Engine } from '../engine';
import { listDiagnosisViews } from './queries';

const stranger = new Keyring(envKeySource(randomBytes(32).toString('base64')));

describe.each(testDialects())('unreadable controller credentials on %s', (dialect) => {
  let w: World;
  let engine: Engine;
  let controllerId: string;
  let original: { credentials_ciphertext: string; credentials_key_id: string };
  beforeAll(async () => {
    w = await makeWorld(dialect, { controllers: [{ name: 'sim-ctl' }] });
    engine = w.engine({ maxAttempts: 1 });
    await engine.start();
    controllerId = w.controllerIds[0] as string;
    original = await w.db.db
      .selectFrom('controllers')
      .select(['credentials_ciphertext', 'credentials_key_id'])
      .where('id', '=', controllerId)
      .executeTakeFirstOrThrow();
  });
  afterAll(async () => {
    await w?.cleanup();
  });
  const open = (vpcId: string) =>
    listDiagnosisViews(w.db.db, { vpcId, openOnly: true, limit: 100, now: Date.now() });
  /** Seals the row under a key the engine's keyring does not hold (the version bump drops the cached element). */
  async function sealUnderStrangerKey(): Promise<void> {
    const sealed = stranger.encrypt(JSON.stringify({ username: 'u', password: 'p' }), controllerId);
    await w.db.db
      .updateTable('controllers')
      .set((eb) => ({
        credentials_ciphertext: sealed.ciphertext,
        credentials_key_id: sealed.keyId,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', controllerId)
      .execute();
  }
  /** A restarted node: its element cache is empty, so the credentials are decrypted again (and fail). */
  async function restartEngine(): Promise<void> {
    await engine.stop();
    engine = w.engine({ maxAttempts: 1 });
    await engine.start();
  }
  /** Sealed first, then a node (re)starts: nothing can have cached the element with the old credentials. */
  async function sealAndRestart(): Promise<void> {
    await sealUnderStrangerKey();
    await restartEngine();
  }
  /** A VPC with one tier (CIDRs 10.<net>.0.0/16 and 10.<net>.1.0/24), implemented while the credentials are fine. */
  async function implementedTier(net: number, offeringId = w.networkOfferingId) {
    const made = await vpcWithTier(w, engine, `10.${net}.0.0/16`, `10.${net}.1.0/24`, offeringId);
    expect((await waitForJob(engine, (await engine.implementTier(made.tier.id, 't')).jobId)).state).toBe(
      'succeeded',
    );
    return made;
  }
  /** Prepares one NIC (vm0) on the tier while the credentials are fine; returns its id. */
  async function reservedNic(tierId: string): Promise<string> {
    const prepared = await engine.prepareNics(tierId, [{ vmName: 'vm0' }], 't');
    expect((await waitForJob(engine, prepared.jobId)).state).toBe('succeeded');
    return (prepared.nics[0] as { id: string }).id;
  }
  /** An implemented tier (see implementedTier) with one Reserved NIC (see reservedNic). */
  async function tierWithNic(net: number, offeringId?: string) {
    const made = await implementedTier(net, offeringId);
    return { ...made, nicId: await reservedNic(made.tier.id) };
  }
  /** Runs `body` with the credentials sealed on a restarted node, and restores them however it ends. */
  async function whileSealed(body: () => Promise<void>): Promise<void> {
    await sealAndRestart();
    try {
      await body();
    } finally {
      await restore();
    }
  }
  async function restore(): Promise<void> {
    await w.db.db
      .updateTable('controllers')
      .set((eb) => ({ ...original, version: eb('version', '+', 1) }))
      .where('id', '=', controllerId)
      .execute();
  }

  it('an implement whose controller credentials are unreadable says so, and a retry after the fix clears it', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.40.0.0/16', '10.40.1.0/24');
    await sealAndRestart();
    const job = await waitForJob(engine, (await engine.implementTier(tier.id, 'alice')).jobId);
    expect(job.state).toBe('failed');
    expect((await engine.getTier(tier.id))?.state).toBe('Error');
    const [d, ...rest] = await open(vpc.id);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      category: 'CREDENTIALS_UNREADABLE',
      title: 'Credentials unreadable',
      targetType: 'network',
      targetId: tier.id,
      actions: ['open-controller', 'retry'],
    });
    expect(d?.evidence.controller).toEqual({ id: controllerId, name: 'sim-ctl' });
    expect(d?.sentence).toContain(`master key "${stranger.activeKeyId}" is not in the keyring`);
    expect(d?.remediation).toContain('Restore that key');
    expect(d?.remediation).toContain('re-enter the credentials');
    expect(d?.remediation).not.toMatch(/add or enable a provider/i);

    await restore();
    await actionSucceeds(engine, w.db.db, d?.id as string, 'retry');
    expect(await open(vpc.id)).toEqual([]);
  });

  it('a controller marked unhealthy by a failed Test connection is still diagnosed as unreadable credentials', async () => {
    const { vpc, tier } = await vpcWithTier(w, engine, '10.42.0.0/16', '10.42.1.0/24');
    await sealAndRestart();
    // What Test connection records when it cannot decrypt: negotiation then skips the controller without using it.
    await w.db.db
      .updateTable('controllers')
      .set({ health_ok: 0, health_error: 'Stored credentials cannot be decrypted' })
      .where('id', '=', controllerId)
      .execute();
    try {
      const job = await waitForJob(engine, (await engine.implementTier(tier.id, 'alice')).jobId);
      expect(job.state).toBe('failed');
      const [d] = await open(vpc.id);
      expect(d?.category).toBe('CREDENTIALS_UNREADABLE');
    } finally {
      await w.db.db
        .updateTable('controllers')
        .set({ health_ok: 1, health_error: null })
        .where('id', '=', controllerId)
        .execute();
      await restore();
    }
  });

  it('a NIC prepare on a controller whose credentials became unreadable leaves each NIC in Error with a diagnosis', async () => {
    const { vpc, tier } = await implementedTier(41);
    await whileSealed(async () => {
      const { jobId, nics } = await engine.prepareNics(tier.id, [{ vmName: 'a' }, { vmName: 'b' }], 'alice');
      expect((await waitForJob(engine, jobId)).state).toBe('failed');
      const rows = await w.db.db
        .selectFrom('nics')
        .select(['id', 'state'])
        .where(
          'id',
          'in',
          nics.map((n) => n.id),
        )
        .execute();
      expect(rows.map((r) => r.state)).toEqual(['Error', 'Error']);
      const views = await open(vpc.id);
      const nicIds = new Set(nics.map((n) => n.id));
      const forNics = views.filter((v) => nicIds.has(v.targetId));
      // One root for the job (the first NIC), the other linked to it; both say the credentials are unreadable.
      expect(forNics.length + forNics.flatMap((v) => v.caused).length).toBe(2);
      for (const v of [...forNics, ...forNics.flatMap((x) => x.caused)])
        expect(v.category).toBe('CREDENTIALS_UNREADABLE');
    });
  });

  it('a static NAT apply on such a controller puts the rule in Error with the credentials diagnosis', async () => {
    const offeringId = await w.addOffering({
      kind: 'network',
      services: { Connectivity: 'simulator', Dhcp: 'simulator', StaticNat: 'simulator' },
    });
    const { vpc, nicId } = await tierWithNic(43, offeringId);
    const db = w.db.db;
    const rangeId = await addRange({ db, physicalNetworkId: w.physicalNetworkId }, w.zoneId, 43);
    const ip = await publicIpsRepo.acquirePublicIp(db, {
      ...{ zoneId: w.zoneId, vpcId: vpc.id, purpose: 'User', acquiredBy: 't', rangeId, now: Date.now() },
    });
    if (!ip.ok) throw new Error('no public IP');
    await whileSealed(async () => {
      const { rule, jobId } = await engine.enableStaticNat({ nicId, publicIpId: ip.ip.id }, 't');
      await waitForJob(engine, jobId);
      const [row] = await engine.listStaticNat(vpc.id);
      expect(row).toMatchObject({ id: rule.id, state: 'Error' });
      const d = (await open(vpc.id)).find((v) => v.targetId === rule.id);
      expect(d?.category).toBe('CREDENTIALS_UNREADABLE');
      expect(d?.evidence.controller?.id).toBe(controllerId);
    });
  });

  it('a NIC release on such a controller moves the Reserved NIC to Error with the credentials diagnosis', async () => {
    const { vpc, nicId } = await tierWithNic(44);
    await whileSealed(async () => {
      expect((await waitForJob(engine, (await engine.releaseNics([nicId], 't')).jobId)).state).toBe('failed');
      const row = await w.db.db.selectFrom('nics').select('state').where('id', '=', nicId).executeTakeFirst();
      expect(row?.state).toBe('Error');
      const d = (await open(vpc.id)).find((v) => v.targetId === nicId);
      expect(d?.category).toBe('CREDENTIALS_UNREADABLE');
    });
  });

  it('a tier shutdown on such a controller leaves the tier and its NIC in Error with the credentials diagnosis', async () => {
    const { vpc, tier, nicId } = await tierWithNic(45);
    await whileSealed(async () => {
      expect((await waitForJob(engine, (await engine.shutdownTier(tier.id, 't')).jobId)).state).toBe(
        'failed',
      );
      expect((await engine.getTier(tier.id))?.state).toBe('Error');
      const views = await open(vpc.id);
      const all = [...views, ...views.flatMap((v) => v.caused)];
      expect(all.find((v) => v.targetId === tier.id)?.category).toBe('CREDENTIALS_UNREADABLE');
      expect(all.find((v) => v.targetId === nicId)?.category).toBe('CREDENTIALS_UNREADABLE');
    });
  });

  it('a reconcile that cannot use the controller marks the VPC Synced=Unknown with the reason', async () => {
    const { vpc } = await implementedTier(46);
    await whileSealed(async () => {
      expect((await waitForJob(engine, (await engine.reconcile(vpc.id, 't')).jobId)).state).toBe('failed');
      const synced = (await engine.getVpc(vpc.id))?.conditions.find((c) => c.type === 'Synced');
      expect(synced).toMatchObject({ status: 'Unknown', reason: 'CredentialsUnreadable' });
    });
  });
});
