// Controllers (devices) of a provider: endpoint, protocol, config, limits, resource state, health, write-only credentials.
import { z } from 'zod';
import {
  assertNever,
  CONTROLLER_RESOURCE_STATES,
  type ControllerResourceState,
  protocolSchema,
} from '../vocabulary';
import { idSchema, nameSchema, timestampsShape, versionSchema } from './common';

export const controllerResourceStateSchema = z.enum(CONTROLLER_RESOURCE_STATES);

export const LIMIT_BOUNDS = {
  maxConcurrent: { min: 1, max: 1000 },
  callsPerSecond: { min: 1, max: 10_000 },
  timeoutMs: { min: 100, max: 600_000 },
} as const;
export const DEFAULT_TIMEOUT_MS = 30_000;

const bounded = (b: { min: number; max: number }) => z.number().int().min(b.min).max(b.max);
export const controllerLimitsSchema = z.object({
  maxConcurrent: bounded(LIMIT_BOUNDS.maxConcurrent),
  callsPerSecond: bounded(LIMIT_BOUNDS.callsPerSecond),
  timeoutMs: bounded(LIMIT_BOUNDS.timeoutMs),
});
export type ControllerLimits = z.infer<typeof controllerLimitsSchema>;

/**
 * Credentials are a record of strings, checked against the adapter's credentialSchema by the API. Bounded here so
 * a huge payload is refused before anything is encrypted; messages never echo values.
 */
export const credentialsInputSchema = z
  .record(z.string().min(1).max(64), z.string().max(8192, 'a credential value is too long'))
  .refine((r) => Object.keys(r).length <= 32, 'too many credential fields');

/** OVSDB's own endpoint syntax (ovsdb-server, ovn-nbctl): tcp:HOST:PORT, ssl:HOST:PORT, unix:/PATH. */
const ovsdbEndpoint = /^(?:(?:tcp|ssl):(?:\[[0-9a-f:.]+\]|[^:/[\]]+):\d{1,5}|unix:\/\S+)$/i;

/** An endpoint is a URL (scheme://host[:port][/path]) or host:port; the adapter's endpointHint shows the form. */
export const endpointSchema = z
  .string()
  .trim()
  .min(1)
  .max(1024)
  .refine(
    (s) =>
      !/\s/.test(s) &&
      (/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i.test(s) || /^[^:/]+:\d{1,5}$/.test(s) || ovsdbEndpoint.test(s)),
    {
      message: 'must be a URL such as https://host:port, host:port, or tcp:HOST:PORT / unix:/PATH for OVSDB',
    },
  );

export const controllerConfigSchema = z.record(z.string().max(64), z.unknown());

export const controllerCreateInput = z.object({
  providerId: idSchema,
  name: nameSchema,
  endpoint: endpointSchema,
  /** Defaults to the adapter's protocol; another one is refused. */
  protocol: protocolSchema.optional(),
  config: controllerConfigSchema.default({}),
  credentials: credentialsInputSchema,
  /** Defaults to the adapter's recommended limits. */
  limits: controllerLimitsSchema.partial().default({}),
});
export type ControllerCreateInput = z.infer<typeof controllerCreateInput>;

export const controllerUpdateInput = z.object({
  id: idSchema,
  version: versionSchema.optional(),
  name: nameSchema.optional(),
  endpoint: endpointSchema.optional(),
  config: controllerConfigSchema.optional(),
  limits: controllerLimitsSchema.partial().optional(),
});
export type ControllerUpdateInput = z.infer<typeof controllerUpdateInput>;

export const controllerRotateCredentialsInput = z.object({
  id: idSchema,
  credentials: credentialsInputSchema,
});

/** What an admin may set; Creating, Degraded and Error are set by the system (creation, health checks, failures). */
export const ADMIN_CONTROLLER_STATES = ['Enabled', 'Disabled', 'Maintenance'] as const;
export const controllerStateInput = z.object({ id: idSchema, state: z.enum(ADMIN_CONTROLLER_STATES) });

/** As CloudStack hosts: an admin enables, disables or puts into maintenance; Creating waits for creation to end. */
export function checkControllerTransition(
  from: ControllerResourceState,
  to: (typeof ADMIN_CONTROLLER_STATES)[number],
): { ok: true } | { ok: false; reason: string } {
  if (from === to) return { ok: true };
  switch (from) {
    case 'Creating':
      return { ok: false, reason: 'The controller is still being created' };
    case 'Enabled':
    case 'Disabled':
    case 'Degraded':
    case 'Error':
      return { ok: true };
    case 'Maintenance':
      return to === 'Enabled' || to === 'Disabled'
        ? { ok: true }
        : { ok: false, reason: 'Already in maintenance' };
    default:
      return assertNever(from, 'ControllerResourceState');
  }
}

/** States in which the engine may send calls to the controller. */
export const isControllerUsable = (s: ControllerResourceState): boolean =>
  s === 'Enabled' || s === 'Degraded';

export const controllerHealthSchema = z.object({
  ok: z.boolean().nullable(),
  checkedAt: z.number().int().nullable(),
  latencyMs: z.number().int().nullable(),
  version: z.string().nullable(),
  lastError: z.string().nullable(),
});
export type ControllerHealth = z.infer<typeof controllerHealthSchema>;

/** Output shape: credentials never leave the server, only the fact that they exist and their key id. */
export const controllerSchema = z
  .object({
    id: idSchema,
    providerId: idSchema,
    adapterId: z.string(),
    name: z.string(),
    endpoint: z.string(),
    protocol: protocolSchema,
    config: z.record(z.string(), z.unknown()),
    limits: controllerLimitsSchema,
    resourceState: controllerResourceStateSchema,
    health: controllerHealthSchema,
    hasCredentials: z.literal(true),
    credentialsKeyId: z.string(),
    ...timestampsShape,
  })
  .strict();
export type Controller = z.infer<typeof controllerSchema>;

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number().int(),
  version: z.string().nullable(),
  detail: z.string().nullable(),
  /** For a failure: the adapter error category (TIMEOUT, UNREACHABLE, AUTH_FAILED, ...). */
  category: z.string().nullable(),
  checkedAt: z.number().int(),
});
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>;

export const healthHistoryEntrySchema = z.object({
  checkedAt: z.number().int(),
  ok: z.boolean(),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
});

/**
 * Controller credentials sealed under master keys the answering node does not hold: they cannot be decrypted there
 * until the key is restored or the credentials re-entered (the console shows admins a banner while this is non-zero).
 */
export const credentialsHealthSchema = z.object({
  sealedRows: z.number().int().min(0),
  unreadableRows: z.number().int().min(0),
  missingKeyIds: z.array(z.string()),
  /** The first controllers affected, by name (at most CREDENTIALS_HEALTH_LIST). */
  controllers: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type CredentialsHealth = z.infer<typeof credentialsHealthSchema>;
export const CREDENTIALS_HEALTH_LIST = 20;
