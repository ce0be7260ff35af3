// `npm start -- --demo` / NETPLANE_DEMO=1: load the demo on start when the inventory is empty, as the first admin. On
// a database with no user yet the server first makes the demo admin (see apps/server/src/start.ts), whose password
// the start banner shows: a newcomer signs in and finds something on every page.
import { usersRepo } from '@netplane/db';
import { createContextInner } from '../../context';
import type { ApiDeps } from '../../deps';
import { coreCaller } from '../../root';
import { startDemoLoad, whyNotLoadable } from './run';

export type DemoOnStart = { loading: true; done: Promise<void> } | { loading: false; why: string };

export async function loadDemoOnStart(deps: ApiDeps, username = 'admin'): Promise<DemoOnStart> {
  const user = await usersRepo.findUserByUsername(deps.db.db, username);
  if (user?.role !== 'admin') return { loading: false, why: `there is no admin named ${username}` };
  const authUser = { id: user.id, username: user.username, role: user.role };
  const ctx = { ...createContextInner(deps, { user: authUser }), user: authUser };
  const why = await whyNotLoadable(ctx);
  if (why) return { loading: false, why };
  const { done } = await startDemoLoad(ctx, coreCaller);
  return { loading: true, done };
}
