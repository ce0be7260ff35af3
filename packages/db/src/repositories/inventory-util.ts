// Helpers the inventory repositories share: JSON columns, telling a lost race (duplicate key, lock conflict) apart.

/** Parses a JSON TEXT column; the columns are written only by these repositories, so the shape is trusted. */
export function parseJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

/** SQLite says SQLITE_CONSTRAINT_UNIQUE / PRIMARYKEY; MySQL and MariaDB say ER_DUP_ENTRY (1062). */
export function isUniqueViolation(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const code = (e as { code?: unknown }).code;
  const errno = (e as { errno?: unknown }).errno;
  return (
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    code === 'ER_DUP_ENTRY' ||
    errno === 1062
  );
}

/** MariaDB deadlock (1213) or lock wait timeout (1205): the transaction was rolled back and may simply run again. */
export function isLockConflict(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  return [1213, 1205].includes(Number((e as { errno?: unknown }).errno));
}

/** A compare-and-set update changed a row only when the affected-row count is one. */
export function affected(result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }): boolean {
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0n) > 0;
}
