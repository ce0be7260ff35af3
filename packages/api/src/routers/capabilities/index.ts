// capabilities.matrix: providers × services, each cell offered with capabilities or empty with a reason.
import { capabilityMatrixInput, capabilityMatrixSchema } from '@netplane/domain';
import { capabilityMatrix } from '../../services/inventory/capabilities';
import { router, viewerProcedure } from '../../trpc';

export const capabilitiesRouter = router({
  matrix: viewerProcedure
    .input(capabilityMatrixInput.default({}))
    .output(capabilityMatrixSchema)
    .query(({ ctx, input }) => capabilityMatrix(ctx, input)),
});
