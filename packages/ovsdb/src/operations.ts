// Typed builders for the operations of an OVSDB "transact" (RFC 7047 §5.2).
import type { Row, Value } from './encoding';

export type ConditionFunction = '<' | '<=' | '==' | '!=' | '>=' | '>' | 'includes' | 'excludes';
export type Condition = [column: string, fn: ConditionFunction, value: Value];
export type Mutator = '+=' | '-=' | '*=' | '/=' | '%=' | 'insert' | 'delete';
export type Mutation = [column: string, mutator: Mutator, value: Value];

export type InsertOp = { op: 'insert'; table: string; row: Row; 'uuid-name'?: string; uuid?: string };
export type SelectOp = { op: 'select'; table: string; where: Condition[]; columns?: string[] };
export type UpdateOp = { op: 'update'; table: string; where: Condition[]; row: Row };
export type MutateOp = { op: 'mutate'; table: string; where: Condition[]; mutations: Mutation[] };
export type DeleteOp = { op: 'delete'; table: string; where: Condition[] };
export type WaitOp = {
  op: 'wait';
  table: string;
  where: Condition[];
  columns: string[];
  until: '==' | '!=';
  rows: Row[];
  timeout?: number;
};
export type CommentOp = { op: 'comment'; comment: string };
export type AssertOp = { op: 'assert'; lock: string };
export type AbortOp = { op: 'abort' };
export type Operation =
  | InsertOp
  | SelectOp
  | UpdateOp
  | MutateOp
  | DeleteOp
  | WaitOp
  | CommentOp
  | AssertOp
  | AbortOp;

/** One element of a transact result, in the order of the operations. */
export type OperationResult = {
  uuid?: ['uuid', string];
  rows?: (Row & { _uuid?: ['uuid', string] })[];
  count?: number;
  error?: string;
  details?: string;
};

export const where = {
  eq: (column: string, value: Value): Condition => [column, '==', value],
  ne: (column: string, value: Value): Condition => [column, '!=', value],
  includes: (column: string, value: Value): Condition => [column, 'includes', value],
  excludes: (column: string, value: Value): Condition => [column, 'excludes', value],
};

export const op = {
  /** `uuidName` lets later operations of the same transaction refer to the row as ["named-uuid", uuidName]. */
  insert(table: string, row: Row, uuidName?: string): InsertOp {
    return uuidName === undefined
      ? { op: 'insert', table, row }
      : { op: 'insert', table, row, 'uuid-name': uuidName };
  },
  select(table: string, conditions: Condition[] = [], columns?: string[]): SelectOp {
    return columns === undefined
      ? { op: 'select', table, where: conditions }
      : { op: 'select', table, where: conditions, columns };
  },
  update(table: string, conditions: Condition[], row: Row): UpdateOp {
    return { op: 'update', table, where: conditions, row };
  },
  mutate(table: string, conditions: Condition[], mutations: Mutation[]): MutateOp {
    return { op: 'mutate', table, where: conditions, mutations };
  },
  delete(table: string, conditions: Condition[]): DeleteOp {
    return { op: 'delete', table, where: conditions };
  },
  /** Aborts the whole transaction unless the selected rows' `columns` equal (or differ from) `rows`. */
  wait(
    table: string,
    conditions: Condition[],
    columns: string[],
    until: '==' | '!=',
    rows: Row[],
    timeoutMs?: number,
  ): WaitOp {
    const w: WaitOp = { op: 'wait', table, where: conditions, columns, until, rows };
    if (timeoutMs !== undefined) w.timeout = timeoutMs;
    return w;
  },
  comment(text: string): CommentOp {
    return { op: 'comment', comment: text };
  },
  abort(): AbortOp {
    return { op: 'abort' };
  },
};
