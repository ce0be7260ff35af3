// Allocation without controller calls for NICs: NIC rows with an IP from the tier's CIDR and a locally administered
// MAC, written together with their prepare job in one transaction. VPC and tier rows: create.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import {
  type Db,
  inReadCommitted,
  isLockConflict,
  jobsRepo,
  type networksRepo,
  nicsRepo,
} from '@netplane/db';
import { AppError, initialConditions } from '@netplane/domain';
import type { EngineCore } from './core';
import { hostAt, indexOf, parseCidr } from './ipv4';

export type NicRequest = { vmName: string; ip?: string; mac?: string };

/** `n` distinct locally administered MACs (02:…) from one call to the CSPRNG (one call per NIC cost ~10 µs each). */
function randomMacs(n: number, taken: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const seen = new Set(taken);
  while (out.length < n) {
    const bytes = randomBytes(5 * (n - out.length));
    for (let i = 0; i + 5 <= bytes.length; i += 5) {
      let mac = '02';
      for (let j = i; j < i + 5; j++) mac += `:${(bytes[j] as number).toString(16).padStart(2, '0')}`;
      if (seen.has(mac)) continue;
      seen.add(mac);
      out.push(mac);
    }
  }
  return out;
}

export type AllocatedNic = Omit<nicsRepo.NicRow, 'updatedAt' | 'version'>;
export type PrepareJobOptions = { actor: string; batchSize?: number };

/** Attempts of one request whose own random choice (a MAC, a UUID) collided with a row written meanwhile. */
const ATTEMPTS = 5;

/**
 * Accepts a prepare request: allocates IPs and MACs for the whole batch in memory and writes, in ONE transaction, the
 * NIC rows and their `None → Allocated` transitions (multi-row inserts) and the request's `nic.prepare` job row, so
 * a request is written whole or not at all (a job never exists without its NICs, nor NICs without their job).
 * Allocation on a tier is serialized by a lock on the tier row (nicsRepo.lockTierForAllocation) and the used
 * addresses are read under it, so concurrent requests on one tier never pick the same IP; the unique constraints on
 * (network_id, ip_index) and mac remain the final guard (a random MAC collision is retried). Typed errors, nothing
 * written: CONFLICT for an asked IP or MAC in use (or asked twice), PRECONDITION_FAILED when the tier has too few
 * free addresses. The caller announces the job (the `queued` event is emitted here, after the commit).
 */
