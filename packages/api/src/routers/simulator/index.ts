// simulator: read and script the simulated controllers (profile, faults, stats), so the console and the E2E tests can
// provoke each diagnosis. Every role may read; admin and operator may change; every change is audited.
import {
  createRemoteSimulatorControl,
  type SimulatorControl,
  type SimulatorState,
} from '@netplane/adapter-simulator';
import {
  FAULT_CATALOG,
  type SimulatorProfilePatch,
  simulatorProfileSchema,
} from '@netplane/adapter-simulator/control';
import { controllersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import { z } from 'zod';
import type { Context } from '../../context';
import { recordAudit } from '../../services/audit';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import {
  activeFaultOutput,
  controllerInput,
  faultCatalogOutput,
  injectFaultInput,
  type SimulatorStateOutput,
  setProfileInput,
  simulatorStateOutput,
} from './schemas';

function profileFromConfig(config: Record<string, unknown>): SimulatorProfilePatch {
  const patch: SimulatorProfilePatch = {};
  if (typeof config.latencyMs === 'number') patch.latencyMs = config.latencyMs;
  if (typeof config.jitterMs === 'number') patch.jitterMs = config.jitterMs;
  return patch;
}

type Target = { control: SimulatorControl; mode: 'hub' | 'remote' };

/**
 * Finds who simulates this controller: a registered simulator controller with an http(s) endpoint lives in a
 * standalone simulator process; one with sim:// (or one the hub already knows, e.g. in tests) lives in this server.
 */
async function targetOf(ctx: Context, controllerId: string): Promise<Target> {
  const hub = ctx.deps.simulator;
  if (!hub) throw new AppError('PRECONDITION_FAILED', 'The simulator is not enabled on this server');
  const row = await controllersRepo.getController(ctx.db, controllerId);
  if (row && row.protocol === 'SIMULATED') {
    if (/^https?:\/\//i.test(row.endpoint))
      return { control: createRemoteSimulatorControl(row.endpoint), mode: 'remote' };
    // A registered sim:// controller the hub has not met yet starts now, with the latency its config asks for
    // (as the adapter's createElement would do).
    if ((await hub.getState(controllerId)) === null)
      await hub.setProfile(controllerId, profileFromConfig(row.config));
    return { control: hub, mode: 'hub' };
  }
  if (!row && (await hub.getState(controllerId)) !== null) return { control: hub, mode: 'hub' };
  throw new AppError('NOT_FOUND', `No simulated controller ${controllerId}`, { controllerId });
}

function toOutput(state: SimulatorState, mode: Target['mode']): SimulatorStateOutput {
  const { portCreations, ...stats } = state.stats;
  const created = Object.values(portCreations);
  return {
    ...state,
    mode,
    stats: {
      ...stats,
      nicsCreated: created.length,
      nicsCreatedMoreThanOnce: created.filter((n) => n > 1).length,
    },
  };
}

async function stateOf(t: Target, controllerId: string): Promise<SimulatorStateOutput> {
  const state = await t.control.getState(controllerId);
  if (!state) throw new AppError('NOT_FOUND', `No simulated controller ${controllerId}`, { controllerId });
  return toOutput(state, t.mode);
}

const target = (id: string) => ({ type: 'controller', id });

export const simulatorRouter = router({
  /** The fault kinds with the diagnosis each provokes, for the console's fault picker. */
  faultCatalog: viewerProcedure.output(faultCatalogOutput).query(() => [...FAULT_CATALOG]),

  getState: viewerProcedure
    .input(controllerInput)
    .output(simulatorStateOutput)
    .query(async ({ ctx, input }) => stateOf(await targetOf(ctx, input.controllerId), input.controllerId)),

  setProfile: operatorProcedure
    .input(setProfileInput)
    .output(simulatorProfileSchema)
    .mutation(async ({ ctx, input }) => {
      const t = await targetOf(ctx, input.controllerId);
      const before = (await stateOf(t, input.controllerId)).profile;
      const after = await t.control.setProfile(input.controllerId, input.profile);
      await recordAudit(ctx, 'simulator.setProfile', target(input.controllerId), before, after);
      return after;
    }),

  injectFault: operatorProcedure
    .input(injectFaultInput)
    .output(activeFaultOutput)
    .mutation(async ({ ctx, input }) => {
      const t = await targetOf(ctx, input.controllerId);
      const fault = await t.control.injectFault(input.controllerId, input.fault);
      await recordAudit(ctx, 'simulator.injectFault', target(input.controllerId), null, fault);
      return fault;
    }),

  clearFaults: operatorProcedure
    .input(controllerInput)
    .output(z.object({ cleared: z.number().int().min(0) }))
    .mutation(async ({ ctx, input }) => {
      const t = await targetOf(ctx, input.controllerId);
      const before = (await stateOf(t, input.controllerId)).faults;
      await t.control.clearFaults(input.controllerId);
      await recordAudit(
        ctx,
        'simulator.clearFaults',
        target(input.controllerId),
        { faults: before },
        { faults: [] },
      );
      return { cleared: before.length };
    }),

  resetStats: operatorProcedure
    .input(controllerInput)
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const t = await targetOf(ctx, input.controllerId);
      const before = (await stateOf(t, input.controllerId)).stats;
      await t.control.resetStats(input.controllerId);
      await recordAudit(
        ctx,
        'simulator.resetStats',
        target(input.controllerId),
        { totalCalls: before.totalCalls },
        null,
      );
      return { ok: true as const };
    }),
});
