import { ROLES } from '@netplane/domain';
import { describe, expect, it } from 'vitest';
import { type Action, can } from './can';

describe('can', () => {
  it('lets only admins edit inventory and manage users', () => {
    for (const action of ['inventory.edit', 'users.manage'] as Action[]) {
      expect(ROLES.filter((r) => can(r, action))).toEqual(['admin']);
    }
  });

  it('lets admins and operators provision and script the simulator', () => {
    for (const action of ['provision', 'simulator.control'] as Action[]) {
      expect(ROLES.filter((r) => can(r, action))).toEqual(['admin', 'operator']);
    }
  });

  it('lets support act on diagnostics but never a viewer', () => {
    expect(ROLES.filter((r) => can(r, 'diagnostics.act'))).toEqual(['admin', 'operator', 'support']);
  });

  it('gives a viewer no mutating action at all', () => {
    const actions: Action[] = [
      'inventory.edit',
      'users.manage',
      'provision',
      'simulator.control',
      'diagnostics.act',
    ];
    expect(actions.filter((a) => can('viewer', a))).toEqual([]);
  });
});
