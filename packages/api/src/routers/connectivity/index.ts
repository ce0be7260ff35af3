// connectivity.*: the connectivity check (trace: one packet from a NIC or outside to a NIC, an address or a public
// IP, answered as hops named by our objects) and the reachability matrix of a VPC (tiers × tiers and outside →
// tiers per flow, computed from traces). A check is a triage tool, so support runs it too (admin, operator, support);
// a matrix (up to 2,000 traces against the controller) is an operator's; reading what was recorded is a viewer's.
// Both only read the controller, so neither is a job: the answer comes back in the response, and is recorded.
import {
  connectivityTraceInputSchema,
  pageRequestFields,
  reachabilityMatrixInputSchema,
  reachabilityMatrixSchema,
  traceRecordSchema,
} from '@netplane/domain';
import { z } from 'zod';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, supportProcedure, viewerProcedure } from '../../trpc';
import { pageOutput } from '../pagination';
import { idInput } from '../vpcs/schemas';

const vpcPage = z.object({ vpcId: z.uuid(), ...pageRequestFields });
const pageOf = (input: z.infer<typeof vpcPage>) => ({
  limit: input.limit,
  ...(input.cursor !== undefined && { cursor: input.cursor }),
});

export const connectivityRouter = router({
  trace: supportProcedure
    .input(connectivityTraceInputSchema)
    .output(traceRecordSchema)
    .mutation(({ ctx, input }) => ctx.deps.engine.connectivity.trace(input, actorOf(ctx))),

  /** The VPC's recorded checks, newest first (a matrix's own traces are reached through its cells). */
  traces: viewerProcedure
    .input(vpcPage)
    .output(pageOutput(traceRecordSchema))
    .query(({ ctx, input }) => ctx.deps.engine.connectivity.traces(input.vpcId, pageOf(input))),

  get: viewerProcedure
    .input(idInput)
    .output(traceRecordSchema)
    .query(({ ctx, input }) => ctx.deps.engine.connectivity.get(input.id)),

  matrix: operatorProcedure
    .input(reachabilityMatrixInputSchema)
    .output(reachabilityMatrixSchema)
    .mutation(({ ctx, input }) => ctx.deps.engine.connectivity.matrix(input, actorOf(ctx))),

  /** The VPC's matrices, newest first: asked for (kind manual) and before/after each ACL change (same changeId). */
  matrixHistory: viewerProcedure
    .input(vpcPage)
    .output(pageOutput(reachabilityMatrixSchema))
    .query(({ ctx, input }) => ctx.deps.engine.connectivity.matrixHistory(input.vpcId, pageOf(input))),

  getMatrix: viewerProcedure
    .input(idInput)
    .output(reachabilityMatrixSchema)
    .query(({ ctx, input }) => ctx.deps.engine.connectivity.getMatrix(input.id)),
});
