// Lifecycle: state machines of VPCs, tiers and NICs.
export * from './state-machines';
