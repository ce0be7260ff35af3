// Who acts: the audit and job actor of a procedure call (the engine itself is ctx.deps.engine).
import type { Context } from '../context';

export const actorOf = (ctx: Pick<Context, 'user'>): string => ctx.user?.username ?? 'system';
