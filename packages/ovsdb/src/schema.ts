// The parts of an OVSDB schema (RFC 7047 §3.2) the client needs: which columns are sets and maps.
export type ColumnType =
  | string
  | {
      key: string | { type: string; refTable?: string; refType?: 'strong' | 'weak'; enum?: unknown };
      value?: string | { type: string };
      min?: number;
      max?: number | 'unlimited';
    };
export type ColumnSchema = { type: ColumnType; ephemeral?: boolean; mutable?: boolean };
export type TableSchema = {
  columns: Record<string, ColumnSchema>;
  isRoot?: boolean;
  indexes?: string[][];
  maxRows?: number;
};
export type DatabaseSchema = {
  name: string;
  version: string;
  cksum?: string;
  tables: Record<string, TableSchema>;
};

export type ColumnKind = 'atom' | 'set' | 'map';

/** A column holding more than one value, or possibly none, is a set; one with a value type is a map. */
export function columnKind(column: ColumnSchema): ColumnKind {
  const t = column.type;
  if (typeof t === 'string') return 'atom';
  if (t.value !== undefined) return 'map';
  const min = t.min ?? 1;
  const max = t.max ?? 1;
  return min === 1 && max === 1 ? 'atom' : 'set';
}
