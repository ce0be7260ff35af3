export * from './connect';
export * from './migrate';
export * as auditRepo from './repositories/audit';
export type * from './schema';
export * as sessionsRepo from './repositories/sessions';
export * as settingsRepo from './repositories/settings';
export * as usersRepo from './repositories/users';
