// OVSDB value encoding (RFC 7047 §5.1): atoms, ["uuid"], ["named-uuid"], ["set"], ["map"], and readers back.
export type Uuid = ['uuid', string];
export type NamedUuid = ['named-uuid', string];
export type Atom = string | number | boolean | Uuid | NamedUuid;
export type OvsdbSet = ['set', Atom[]];
export type OvsdbMap = ['map', [Atom, Atom][]];
export type Value = Atom | OvsdbSet | OvsdbMap;
export type Row = Record<string, Value>;

/** A reference to an existing row. */
export const uuid = (id: string): Uuid => ['uuid', id];
/** A reference to a row inserted earlier in the same transaction under `uuid-name`. */
export const namedUuid = (name: string): NamedUuid => ['named-uuid', name];
export const set = (atoms: Iterable<Atom>): OvsdbSet => ['set', [...atoms]];
export const map = (entries: Record<string, Atom> | Iterable<[Atom, Atom]>): OvsdbMap =>
  Symbol.iterator in entries
    ? ['map', [...(entries as Iterable<[Atom, Atom]>)]]
    : ['map', Object.entries(entries as Record<string, Atom>)];
/** An empty optional column (a set with no element). */
export const none = (): OvsdbSet => ['set', []];

const isTagged = (v: unknown, tag: string): boolean => Array.isArray(v) && v.length === 2 && v[0] === tag;

export const isUuid = (v: unknown): v is Uuid => isTagged(v, 'uuid') && typeof (v as Uuid)[1] === 'string';
export const isSet = (v: unknown): v is OvsdbSet => isTagged(v, 'set') && Array.isArray((v as OvsdbSet)[1]);
export const isMap = (v: unknown): v is OvsdbMap => isTagged(v, 'map') && Array.isArray((v as OvsdbMap)[1]);

/** Elements of a set column; a single atom is how OVSDB encodes a one-element set. */
export function toAtoms(v: Value | undefined): Atom[] {
  if (v === undefined) return [];
  if (isSet(v)) return v[1];
  if (isMap(v)) throw new TypeError('expected a set, got a map');
  return [v];
}

/** A string→string map column as a plain record (non-string atoms are stringified). */
export function toRecord(v: Value | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (v === undefined) return out;
  if (!isMap(v)) throw new TypeError('expected a map');
  for (const [k, val] of v[1]) out[atomKey(k)] = atomKey(val);
  return out;
}

/** The uuid string of a uuid atom, or undefined. */
export const uuidOf = (v: Value | undefined): string | undefined => (isUuid(v) ? v[1] : undefined);

/** Uuid strings of a set-of-uuid column. */
export const toUuids = (v: Value | undefined): string[] =>
  toAtoms(v)
    .map((a) => uuidOf(a))
    .filter((s): s is string => s !== undefined);

/** The only element of an optional (0..1) column, or undefined. */
export function optional(v: Value | undefined): Atom | undefined {
  const atoms = toAtoms(v);
  return atoms[0];
}

/** A stable string for an atom, used to compare and key atoms (uuids compare by id). */
export function atomKey(a: Atom): string {
  if (typeof a === 'string') return a;
  if (typeof a === 'number' || typeof a === 'boolean') return String(a);
  return a[1];
}

const atomIdentity = (a: Atom): string => (typeof a === 'object' ? `${a[0]}:${a[1]}` : `${typeof a}:${a}`);
export const atomsEqual = (a: Atom, b: Atom): boolean => atomIdentity(a) === atomIdentity(b);

/** Set symmetric difference, which is how update2 "modify" describes a changed set column. */
export function applySetDiff(current: Atom[], diff: Atom[]): Atom[] {
  const out = new Map(current.map((a) => [atomIdentity(a), a]));
  for (const a of diff) {
    const k = atomIdentity(a);
    if (out.has(k)) out.delete(k);
    else out.set(k, a);
  }
  return [...out.values()];
}

/**
 * Map diff per RFC 7047 update2: a key not present is added, a key present with the same value is removed,
 * a key present with another value takes the new value.
 */
export function applyMapDiff(current: [Atom, Atom][], diff: [Atom, Atom][]): [Atom, Atom][] {
  const out = new Map(current.map(([k, v]) => [atomIdentity(k), [k, v] as [Atom, Atom]]));
  for (const [k, v] of diff) {
    const key = atomIdentity(k);
    const existing = out.get(key);
    if (existing === undefined) out.set(key, [k, v]);
    else if (atomsEqual(existing[1], v)) out.delete(key);
    else out.set(key, [k, v]);
  }
  return [...out.values()];
}
