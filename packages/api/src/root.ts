// The root router: one sub-router per domain area, plus the admin procedures of the adapters the server mounts
// (createAppRouter). The server composes it (apps/server/src/app-router.ts); the web app imports only its type.
// Add your area with one line, in alphabetical order, to keep concurrent edits merge-friendly.
import type { AdminSchema } from '@netplane/adapter-sdk';
import { adapterAdminRouter, type MountedAdmin } from './routers/adapter-admin';
import { adaptersRouter } from './routers/adapters';
import { apiTokensRouter } from './routers/api-tokens';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { callsRouter } from './routers/calls';
import { capabilitiesRouter } from './routers/capabilities';
import { connectivityRouter } from './routers/connectivity';
import { controllersRouter } from './routers/controllers';
import { demoRouter } from './routers/demo';
import { diagnosticsRouter } from './routers/diagnostics';
import { jobsRouter } from './routers/jobs';
import { lbRulesRouter } from './routers/lb-rules';
import { networkAclsRouter } from './routers/network-acls';
import { nicsRouter } from './routers/nics';
import { offeringsRouter } from './routers/offerings';
import { physicalNetworksRouter } from './routers/physical-networks';
import { portForwardingRouter } from './routers/port-forwarding';
import { providersRouter } from './routers/providers';
import { publicIpRangesRouter } from './routers/public-ip-ranges';
import { publicIpsRouter } from './routers/public-ips';
import { publicServicesRouter } from './routers/public-services';
import { staticNatRouter } from './routers/static-nat';
import { supportRouter } from './routers/support';
import { tiersRouter } from './routers/tiers';
import { usersRouter } from './routers/users';
import { vpcsRouter } from './routers/vpcs';
import { zonesRouter } from './routers/zones';
import { createCallerFactory, router } from './trpc';

const baseRouters = {
  calls: callsRouter,
  jobs: jobsRouter,
  lbRules: lbRulesRouter,
  networkAcls: networkAclsRouter,
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
  publicIpRanges: publicIpRangesRouter,
  publicIps: publicIpsRouter,
  portForwarding: portForwardingRouter,
  connectivity: connectivityRouter,
  publicServices: publicServicesRouter,
  staticNat: staticNatRouter,
  support: supportRouter,
  tokens: apiTokensRouter,
  users: usersRouter,
  zones: zonesRouter,
};

/**
 * An in-process caller of the core procedures, for features that script the API as a person would (the demo): the
 * same validation, roles, audit and jobs as a request.
 */
export const coreCaller = createCallerFactory(router(baseRouters));
export type CoreCaller = ReturnType<typeof coreCaller>;

const coreRouters = { ...baseRouters, demo: demoRouter(coreCaller) };

/** Adapter id -> that adapter's admin schema; an id may not take the name of a core area. */
export type AdapterAdmins = Readonly<Record<string, AdminSchema>>;

/** The API's router with each adapter's admin procedures mounted under its id (`simulator.getSummary`...). */
export function createAppRouter<const A extends AdapterAdmins>(admins: A) {
  const mounted: Record<string, unknown> = {};
  for (const [adapterId, schema] of Object.entries(admins)) {
    if (Object.hasOwn(coreRouters, adapterId))
      throw new Error(`Adapter ${adapterId} cannot mount admin procedures over the ${adapterId}.* area`);
    mounted[adapterId] = adapterAdminRouter(adapterId, schema);
  }
  return router({
    ...coreRouters,
    ...(mounted as { [K in Exclude<keyof A, keyof typeof coreRouters>]: MountedAdmin<A[K]> }),
  });
}

/** The router type for a set of mounted admins; the server's AppRouter is AppRouterFor<its admins>. */
export type AppRouterFor<A extends AdapterAdmins> = ReturnType<typeof createAppRouter<A>>;
