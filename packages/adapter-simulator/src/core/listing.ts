// Pages of a simulated controller's resource tables, ordered by name, for the console's details views. One pass
// over the table per page and no sort of the whole table: 100k ports cost a scan, not a copy.
import { AdapterError } from '@netplane/adapter-sdk';
import type { SimResource, SimStore } from './store';
import type { SimResourcePage, SimResourceQuery, SimResourceRow } from './types';

const encodeCursor = (name: string): string => Buffer.from(`n:${name}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const raw = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!raw.startsWith('n:') || raw.length < 3)
    throw new AdapterError('INVALID_REQUEST', 'Malformed cursor', { vendorCode: 'BAD_CURSOR' });
  return raw.slice(2);
}

function rowOf(r: SimResource): SimResourceRow {
  const ours = r.owner === 'netplane';
  return {
    name: r.name,
    id: ours ? (r.externalIds['netplane:id'] ?? null) : null,
    owner: r.owner,
    vpcId: r.externalIds['netplane:vpc'] ?? null,
    networkId:
      r.kind === 'network'
        ? (r.externalIds['netplane:id'] ?? null)
        : (r.externalIds['netplane:network'] ?? null),
    attributes: { ...r.attributes },
    issues: [...(r.issues ?? [])],
  };
}

/** The `limit` smallest names after the cursor, with the total of the filter (every page counts it afresh). */
export function listResources(store: SimStore, query: SimResourceQuery): SimResourcePage {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const matches = (r: SimResource) =>
    query.networkId === undefined || r.externalIds['netplane:network'] === query.networkId;
  let total = 0;
  // Kept sorted, at most limit + 1 long (the extra one tells whether a next page exists).
  const best: SimResource[] = [];
  const keep = query.limit + 1;
  for (const r of store.table(query.kind).values()) {
    if (!matches(r)) continue;
    total++;
    if (after !== undefined && r.name <= after) continue;
    const last = best[best.length - 1];
    if (best.length === keep && last && r.name >= last.name) continue;
    let i = best.length;
    while (i > 0 && (best[i - 1] as SimResource).name > r.name) i--;
    best.splice(i, 0, r);
    if (best.length > keep) best.pop();
  }
  const page = best.slice(0, query.limit);
  const lastRow = page[page.length - 1];
  return {
    items: page.map(rowOf),
    nextCursor: best.length > query.limit && lastRow ? encodeCursor(lastRow.name) : null,
    total,
  };
}
