// A cluster-wide concurrency bulkhead per controller, held in the database (call_slots): a node may have a call in
// flight only while it holds one of the controller's max_concurrent slot rows. Locally, waiters queue FIFO and a
// finished call hands its slot straight to the next waiter (no database round trip), or keeps it idle for a few ms
// for the next local call before freeing it; a dead node's slots expire.

import { sleep } from '@netplane/adapter-sdk';
import type { Db, DialectName } from '@netplane/db';
import { nodesRepo } from '@netplane/db';

type Waiter = {
  resolve(slot: number): void;
  reject(e: unknown): void;
  signal: AbortSignal;
  onAbort: () => void;
};

/** How long a finished call's slot stays with this node for its next call before it is freed for the cluster. */
const LINGER_MS = 15;

export class SlotPool {
  private readonly waiters: Waiter[] = [];
  private readonly held = new Map<number, number>(); // slot -> expires_at (in use or idle)
  private readonly idle = new Map<number, NodeJS.Timeout>();
  /** Slots let go here whose database row could not be freed (the database was away): freed at the next pump. */
  private readonly unfreed = new Set<number>();
  private pumping = false;
  private ensuredFor = 0;

  constructor(
    private readonly db: Db,
    private readonly dialect: DialectName,
    private readonly controllerId: string,
    private readonly holder: string,
    private readonly pollMs = 20,
  ) {}

  /** Slots this node holds right now (in flight); for metrics and tests. */
  get inUse(): number {
    return this.held.size - this.idle.size;
  }

  get queued(): number {
    return this.waiters.length;
  }

  async acquire(max: number, holdMs: number, signal: AbortSignal): Promise<number> {
    if (signal.aborted) throw signal.reason;
    for (const [slot, timer] of this.idle) {
      if (slot >= max) continue;
      clearTimeout(timer);
      this.idle.delete(slot);
      if (await this.keep(slot, holdMs)) return slot;
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(signal.reason);
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      this.waiters.push(waiter);
      void this.pump(max, holdMs);
    });
  }

  /** Gives the slot to the next local waiter, or frees it in the database when nobody here waits. */
  async release(slot: number, max: number, holdMs: number): Promise<void> {
    const next = slot < max ? this.waiters.shift() : undefined;
    if (next) {
      next.signal.removeEventListener('abort', next.onAbort);
      const expires = this.held.get(slot) ?? 0;
      if (expires - Date.now() < holdMs / 2) {
        const renewed = Date.now() + holdMs;
        let ok: boolean;
        try {
          ok = await nodesRepo.renewSlot(this.db, this.controllerId, slot, this.holder, renewed);
        } catch (e) {
          // The database is away: the waiter fails (its job waits for the database), the slot is freed later.
          this.held.delete(slot);
          this.unfreed.add(slot);
          next.reject(e);
          throw e;
        }
        if (!ok) {
          // Our hold expired and someone else took the slot: queue the waiter again for a fresh claim.
          this.held.delete(slot);
          this.waiters.unshift(next);
          next.signal.addEventListener('abort', next.onAbort, { once: true });
          void this.pump(max, holdMs);
          return;
        }
        this.held.set(slot, renewed);
      }
      next.resolve(slot);
      return;
    }
    if (slot < max) {
      const timer = setTimeout(() => {
        this.idle.delete(slot);
        void this.free(slot);
      }, LINGER_MS);
      timer.unref();
      this.idle.set(slot, timer);
      return;
    }
    await this.free(slot);
    if (this.waiters.length > 0) void this.pump(max, holdMs);
  }

  /** Frees the idle slots now (node stopping). */
  async close(): Promise<void> {
    for (const [slot, timer] of this.idle) {
      clearTimeout(timer);
      this.idle.delete(slot);
      await this.free(slot);
    }
  }

  private async free(slot: number): Promise<void> {
    this.held.delete(slot);
    await nodesRepo.freeSlot(this.db, this.controllerId, slot, this.holder).then(
      () => this.unfreed.delete(slot),
      // Left held in the database until the next pump frees it; otherwise it would idle until its hold expires.
      () => this.unfreed.add(slot),
    );
  }

  /** Renews our hold of a slot about to expire; false (and forgotten) when someone else took it meanwhile. */
  private async keep(slot: number, holdMs: number): Promise<boolean> {
    const expires = this.held.get(slot) ?? 0;
    if (expires - Date.now() >= holdMs / 2) return true;
    const renewed = Date.now() + holdMs;
    if (await nodesRepo.renewSlot(this.db, this.controllerId, slot, this.holder, renewed)) {
      this.held.set(slot, renewed);
      return true;
    }
    this.held.delete(slot);
    return false;
  }

  private async pump(max: number, holdMs: number): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (const slot of this.unfreed) {
        if (this.held.has(slot)) continue;
        await nodesRepo.freeSlot(this.db, this.controllerId, slot, this.holder);
        this.unfreed.delete(slot);
      }
      if (this.ensuredFor < max) {
        await nodesRepo.ensureSlots(this.db, this.dialect, this.controllerId, max);
        this.ensuredFor = max;
      }
      while (this.waiters.length > 0) {
        const now = Date.now();
        const free = await nodesRepo.freeSlots(this.db, this.controllerId, max, now);
        let granted = false;
        for (const slot of free) {
          if (this.waiters.length === 0) break;
          if (this.held.has(slot)) continue;
          const expires = now + holdMs;
          if (await nodesRepo.claimSlot(this.db, this.controllerId, slot, this.holder, expires, now)) {
            const w = this.waiters.shift();
            if (!w) {
              await nodesRepo.freeSlot(this.db, this.controllerId, slot, this.holder);
              break;
            }
            this.held.set(slot, expires);
            w.signal.removeEventListener('abort', w.onAbort);
            w.resolve(slot);
            granted = true;
          }
        }
        // All slots busy (here or on other nodes): local releases hand off directly; poll for remote ones.
        if (!granted && this.waiters.length > 0) await sleep(this.pollMs);
        if (this.held.size >= max) break;
      }
    } catch (e) {
      for (const w of this.waiters.splice(0)) {
        w.signal.removeEventListener('abort', w.onAbort);
        w.reject(e);
      }
    } finally {
      this.pumping = false;
    }
  }
}
