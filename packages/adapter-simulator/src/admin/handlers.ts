// The simulator's admin procedures: read and script the simulated controllers (profile, faults, stats, resource
// tables), so the console and the E2E tests can provoke each diagnosis. The API mounts them (roles, validation,
// audit log); this module decides which simulator a controller lives in and what each call does there.
import { AdapterError, type AdminContext, defineAdapterAdmin } from '@netplane/adapter-sdk';
import { AppError } from '@netplane/domain';
import type { SimulatorHub } from '../core/hub';
import {
  FAULT_CATALOG,
  type SimListable,
  type SimulatorControl,
  type SimulatorProfilePatch,
  type SimulatorSummary,
} from '../core/types';
import { createRemoteSimulatorControl } from '../remote/http-client';
import { type SimulatorSummaryOutput, simulatorAdminSchema } from './schema';

type Target = { control: SimulatorControl; mode: 'hub' | 'remote' };

function profileFromConfig(config: Record<string, unknown>): SimulatorProfilePatch {
  const patch: SimulatorProfilePatch = {};
  if (typeof config.latencyMs === 'number') patch.latencyMs = config.latencyMs;
  if (typeof config.jitterMs === 'number') patch.jitterMs = config.jitterMs;
  return patch;
}

const notFound = (controllerId: string) =>
  new AppError('NOT_FOUND', `No simulated controller ${controllerId}`, { controllerId });

/**
 * Finds who simulates this controller: a registered simulator controller with an http(s) endpoint lives in a
 * standalone simulator process; one with sim:// (or one the hub already knows, e.g. in tests) lives in this server.
 */
async function targetOf(hub: SimulatorHub, ctx: AdminContext, controllerId: string): Promise<Target> {
  const row = await ctx.controller(controllerId);
  if (row && row.protocol === 'SIMULATED') {
    if (/^https?:\/\//i.test(row.endpoint))
      return { control: createRemoteSimulatorControl(row.endpoint), mode: 'remote' };
    // A registered sim:// controller the hub has not met yet starts now, with the latency its config asks for
    // (as the adapter's createElement would do).
    if (!hub.has(controllerId)) await hub.setProfile(controllerId, profileFromConfig(row.config));
    return { control: hub, mode: 'hub' };
  }
  if (!row && hub.has(controllerId)) return { control: hub, mode: 'hub' };
  throw notFound(controllerId);
}

async function summaryOf(t: Target, controllerId: string): Promise<SimulatorSummaryOutput> {
  const s: SimulatorSummary | null = await t.control.getSummary(controllerId);
  if (!s) throw notFound(controllerId);
  return { ...s, mode: t.mode };
}

/** A malformed cursor is the caller's mistake, reported as the API's lists report it. */
function badCursorToInput(e: unknown): never {
  if (e instanceof AdapterError && e.vendorCode === 'BAD_CURSOR')
    throw new AppError('BAD_INPUT', e.message, { reason: 'BAD_CURSOR' });
  throw e;
}

async function page(
  t: Target,
  controllerId: string,
  query: { kind: SimListable; networkId?: string | undefined; cursor?: string | undefined; limit: number },
) {
  const { networkId, cursor, ...rest } = query;
  return t.control
    .listResources(controllerId, {
      ...rest,
      ...(networkId !== undefined && { networkId }),
      ...(cursor !== undefined && { cursor }),
    })
    .catch(badCursorToInput);
}

const target = (id: string) => ({ type: 'controller', id });

/** The admin procedures of the simulator adapter bound to a hub (sim:// controllers) and to remote simulators. */
export function createSimulatorAdmin(hub: SimulatorHub) {
  return defineAdapterAdmin(simulatorAdminSchema, {
    faultCatalog: async () => [...FAULT_CATALOG],

    getSummary: async ({ controllerId }, ctx) =>
      summaryOf(await targetOf(hub, ctx, controllerId), controllerId),

    listSwitches: async ({ controllerId, ...q }, ctx) =>
      page(await targetOf(hub, ctx, controllerId), controllerId, { kind: 'network', ...q }),

    listPorts: async ({ controllerId, ...q }, ctx) =>
      page(await targetOf(hub, ctx, controllerId), controllerId, { kind: 'nic', ...q }),

    setProfile: async ({ controllerId, profile }, ctx) => {
      const t = await targetOf(hub, ctx, controllerId);
      const before = (await summaryOf(t, controllerId)).profile;
      const after = await t.control.setProfile(controllerId, profile);
      await ctx.audit({ target: target(controllerId), before, after });
      return after;
    },

    injectFault: async ({ controllerId, fault }, ctx) => {
      const t = await targetOf(hub, ctx, controllerId);
      const injected = await t.control.injectFault(controllerId, fault);
      await ctx.audit({ target: target(controllerId), before: null, after: injected });
      return injected;
    },

    clearFaults: async ({ controllerId }, ctx) => {
      const t = await targetOf(hub, ctx, controllerId);
      const before = (await summaryOf(t, controllerId)).faults;
      await t.control.clearFaults(controllerId);
      await ctx.audit({ target: target(controllerId), before: { faults: before }, after: { faults: [] } });
      return { cleared: before.length };
    },

    resetStats: async ({ controllerId }, ctx) => {
      const t = await targetOf(hub, ctx, controllerId);
      const before = (await summaryOf(t, controllerId)).stats;
      await t.control.resetStats(controllerId);
      await ctx.audit({
        target: target(controllerId),
        before: { totalCalls: before.totalCalls },
        after: null,
      });
      return { ok: true as const };
    },
  });
}
