// Which controller credentials this node cannot decrypt because it lacks their master key (for the admins' banner).
import { controllersRepo } from '@netplane/db';
import { CREDENTIALS_HEALTH_LIST, type CredentialsHealth } from '@netplane/domain';
import type { ServiceCtx } from './context';

function missing(byKey: Record<string, number>, held: readonly string[] | undefined): string[] {
  if (held === undefined) return [];
  return Object.keys(byKey)
    .filter((id) => !held.includes(id))
    .sort();
}

export async function credentialsHealth(ctx: Pick<ServiceCtx, 'db' | 'deps'>): Promise<CredentialsHealth> {
  const { secrets } = ctx.deps;
  const byKey = await controllersRepo.countByKeyId(ctx.db);
  let missingKeyIds = missing(byKey, secrets.keyIds);
  if (missingKeyIds.length > 0 && secrets.reload) {
    try {
      secrets.reload();
    } catch {
      // a broken or missing key file: report against the keys still held
    }
    missingKeyIds = missing(byKey, secrets.keyIds);
  }
  return {
    sealedRows: Object.values(byKey).reduce((a, b) => a + b, 0),
    unreadableRows: missingKeyIds.reduce((a, id) => a + (byKey[id] ?? 0), 0),
    missingKeyIds,
    controllers: await controllersRepo.listSealedUnder(ctx.db, missingKeyIds, CREDENTIALS_HEALTH_LIST),
  };
}
