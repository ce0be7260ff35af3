// Initialises tRPC: exports only the router factory, the base procedures per role, and the caller factory.
import { AppError, type Role } from '@netplane/domain';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import type { Context } from './context';
import { databaseUnavailableError } from './database-unavailable';
import { trpcCodeOf } from './errors';
import type { RestMeta } from './rest-meta';

const t = initTRPC
  .context<Context>()
  .meta<RestMeta>()
  .create({
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      // Never leak internals: a 500's message and stack are replaced; the server log has them.
      const isInternal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: isInternal ? 'Internal error; see the server log' : shape.message,
        data: {
          code: shape.data.code,
          httpStatus: shape.data.httpStatus,
          appCode:
            cause instanceof AppError ? cause.code : cause instanceof ZodError ? 'BAD_INPUT' : undefined,
          details: cause instanceof AppError ? cause.details : undefined,
          zodIssues: cause instanceof ZodError ? z.treeifyError(cause) : undefined,
        },
      };
    },
  });

/** Turns our AppErrors (thrown anywhere below) into TRPCErrors with the mapped code, and a lost database into 503. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: trpcCodeOf(cause.code), message: cause.message, cause });
  }
  if (!result.ok) {
    const unavailable = databaseUnavailableError(result.error.cause ?? result.error);
    if (unavailable) throw unavailable;
  }
  return result;
});

/** Gives the event loop a turn before and after each procedure. Procedure continuations are microtasks, so a batch
 * of ten heavy reads would otherwise run back to back while /healthz and every other request wait. */
const yieldToEventLoop = t.middleware(async ({ next }) => {
  await new Promise((resolve) => setImmediate(resolve));
  const result = await next();
  await new Promise((resolve) => setImmediate(resolve));
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
/** Every mutation, public ones (login, setup) included, is refused when a browser says it came from another site.
 * A refused API token refuses every procedure, public ones included: the caller meant to use it. */
export const publicProcedure = t.procedure
  .use(yieldToEventLoop)
  .use(mapErrors)
  .use(({ ctx, next, type }) => {
    if (ctx.tokenRefusal) throw ctx.tokenRefusal;
    if (type === 'mutation' && !ctx.originOk) {
      throw new AppError('FORBIDDEN', 'Cross-site request refused (Origin / Sec-Fetch-Site)');
    }
    return next();
  });

export const authedProcedure = publicProcedure.use(({ ctx, next, type }) => {
  if (!ctx.user) {
    if (ctx.sessionExpired) {
      throw new AppError('UNAUTHENTICATED', 'Your session expired; please log in again', {
        reason: 'SESSION_EXPIRED',
      });
    }
    throw new AppError('UNAUTHENTICATED', 'Log in first', { reason: 'NOT_LOGGED_IN' });
  }
  if (type === 'mutation' && !ctx.csrfOk) throw new AppError('FORBIDDEN', 'Missing or wrong CSRF token');
  return next({ ctx: { ...ctx, user: ctx.user } });
});

export function roleProcedure(...roles: Role[]) {
  return authedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.user.role)) {
      throw new AppError('FORBIDDEN', `This needs the role ${roles.join(' or ')}; you are ${ctx.user.role}`);
    }
    return next();
  });
}

/** Reads: every role. */
export const viewerProcedure = authedProcedure;
/** Inventory changes: admin only. */
export const adminProcedure = roleProcedure('admin');
/** Provisioning (VPCs, tiers, NICs): admin and operator. */
export const operatorProcedure = roleProcedure('admin', 'operator');
/** Actions on diagnostics (retry, adopt, release, re-run negotiation): admin, operator and support. */
export const supportProcedure = roleProcedure('admin', 'operator', 'support');
