export * from './context';
export * from './deps';
export * from './root';
export { recordAudit, redact } from './services/audit';
export * from './trpc';
