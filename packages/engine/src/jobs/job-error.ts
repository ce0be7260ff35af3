// What a failed job stores as its error: our failures with their code and details, call failures with the call they
// point at, anything else with its code (or INTERNAL) and message.
import { CallFailed, JobFailure } from '../errors';

export function errorOf(e: unknown): Record<string, unknown> {
  if (e instanceof JobFailure) return { code: e.code, message: e.message, ...e.details };
  if (e instanceof CallFailed) {
    return {
      code: 'CALL_FAILED',
      message: e.message,
      category: e.error.category,
      vendorCode: e.error.vendorCode,
      callId: e.callId,
      controllerId: e.controllerId,
      element: e.adapterId,
    };
  }
  const code = (e as { code?: unknown })?.code;
  return {
    code: typeof code === 'string' ? code : 'INTERNAL',
    message: e instanceof Error ? e.message : String(e),
  };
}
