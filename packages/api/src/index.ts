export * from './context';
export * from './deps';
export * from './root';
export { recordAudit, redact } from './services/audit';
export {
  createLoginLimiter,
  createLoginLimiterForUrl,
  DEFAULT_LOGIN_LIMITS,
  type LimiterStore,
} from './services/auth-rate-limit';
export {
  type RotateCommandOptions,
  type RotateCommandReport,
  type RotationReport,
  retireUnusedKeys,
  rotateCredentials,
  rotateMasterKey,
} from './services/credentials-rotation';
export { actorOf, engineOf } from './services/engine';
export { credentialsHealth } from './services/inventory/credentials-health';
export { purgeExpiredSessions, resolveSession, SESSION_COOKIE } from './services/sessions';
export { type FirstRun, prepareFirstRun } from './services/setup';
export * from './trpc';
