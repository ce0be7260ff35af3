// The root router: one sub-router per domain area. The web app imports only the AppRouter type.
// Add your area with one line, in alphabetical order, to keep concurrent edits merge-friendly.
import { adaptersRouter } from './routers/adapters';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { callsRouter } from './routers/calls';
import { capabilitiesRouter } from './routers/capabilities';
import { controllersRouter } from './routers/controllers';
import { diagnosticsRouter } from './routers/diagnostics';
import { jobsRouter } from './routers/jobs';
import { lbRulesRouter } from './routers/lb-rules';
import { nicsRouter } from './routers/nics';
import { offeringsRouter } from './routers/offerings';
import { physicalNetworksRouter } from './routers/physical-networks';
import { providersRouter } from './routers/providers';
import { publicServicesRouter } from './routers/public-services';
import { simulatorRouter } from './routers/simulator';
import { staticNatRouter } from './routers/static-nat';
import { supportRouter } from './routers/support';
import { tiersRouter } from './routers/tiers';
import { usersRouter } from './routers/users';
import { vpcsRouter } from './routers/vpcs';
import { zonesRouter } from './routers/zones';
import { router } from './trpc';

export const appRouter = router({
  calls: callsRouter,
  jobs: jobsRouter,
  lbRules: lbRulesRouter,
  nics: nicsRouter,
  tiers: tiersRouter,
  vpcs: vpcsRouter,
  adapters: adaptersRouter,
  audit: auditRouter,
  auth: authRouter,
  capabilities: capabilitiesRouter,
  controllers: controllersRouter,
  diagnostics: diagnosticsRouter,
  offerings: offeringsRouter,
  physicalNetworks: physicalNetworksRouter,
  providers: providersRouter,
  publicServices: publicServicesRouter,
  simulator: simulatorRouter,
  staticNat: staticNatRouter,
  support: supportRouter,
  users: usersRouter,
  zones: zonesRouter,
});

export type AppRouter = typeof appRouter;
