// Support: the per-VPC support bundle and the triage queue.
export * from './bundle';
export * from './triage-actions';
export * from './triage-queue';
