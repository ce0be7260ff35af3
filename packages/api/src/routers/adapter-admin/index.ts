// Mounts an adapter's own admin procedures (adapter-sdk admin.ts) as `<adapterId>.<name>`: the roles of their access,
// their zod input and output, and a context with the inventory and the audit log. The handlers come at call time
// from the registered adapter module, so a server that could not load the adapter answers PRECONDITION_FAILED.
import { type AdapterAdmin, AdapterError, type AdminContext, type AdminSchema } from '@netplane/adapter-sdk';
import { controllersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { TRPCMutationProcedure, TRPCQueryProcedure } from '@trpc/server';
import type { z } from 'zod';
import type { Context } from '../../context';
import { recordAudit } from '../../services/audit';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';

type InputOf<P extends AdminSchema[string]> = P['input'] extends z.ZodType ? z.input<P['input']> : undefined;
type Def<P extends AdminSchema[string]> = { input: InputOf<P>; output: z.output<P['output']>; meta: object };

/** The tRPC procedures a schema becomes, typed from the schema so the console infers inputs and outputs. */
export type MountedAdmin<S extends AdminSchema> = {
  [K in keyof S]: S[K]['type'] extends 'query'
    ? TRPCQueryProcedure<Def<S[K]>>
    : TRPCMutationProcedure<Def<S[K]>>;
};

function adminOf(ctx: Context, adapterId: string): AdapterAdmin {
  const reg = ctx.deps.adapters.find((a) => a.id === adapterId);
  if (reg?.status !== 'Fully Loaded')
    throw new AppError('PRECONDITION_FAILED', `The ${adapterId} adapter is not loaded on this server`);
  // The wire protocol has no admin calls yet (docs/adapter-protocol.md): an adapter run out of process keeps its
  // handlers, and the state they act on (the simulator's sim:// hubs), in its child. Say so instead of "has none".
  if (!reg.module.admin && reg.runtime?.().kind === 'process')
    throw new AppError(
      'PRECONDITION_FAILED',
      `The ${adapterId} adapter runs out of process on this server, and its admin procedures are served only in process (remove ${adapterId}=process from NETPLANE_ADAPTER_RUNTIME to use them)`,
      { adapterId, reason: 'OUT_OF_PROCESS' },
    );
  if (!reg.module.admin)
    throw new AppError('PRECONDITION_FAILED', `The ${adapterId} adapter has no admin procedures`);
  return reg.module.admin;
}

function contextOf(ctx: Context, action: string): AdminContext {
  return {
    actor: ctx.user?.username ?? 'system',
    async controller(id) {
      const row = await controllersRepo.getController(ctx.db, id);
      if (!row) return null;
      return {
        id: row.id,
        providerId: row.providerId,
        protocol: row.protocol,
        endpoint: row.endpoint,
        config: row.config,
      };
    },
    audit: ({ target, before, after }) => recordAudit(ctx, action, target, before, after),
  };
}

/** An adapter's own INVALID_REQUEST (a bad cursor, say) is the caller's mistake: BAD_INPUT, not a 500. */
function mapAdapterError(e: unknown): never {
  if (e instanceof AdapterError && e.category === 'INVALID_REQUEST')
    throw new AppError('BAD_INPUT', e.message, { reason: e.vendorCode ?? 'INVALID_REQUEST' });
  throw e;
}

export function adapterAdminRouter<const S extends AdminSchema>(adapterId: string, schema: S) {
  const procedures: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    const base = spec.access === 'read' ? viewerProcedure : operatorProcedure;
    const built = (spec.input ? base.input(spec.input) : base).output(spec.output);
    const action = `${adapterId}.${name}`;
    const resolve = async ({ ctx, input }: { ctx: Context; input: unknown }) =>
      adminOf(ctx, adapterId).call(name, input, contextOf(ctx, action)).catch(mapAdapterError);
    procedures[name] = spec.type === 'query' ? built.query(resolve) : built.mutation(resolve);
  }
  // The loop erases each procedure's types; MountedAdmin<S> restores them from the schema they were built from.
  return router(procedures as MountedAdmin<S>);
}
