// Network service providers: one per adapter per physical network, with CloudStack's Enabled/Disabled/Shutdown rules.
import { z } from 'zod';
import { assertNever, PROVIDER_STATES, type ProviderState, SERVICES } from '../vocabulary';
import { serviceCapabilitiesSchema } from './capability-values';
import { idSchema, nameSchema, timestampsShape, versionSchema } from './common';

export const providerStateSchema = z.enum(PROVIDER_STATES);

export const providerSchema = z.object({
  id: idSchema,
  physicalNetworkId: idSchema,
  name: z.string(),
  adapterId: z.string(),
  state: providerStateSchema,
  enabledServices: z.array(z.enum(SERVICES)),
  capabilityOverrides: serviceCapabilitiesSchema,
  ...timestampsShape,
});
export type Provider = z.infer<typeof providerSchema>;

const serviceListSchema = z
  .array(z.enum(SERVICES))
  .max(SERVICES.length)
  .transform((s) => [...new Set(s)]);

export const providerCreateInput = z.object({
  physicalNetworkId: idSchema,
  adapterId: z.string().trim().min(1).max(64),
  /** Defaults to the adapter's display name. */
  name: nameSchema.optional(),
  /** Defaults to every service the adapter offers. */
  enabledServices: serviceListSchema.optional(),
  capabilityOverrides: serviceCapabilitiesSchema.default({}),
});
export type ProviderCreateInput = z.infer<typeof providerCreateInput>;

export const providerUpdateInput = z.object({
  id: idSchema,
  version: versionSchema.optional(),
  name: nameSchema.optional(),
  enabledServices: serviceListSchema.optional(),
  capabilityOverrides: serviceCapabilitiesSchema.optional(),
});
export type ProviderUpdateInput = z.infer<typeof providerUpdateInput>;

export const providerStateInput = z.object({ id: idSchema, state: providerStateSchema });

export type ProviderTransitionFacts = {
  /** CloudStack's element.isReady(): at least one controller of the provider can take calls. */
  hasUsableController: boolean;
};
export type ProviderTransitionCheck = { ok: true } | { ok: false; reason: string };

/**
 * CloudStack's rules: Disabled ⇄ Enabled, enabling needs a ready element; Shutdown stops the provider's elements
 * and is final (the provider is then deleted or recreated). Setting the current state again is a no-op.
 */
export function checkProviderTransition(
  from: ProviderState,
  to: ProviderState,
  facts: ProviderTransitionFacts,
): ProviderTransitionCheck {
  if (from === to) return { ok: true };
  if (from === 'Shutdown') {
    return {
      ok: false,
      reason: 'A provider that was shut down cannot change state; delete it and add it again',
    };
  }
  switch (to) {
    case 'Enabled':
      return facts.hasUsableController
        ? { ok: true }
        : {
            ok: false,
            reason: 'Provider is not ready: add a controller in state Enabled before enabling it',
          };
    case 'Disabled':
    case 'Shutdown':
      return { ok: true };
    default:
      return assertNever(to, 'ProviderState');
  }
}

/** Providers in these states may be deleted (an Enabled one must be disabled or shut down first). */
export const isProviderDeletable = (state: ProviderState): boolean => state !== 'Enabled';