export async function allocateNics(
  core: EngineCore,
  network: networksRepo.NetworkRow,
  requests: readonly NicRequest[],
  job: PrepareJobOptions,
): Promise<{ rows: AllocatedNic[]; jobId: string }> {
  const handle = core.deps.db;
  const cidr = parseCidr(network.cidr);
  const askedIps = new Map<number, string>();
  for (const r of requests) {
    if (!r.ip) continue;
    const index = indexOf(cidr, r.ip);
    if (askedIps.has(index)) throw new AppError('CONFLICT', `${r.ip} is asked for twice in this request`);
    askedIps.set(index, r.ip);
  }
  const askedMacs = new Set<string>();
  for (const r of requests) {
    if (!r.mac) continue;
    if (askedMacs.has(r.mac)) throw new AppError('CONFLICT', `${r.mac} is asked for twice in this request`);
    askedMacs.add(r.mac);
  }
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const jobId = randomUUID();
    let rows: AllocatedNic[] = [];
    let now = 0;
    const write = async (trx: Db) => {
      // The tier as locked: a shutdown or destroy that committed since the caller read it wins.
      const locked = await nicsRepo.lockTierForAllocation(trx, handle.dialect, network.id);
      if (!locked || locked.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
      if (locked.state !== 'Implemented')
        throw new AppError('INVALID_STATE', `Tier ${network.name} is ${locked.state}; implement it first`);
      const used = await nicsRepo.usedIpIndexes(trx, network.id);
      used.add(1); // gateway
      for (const [index, ip] of askedIps) {
        if (used.has(index))
          throw new AppError('CONFLICT', `${ip} is already in use on tier ${network.name}`);
      }
      if (askedMacs.size > 0) {
        const taken = await nicsRepo.macsInUse(trx, [...askedMacs]);
        if (taken.size > 0) throw new AppError('CONFLICT', `MAC ${[...taken].join(', ')} is already in use`);
      }
      for (const index of askedIps.keys()) used.add(index);
      // Host indexes 2 … size-2 (1 is the gateway, size-1 the broadcast address).
      const free = cidr.size - 2 - used.size;
      const auto = requests.filter((r) => !r.ip).length;
      if (auto > free) {
        throw new AppError(
          'PRECONDITION_FAILED',
          `Tier ${network.name} has ${Math.max(0, free)} free IP${free === 1 ? '' : 's'}; ${auto} asked`,
          { reason: 'IP_RANGE_EXHAUSTED', free: Math.max(0, free), asked: auto },
        );
      }
      const macs = randomMacs(requests.filter((r) => !r.mac).length, askedMacs);
      now = core.deps.now();
      const conditions = JSON.stringify(initialConditions(now, 'NIC'));
      let next = 2;
      let m = 0;
      rows = requests.map((r) => {
        let ipIndex: number;
        if (r.ip) ipIndex = indexOf(cidr, r.ip);
        else {
          while (used.has(next)) next++;
          ipIndex = next;
          used.add(ipIndex);
        }
        return {
          id: randomUUID(),
          networkId: network.id,
          vpcId: network.vpcId,
          vmName: r.vmName,
          mac: r.mac ?? (macs[m++] as string),
          ip: hostAt(cidr, ipIndex),
          ipIndex,
          state: 'Allocated',
          conditions,
          adopted: false,
          createdAt: now,
        };
      });
      await nicsRepo.insertAllocatedNics(trx, rows, {
        at: now,
        actor: 'engine',
        reason: (n) => `NIC allocated with ${n.ip}`,
      });
      // As Engine.submitJob writes it, but inside this transaction.
      await jobsRepo.insertJob(trx, {
        id: jobId,
        kind: 'nic.prepare',
        targetType: 'network',
        targetId: network.id,
        vpcId: network.vpcId,
        payload: JSON.stringify({
          nicIds: rows.map((r) => r.id),
          ...(job.batchSize !== undefined && { batchSize: job.batchSize }),
        }),
        progressTotal: rows.length,
        deadlineAt: now + core.options.jobTimeoutMs,
        createdBy: job.actor,
        now,
      });
    };
    try {
      // READ COMMITTED on MariaDB: the used addresses are read after the tier lock is granted, so they include every
      // allocation committed before it (a REPEATABLE READ snapshot could be older than the lock).
      await inReadCommitted(handle, write);
    } catch (e) {
      const violated = nicsRepo.nicUniqueViolation(e);
      // What this request chose itself can collide by chance (a random MAC, a UUID) and is chosen again; an asked-for
      // address taken meanwhile (MACs are unique across tiers, which the tier lock does not serialize) is the caller's
      // conflict. Which MAC collided is not in every dialect's message, so the asked ones are looked up.
      if (violated === 'mac' && askedMacs.size > 0) {
        const taken = await nicsRepo.macsInUse(handle.db, [...askedMacs]);
        if (taken.size > 0) throw new AppError('CONFLICT', `MAC ${[...taken].join(', ')} is already in use`);
      }
      if (violated === 'ip' && askedIps.size > 0)
        throw new AppError('CONFLICT', 'An asked IP is already in use on this tier');
      if (violated !== null) continue;
      // inReadCommitted already ran the transaction LOCK_CONFLICT_ATTEMPTS times (packages/db transaction.ts); a
      // deadlock that outlasted those is the caller's "try again", not another round of five here.
      if (isLockConflict(e))
        throw new AppError('CONFLICT', 'Could not allocate addresses (the tier is busy); try again');
      throw e;
    }
    core.events.emit({
      jobId,
      kind: 'nic.prepare',
      targetId: network.id,
      vpcId: network.vpcId,
      state: 'queued',
      progressDone: 0,
      progressTotal: rows.length,
      at: now,
    });
    return { rows, jobId };
  }
  throw new AppError('CONFLICT', 'Could not allocate addresses; try again');
}
