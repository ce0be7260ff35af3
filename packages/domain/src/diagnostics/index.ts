// Diagnostics: the pure model of why a VPC, tier or NIC is in Error, and the redactor shared by logs and bundles.
export * from './categories';
export * from './diagnose';
export * from './negotiation';
export * from './not-realized';
export * from './redact';
export * from './types';
