// The actions of a diagnosis (admin, operator and support): each is one engine call, audited, and returns the job.
import { runDiagnosisAction, type ServerAction } from '@netplane/engine';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { supportProcedure } from '../../trpc';

const input = z.object({ diagnosisId: z.uuid() });
const output = z.object({ jobId: z.string(), targetType: z.string(), targetId: z.string() });

function action(name: ServerAction) {
  return supportProcedure
    .input(input)
    .output(output)
    .mutation(async ({ ctx, input }) => {
      const ref = await runDiagnosisAction(ctx.deps.engine, ctx.db, {
        diagnosisId: input.diagnosisId,
        action: name,
        actor: actorOf(ctx),
      });
      await recordAudit(ctx, `diagnostics.${name}`, { type: ref.targetType, id: ref.targetId }, null, {
        diagnosisId: input.diagnosisId,
        jobId: ref.jobId,
      });
      return ref;
    });
}

export const diagnosisActionProcedures = {
  retry: action('retry'),
  adopt: action('adopt'),
  release: action('release'),
  rerunNegotiation: action('rerun-negotiation'),
};
