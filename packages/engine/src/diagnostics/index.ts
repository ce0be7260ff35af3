// Diagnostics: the Error hook, the read side (grouped by root cause) and the stuck-work query.

export { runDiagnosisAction, type ServerAction } from './actions';
export { diagnoseEntityError, type EntityErrorEvent, onEntityError } from './hook';
export {
  type DiagnosisPageQuery,
  type DiagnosisView,
  getDiagnosisView,
  groupByRootCause,
  listDiagnosisViews,
  pageDiagnosisViews,
} from './queries';
export { listStuckWork, type StuckItem, type StuckQuery } from './stuck';
