// The benchmark's raw baseline: the same NIC ports as prepareNics writes, as one bare transaction (no reads, no checks).
import type { NicSpec } from '@netplane/adapter-sdk';
import { namedUuid, type Operation, op, set, where } from '@netplane/ovsdb';
import { names } from './names';
import { nicPortRow } from './nics';

/** Inserts every NIC's port and adds them all to the tier's switch, as a single transaction's operations. */
export function rawPrepareOps(networkId: string, nics: readonly NicSpec[]): Operation[] {
  const inserts = nics.map((nic, i) => op.insert('Logical_Switch_Port', nicPortRow(nic, undefined), `p${i}`));
  const refs = set(nics.map((_, i) => namedUuid(`p${i}`)));
  return [
    ...inserts,
    op.mutate('Logical_Switch', [where.eq('name', names.switch(networkId))], [['ports', 'insert', refs]]),
  ];
}
