// demo.*: status for every role; load and remove for admins. The work runs after the answer (services/demo/run.ts);
// the console polls status for its progress.
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { readDemo } from '../../services/demo/record';
import { type CallerFor, startDemoLoad, startDemoRemoval, whyNotLoadable } from '../../services/demo/run';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const statusSchema = z.object({
  state: z.enum(['none', 'loading', 'loaded', 'removing', 'failed']),
  step: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  error: z.string().nullable(),
  healthyVpcId: z.string().nullable(),
  failingVpcId: z.string().nullable(),
  /** Why "Load demo" is not offered (inventory not empty, simulator missing, loaded already), or null. */
  whyNotLoadable: z.string().nullable(),
});
const started = z.object({ started: z.literal(true) });

export function demoRouter(callerFor: CallerFor) {
  return router({
    status: viewerProcedure.output(statusSchema).query(async ({ ctx }) => {
      const r = await readDemo(ctx.db);
      const whyNot = await whyNotLoadable(ctx);
      if (!r)
        return {
          state: 'none' as const,
          step: '',
          done: 0,
          total: 0,
          error: null,
          healthyVpcId: null,
          failingVpcId: null,
          whyNotLoadable: whyNot,
        };
      const { created: _created, startedBy: _by, updatedAt: _at, ...shown } = r;
      return { ...shown, whyNotLoadable: whyNot };
    }),
    load: adminProcedure.output(started).mutation(async ({ ctx }) => {
      await startDemoLoad(ctx, callerFor);
      await recordAudit(ctx, 'demo.load', { type: 'demo', id: null }, null, null);
      return { started: true as const };
    }),
    remove: adminProcedure.output(started).mutation(async ({ ctx }) => {
      await startDemoRemoval(ctx, callerFor);
      await recordAudit(ctx, 'demo.remove', { type: 'demo', id: null }, null, null);
      return { started: true as const };
    }),
  });
}
