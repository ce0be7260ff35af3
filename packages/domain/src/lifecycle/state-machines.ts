// The state machines of VPCs, tiers (networks) and NICs: which transition is allowed, in one table per entity.
import { NETWORK_STATES, type NetworkState, NIC_STATES, type NicState } from '../vocabulary';

/** A VPC follows its tiers: Implemented once a tier is, Shutdown while it is being destroyed. */
export const VPC_STATES = [
  'Allocated',
  'Implementing',
  'Implemented',
  'Shutdown',
  'Destroy',
  'Error',
] as const;
export type VpcState = (typeof VPC_STATES)[number];

export const ENTITY_TYPES = ['vpc', 'network', 'nic'] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export type StateOf<E extends EntityType> = E extends 'vpc'
  ? VpcState
  : E extends 'network'
    ? NetworkState
    : NicState;

type Table<S extends string> = Record<S, readonly S[]>;

/**
 * Allocated → Implementing → Implemented → Shutdown → Allocated, Destroy; Error when a failure could not be rolled
 * back. Implementing → Allocated is a clean rollback. From Error a retry may implement again, shut down or destroy.
 */
export const NETWORK_TRANSITIONS: Table<NetworkState> = {
  Allocated: ['Implementing', 'Destroy', 'Error'],
  Implementing: ['Implemented', 'Allocated', 'Error'],
  Implemented: ['Shutdown', 'Error'],
  Shutdown: ['Allocated', 'Destroy', 'Error'],
  Destroy: [],
  Error: ['Implementing', 'Shutdown', 'Allocated', 'Destroy'],
};

/** Allocated → Reserving → Reserved → Releasing → Allocated, Deallocating (the NIC is being removed); plus Error. */
export const NIC_TRANSITIONS: Table<NicState> = {
  Allocated: ['Reserving', 'Deallocating', 'Error'],
  Reserving: ['Reserved', 'Allocated', 'Error'],
  Reserved: ['Releasing', 'Error'],
  Releasing: ['Allocated', 'Error'],
  Deallocating: [],
  Error: ['Reserving', 'Releasing', 'Allocated', 'Deallocating', 'Reserved'],
};

export const VPC_TRANSITIONS: Table<VpcState> = {
  Allocated: ['Implementing', 'Implemented', 'Shutdown', 'Error'],
  Implementing: ['Implemented', 'Allocated', 'Error'],
  Implemented: ['Shutdown', 'Error'],
  Shutdown: ['Destroy', 'Error', 'Implemented', 'Allocated'],
  Destroy: [],
  Error: ['Implementing', 'Implemented', 'Shutdown', 'Allocated', 'Destroy'],
};

const TABLES: { [E in EntityType]: Table<StateOf<E>> } = {
  vpc: VPC_TRANSITIONS,
  network: NETWORK_TRANSITIONS,
  nic: NIC_TRANSITIONS,
};

export const STATES_OF: { [E in EntityType]: readonly StateOf<E>[] } = {
  vpc: VPC_STATES,
  network: NETWORK_STATES,
  nic: NIC_STATES,
};

export type TransitionCheck = { ok: true } | { ok: false; message: string };

/** The one transition function: pure, says whether `from → to` is allowed for the entity type. */
export function checkTransition<E extends EntityType>(entity: E, from: string, to: string): TransitionCheck {
  const states = STATES_OF[entity] as readonly string[];
  if (!states.includes(from)) return { ok: false, message: `${entity} has unknown state ${from}` };
  if (!states.includes(to)) return { ok: false, message: `${entity} cannot enter unknown state ${to}` };
  const allowed = (TABLES[entity] as Record<string, readonly string[]>)[from] ?? [];
  if (!allowed.includes(to)) {
    return {
      ok: false,
      message: `A ${entity} in state ${from} cannot move to ${to} (allowed: ${allowed.join(', ') || 'none'})`,
    };
  }
  return { ok: true };
}

export const isTerminal = (entity: EntityType, state: string): boolean =>
  ((TABLES[entity] as Record<string, readonly string[]>)[state] ?? []).length === 0;
