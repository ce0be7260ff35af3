// What each fault kind provokes, in the words of the console's fault picker (re-exported by types.ts).
import type { FaultKind } from './types';

/** What each fault kind provokes, for the console's fault picker and the E2E tests. */
export const FAULT_CATALOG: readonly {
  kind: FaultKind;
  label: string;
  diagnosis: string;
  description: string;
}[] = [
  {
    kind: 'timeout',
    label: 'Timeout',
    diagnosis: 'CONTROLLER_TIMEOUT',
    description: 'The call hangs until the engine gives up.',
  },
  {
    kind: 'connectionReset',
    label: 'Connection reset',
    diagnosis: 'CONTROLLER_UNREACHABLE',
    description: 'The controller drops the connection.',
  },
  {
    kind: 'authFailure',
    label: 'Authentication failure',
    diagnosis: 'AUTH_FAILED',
    description: 'The controller rejects the credentials (401).',
  },
  {
    kind: 'foreignOwner',
    label: 'Already exists (foreign owner)',
    diagnosis: 'RESOURCE_CONFLICT',
    description: 'Another system holds the VLAN, the name or the public IP the call needs.',
  },
  {
    kind: 'capacityExhausted',
    label: 'Capacity exhausted',
    diagnosis: 'CAPACITY_EXHAUSTED',
    description: 'The controller has no room left.',
  },
  {
    kind: 'vendorError',
    label: 'Vendor error',
    diagnosis: 'VENDOR_ERROR',
    description: 'The controller answers with its own error code and message.',
  },
  {
    kind: 'slowness',
    label: 'Slowness',
    diagnosis: 'CONTROLLER_TIMEOUT',
    description: 'Calls take longer by the given delay (a timeout if past the controller timeout).',
  },
  {
    kind: 'rateLimited',
    label: 'Rate limited (429)',
    diagnosis: 'RATE_LIMITED',
    description:
      'The controller answers 429 Too Many Requests with Retry-After for the next N calls (or until cleared), whatever its rate limit.',
  },
  {
    kind: 'unrealized',
    label: 'Changes not realized',
    diagnosis: 'NOT_REALIZED',
    description:
      'Writes succeed but what they change is never put into effect (the given reason, e.g. NotCompiled) until the faults are cleared.',
  },
];
