export * from './context';
export { DATABASE_RETRY_AFTER_SECONDS, databaseUnavailableError } from './database-unavailable';
export * from './deps';
export { REST_BASE_PATH, restOpenApiDocument } from './openapi';
export * from './root';
export { manifestViewProblem } from './routers/adapters';
export { recordAudit, redact } from './services/audit';
export { createLoginLimiter, DEFAULT_LOGIN_LIMITS } from './services/auth-rate-limit';
export {
  type RotateCommandOptions,
  type RotateCommandReport,
  type RotationReport,
  retireUnusedKeys,
  rotateCredentials,
  rotateMasterKey,
} from './services/credentials-rotation';
export { type DemoOnStart, loadDemoOnStart } from './services/demo/startup';
export { actorOf } from './services/engine';
export { credentialsHealth } from './services/inventory/credentials-health';
export { compileManifestSchema } from './services/inventory/manifest-schemas';
export { purgeExpiredSessions, resolveSession, SESSION_COOKIE } from './services/sessions';
export { type FirstRun, isSetupNeeded, prepareFirstRun } from './services/setup';
export { bearerOf, resolveBearer } from './services/token-auth';
export { createTokenLimiter, DEFAULT_TOKEN_LIMITS, type TokenLimitPolicy } from './services/token-limits';
export * from './trpc';
