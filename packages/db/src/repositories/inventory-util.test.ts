// Telling a lost race (retry) from any other database error, as MariaDB and SQLite report them.
import { describe, expect, it } from 'vitest';
import { isLockConflict, isUniqueViolation } from './inventory-util';

const err = (props: object) => Object.assign(new Error('x'), props);

describe('isUniqueViolation and isLockConflict', () => {
  it('recognise a duplicate key on both dialects and a MariaDB deadlock or lock wait timeout', () => {
    expect(isUniqueViolation(err({ code: 'ER_DUP_ENTRY', errno: 1062 }))).toBe(true);
    expect(isUniqueViolation(err({ code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toBe(true);
    expect(isLockConflict(err({ code: 'ER_LOCK_DEADLOCK', errno: 1213 }))).toBe(true);
    expect(isLockConflict(err({ code: 'ER_LOCK_WAIT_TIMEOUT', errno: 1205 }))).toBe(true);
  });

  it('do not take other errors for a lost race', () => {
    for (const e of [
      err({ code: 'ER_NO_SUCH_TABLE', errno: 1146 }),
      err({ code: 'ECONNRESET' }),
      null,
      'x',
    ]) {
      expect(isUniqueViolation(e)).toBe(false);
      expect(isLockConflict(e)).toBe(false);
    }
    expect(isLockConflict(err({ code: 'ER_DUP_ENTRY', errno: 1062 }))).toBe(false);
  });
});
