export * from './connect';
export * from './migrate';
export * as auditRepo from './repositories/audit';
export type * from './schema';
