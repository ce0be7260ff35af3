// publicServices.options: what the console may offer on a tier — the providers chosen for StaticNat, Lb and
// PortForwarding (null when the tier's offering has no such service), the Lb algorithms and protocols of the
// provider's narrowed matrix, and the addresses the tier's VPC acquired with the rules on each (the dialogs pick a
// free one).
import { LB_ALGORITHMS, LB_PROTOCOLS, PORT_FORWARDING_PROTOCOLS, ruleAddressSchema } from '@netplane/domain';
import { z } from 'zod';
import { router, viewerProcedure } from '../../trpc';

const option = z.object({ providerId: z.string(), providerName: z.string(), adapterId: z.string() });

export const publicServicesRouter = router({
  options: viewerProcedure
    .input(z.object({ tierId: z.uuid() }))
    .output(
      z.object({
        addresses: z.array(ruleAddressSchema),
        staticNat: option.nullable(),
        lb: option
          .extend({ algorithms: z.array(z.enum(LB_ALGORITHMS)), protocols: z.array(z.enum(LB_PROTOCOLS)) })
          .nullable(),
        portForwarding: option.extend({ protocols: z.array(z.enum(PORT_FORWARDING_PROTOCOLS)) }).nullable(),
      }),
    )
    .query(({ ctx, input }) => ctx.deps.engine.publicServiceOptions(input.tierId)),
});
