// Negotiation: verdict per provider and service.
export * from './negotiate';
