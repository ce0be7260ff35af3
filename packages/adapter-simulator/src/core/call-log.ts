// The controller's recent call log: who called what and how it ended, so a cluster test can prove that a fenced-off
// node made no call after its lease was taken, and the console can show what the controller saw.
import type { SimCommand } from './commands';

export type CallMeta = {
  /** Who called: the HTTP transport sends host/pid of the Netplane process; in-process calls are `local/<pid>`. */
  caller?: string;
  idempotencyKey?: string;
};

export type CallRecord = {
  seq: number;
  /** Epoch ms when the call arrived and when it ended. */
  at: number;
  endedAt: number;
  op: SimCommand['op'];
  caller: string;
  idempotencyKey: string | null;
  /** The NICs a prepare or release was about; a static NAT's NIC; an LB rule's members. */
  nicIds: string[];
  /** 'ok' or the AdapterError category. */
  outcome: string;
};

const CAPACITY = 20_000;

export class CallLog {
  private records: CallRecord[] = [];
  private seq = 0;

  record(cmd: SimCommand, meta: CallMeta, at: number, outcome: string): void {
    this.records.push({
      seq: ++this.seq,
      at,
      endedAt: Date.now(),
      op: cmd.op,
      caller: meta.caller ?? 'unknown',
      idempotencyKey: meta.idempotencyKey ?? null,
      nicIds: nicIdsOf(cmd),
      outcome,
    });
    if (this.records.length > CAPACITY) this.records.splice(0, this.records.length - CAPACITY);
  }

  /** Calls that arrived at or after `since` (epoch ms), oldest first. */
  since(since = 0): CallRecord[] {
    return this.records.filter((r) => r.at >= since).map((r) => ({ ...r, nicIds: [...r.nicIds] }));
  }

  clear(): void {
    this.records = [];
  }
}

function nicIdsOf(cmd: SimCommand): string[] {
  switch (cmd.op) {
    case 'prepareNic':
    case 'releaseNic':
      return [cmd.nic.nicId];
    case 'prepareNics':
      return cmd.nics.map((n) => n.nicId);
    case 'applyStaticNat':
    case 'applyPortForwarding':
      return [cmd.rule.nicId];
    case 'applyLbRule':
      return cmd.rule.members.map((m) => m.nicId);
    default:
      return [];
  }
}
