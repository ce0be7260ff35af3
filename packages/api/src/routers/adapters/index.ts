// adapters.list: every adapter found at start, with its status ('Fully Loaded' or 'Unable to load' + reason), its
// source (built-in or where it was installed), the adapter-sdk range it declares and how it runs (in process, or a
// supervised process: pid, state, restarts, last exit, memory). adapters.reload (admins): an out-of-process adapter
// starts its installed version without a server restart, on the node that serves the request.

import type { AdapterManifest } from '@netplane/adapter-sdk';
import { capabilityValueSchema, ISOLATION_METHODS, PROTOCOLS, SERVICES } from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { reloadAdapter } from '../../services/inventory/adapter-reload';
import { describeAdapters, manifestView } from '../../services/inventory/adapters';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const manifestOutput = z.object({
  vendor: z.string(),
  version: z.string(),
  displayName: z.string(),
  description: z.string(),
  protocol: z.enum(PROTOCOLS),
  isolationMethods: z.array(z.enum(ISOLATION_METHODS)),
  services: z.partialRecord(z.enum(SERVICES), z.record(z.string(), capabilityValueSchema)),
  canEnableIndividualServices: z.boolean(),
  serviceGroups: z.array(z.array(z.enum(SERVICES))),
  serviceDependencies: z.array(z.object({ service: z.enum(SERVICES), requires: z.array(z.enum(SERVICES)) })),
  /** Names only: the values are secrets the console asks for and never reads back. */
  credentialFields: z.array(z.string()),
  configFields: z.array(z.object({ name: z.string(), optional: z.boolean() })),
  /** JSON Schema (draft 2020-12) of the controller config and of the credentials (their shape only). */
  configSchema: z.record(z.string(), z.unknown()),
  credentialSchema: z.record(z.string(), z.unknown()),
  endpointHint: z.string(),
  limits: z.object({
    maxBatchSize: z.number(),
    recommendedConcurrency: z.number(),
    recommendedCallsPerSecond: z.number(),
  }),
  idempotentByKey: z.boolean(),
  supportsBatchPrepare: z.boolean(),
});

const processExit = z.object({
  at: z.string(),
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  reason: z.string(),
});

/** AdapterRuntimeInfo of the SDK: how the adapter runs on the node that answered. */
export const adapterRuntimeOutput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('in-process') }),
  z.object({
    kind: z.literal('process'),
    command: z.string(),
    state: z.enum(['starting', 'running', 'restarting', 'stopped']),
    pid: z.number().int().nullable(),
    startedAt: z.string().nullable(),
    /** Seconds since startedAt, computed by the server (so the console needs no clock of its own). */
    uptimeSeconds: z.number().nullable(),
    restarts: z.number().int(),
    lastExit: processExit.nullable(),
    rssBytes: z.number().nullable(),
    protocolVersion: z.number().int().nullable(),
  }),
]);

export const adapterOutput = z.object({
  id: z.string(),
  status: z.enum(['Fully Loaded', 'Unable to load']),
  reason: z.string().nullable(),
  /** The manifest's version, or the package's when it could not load (null when not even that was readable). */
  version: z.string().nullable(),
  /** 'built-in', 'directory <path>' or 'package <name> (<path>)'. */
  source: z.string(),
  /** The adapter-sdk range an installed adapter declares; null for built-ins (compiled with the server's SDK). */
  sdkRange: z.string().nullable(),
  /** Null for an adapter that could not load (nothing runs). */
  runtime: adapterRuntimeOutput.nullable(),
  manifest: manifestOutput.nullable(),
});

const reloadOutput = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), id: z.string(), previousVersion: z.string(), version: z.string() }),
  /** The reload was refused (a broken or incompatible new version): `version` keeps running. */
  z.object({ ok: z.literal(false), id: z.string(), reason: z.string(), version: z.string().nullable() }),
]);

const adapterIdInput = z.object({ id: z.string().min(1).max(214) });

/**
 * Why a manifest cannot be listed, or undefined: the server refuses such an adapter at load (`Unable to load` with
 * this reason), so one malformed installed adapter never makes adapters.list fail for every other.
 */
export function manifestViewProblem(manifest: AdapterManifest): string | undefined {
  let view: unknown;
  try {
    view = manifestView(manifest);
  } catch (e) {
    return `the manifest is malformed: ${e instanceof Error ? e.message : String(e)}`;
  }
  const parsed = manifestOutput.safeParse(view);
  const issue = parsed.success ? undefined : parsed.error.issues[0];
  return issue && `manifest.${issue.path.map(String).join('.')}: ${issue.message}`;
}

export const adaptersRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/adapters', 'Adapters', 'List adapters with their load status and runtime'))
    .output(z.array(adapterOutput))
    .query(({ ctx }) => describeAdapters(ctx.deps)),
  reload: adminProcedure
    .meta(rest('POST', '/adapters/{id}/reload', 'Adapters', 'Reload an out-of-process adapter (this node)'))
    .input(adapterIdInput)
    .output(reloadOutput)
    .mutation(({ ctx, input }) => reloadAdapter(ctx, input.id)),
});
