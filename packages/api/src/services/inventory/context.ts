// What inventory services need from the tRPC context, and the errors they share.
import { AppError } from '@netplane/domain';
import type { Context } from '../../context';

export type ServiceCtx = Pick<Context, 'db' | 'user' | 'deps'>;

export function notFound(kind: string, id: string): AppError {
  return new AppError('NOT_FOUND', `${kind} ${id} does not exist`, { kind, id });
}

/** Someone else changed the row between our read and our write: the caller re-reads and tries again. */
export function staleVersion(kind: string, id: string): AppError {
  return new AppError('CONFLICT', `${kind} ${id} was changed by someone else; reload and try again`, {
    kind,
    id,
  });
}

/** Reads the current version when the caller gave none, and refuses a stale one. */
export function checkVersion(kind: string, id: string, current: number, given: number | undefined): number {
  if (given !== undefined && given !== current) throw staleVersion(kind, id);
  return current;
}
