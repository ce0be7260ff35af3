// The fault kinds of the simulator with the diagnosis each provokes. Mirrors FAULT_CATALOG of
// @netplane/adapter-simulator/control (the web app depends only on @netplane/domain); the fault kind union itself comes
// from the API type, so a new kind fails the typecheck here until it is described.
import type { Inputs } from '../../lib/api-types';

export type FaultSpec = Inputs['simulator']['injectFault']['fault'];
export type FaultKind = FaultSpec['kind'];

export const FAULT_KINDS: Record<FaultKind, { label: string; diagnosis: string; description: string }> = {
  timeout: {
    label: 'Timeout',
    diagnosis: 'CONTROLLER_TIMEOUT',
    description: 'The call hangs until the engine gives up.',
  },
  connectionReset: {
    label: 'Connection reset',
    diagnosis: 'CONTROLLER_UNREACHABLE',
    description: 'The controller drops the connection.',
  },
  authFailure: {
    label: 'Authentication failure',
    diagnosis: 'AUTH_FAILED',
    description: 'The controller rejects the credentials (401).',
  },
  foreignOwner: {
    label: 'Already exists (foreign owner)',
    diagnosis: 'RESOURCE_CONFLICT',
    description: 'Another system holds the VLAN, the name or the public IP the call needs.',
  },
  capacityExhausted: {
    label: 'Capacity exhausted',
    diagnosis: 'CAPACITY_EXHAUSTED',
    description: 'The controller has no room left.',
  },
  vendorError: {
    label: 'Vendor error',
    diagnosis: 'VENDOR_ERROR',
    description: 'The controller answers with its own error code and message.',
  },
  slowness: {
    label: 'Slowness',
    diagnosis: 'CONTROLLER_TIMEOUT',
    description: 'Calls take longer by the given delay (a timeout if past the controller timeout).',
  },
  rateLimited: {
    label: 'Rate limited (429)',
    diagnosis: 'RATE_LIMITED',
    description:
      'The controller answers 429 Too Many Requests with Retry-After for the next N calls (or until cleared), whatever its rate limit.',
  },
  unrealized: {
    label: 'Changes not realized',
    diagnosis: 'NOT_REALIZED',
    description:
      'Writes succeed but what they change is never put into effect (the given reason, e.g. NotCompiled) until the faults are cleared.',
  },
};

/** The reasons an unrealized fault can model (the simulator's SIM_UNREALIZED_REASONS). */
export const UNREALIZED_REASONS = [
  'NotCompiled',
  'NorthdNotRunning',
  'NoGatewayChassis',
  'PortNotBound',
] as const;

export const SIM_OPERATIONS = [
  'implement',
  'prepare',
  'release',
  'shutdown',
  'destroy',
  'observe',
  'health',
  'apply',
  'revoke',
] as const;
export const SIM_RESOURCES = ['vpc', 'network', 'nic', 'nat', 'lb'] as const;
