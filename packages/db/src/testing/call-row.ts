// A call log row for tests of the call log (db: calls-in-flight, call-rates; engine: calls-in-flight): an in-flight
// prepare unless overridden.
import { randomUUID } from 'node:crypto';
import type { ElementCallRow } from '../repositories/element-calls';

export const callRow = (over: Partial<ElementCallRow>): ElementCallRow => ({
  id: randomUUID(),
  phase: 'prepare',
  adapterId: 'simulator',
  providerId: 'p',
  controllerId: 'c',
  jobId: null,
  stepKey: null,
  vpcId: null,
  networkId: null,
  targetType: 'nic',
  targetId: randomUUID(),
  attempt: 1,
  purpose: 'forward',
  batchSize: 1,
  startedAt: Date.now() - 1_000,
  durationMs: 0,
  outcome: 'inFlight',
  errorCategory: null,
  errorMessage: null,
  vendorCode: null,
  vendorMessage: null,
  retryable: null,
  requestSummary: '{"op":"prepareNic"}',
  responseSummary: null,
  nodeId: 'n',
  fencingToken: null,
  ...over,
});
