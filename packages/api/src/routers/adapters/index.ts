// adapters.list: every adapter found at start, with its status ('Fully Loaded' or 'Unable to load' + reason), its
// source (built-in or where it was installed) and the adapter-sdk range it declares.

import type { AdapterManifest } from '@netplane/adapter-sdk';
import { capabilityValueSchema, ISOLATION_METHODS, PROTOCOLS, SERVICES } from '@netplane/domain';
import { z } from 'zod';
import { describeAdapters, manifestView } from '../../services/inventory/adapters';
import { router, viewerProcedure } from '../../trpc';

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
  endpointHint: z.string(),
  limits: z.object({
    maxBatchSize: z.number(),
    recommendedConcurrency: z.number(),
    recommendedCallsPerSecond: z.number(),
  }),
  idempotentByKey: z.boolean(),
  supportsBatchPrepare: z.boolean(),
});

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
  manifest: manifestOutput.nullable(),
});

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
  list: viewerProcedure.output(z.array(adapterOutput)).query(({ ctx }) => describeAdapters(ctx.deps)),
});
