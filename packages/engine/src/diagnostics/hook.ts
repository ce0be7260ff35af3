// The one place the engine reports that a VPC, tier or NIC entered Error. A stub: the diagnostics engineer fills it in
// (classify, store the diagnosis, link root cause). The engine awaits it but never fails because of it.
import type { Db } from '@netplane/db';

export type EntityErrorEvent = {
  entityType: 'vpc' | 'network' | 'nic';
  entityId: string;
  vpcId: string | null;
  jobId: string | null;
  /** The state the entity left to enter Error. */
  fromState: string;
  /** Engine code (e.g. NO_ELEMENT_FOR_SERVICE, CALL_FAILED, UNDO_FAILED) and the adapter category if a call failed. */
  code: string;
  category?: string;
  message: string;
  /** element_calls.id of the first failing call (the root cause), when a call failed. */
  rootCallId?: string;
  /** negotiation_traces.id when negotiation failed. */
  traceId?: string;
  at: number;
};

export async function onEntityError(_db: Db, _event: EntityErrorEvent): Promise<void> {}
