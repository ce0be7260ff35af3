// The demo's record (settings key `demo`): its state, its progress, and the id of everything it made, written after
// each step, so removal deletes exactly what the demo created even after a load that failed half-way or a node that
// died mid-load. The claim key makes a load or a removal run once across a cluster.

import type { Db } from '@netplane/db';
import { settingsRepo } from '@netplane/db';

export const DEMO_KEY = 'demo';
export const DEMO_CLAIM_KEY = 'demo-claim';

export type DemoCreated = {
  zoneIds: string[];
  physicalNetworkIds: string[];
  publicIpRangeIds: string[];
  providerIds: string[];
  controllerIds: string[];
  offeringIds: string[];
  vpcIds: string[];
};

export type DemoState = 'loading' | 'loaded' | 'removing' | 'failed';

export type DemoRecord = {
  state: DemoState;
  /** What is being done now, for people ("Implementing the tiers of demo-shop"). */
  step: string;
  done: number;
  total: number;
  error: string | null;
  /** The VPC that works and the one that fails, for the console's links. */
  healthyVpcId: string | null;
  failingVpcId: string | null;
  created: DemoCreated;
  startedBy: string;
  updatedAt: number;
};

export const emptyCreated = (): DemoCreated => ({
  zoneIds: [],
  physicalNetworkIds: [],
  publicIpRangeIds: [],
  providerIds: [],
  controllerIds: [],
  offeringIds: [],
  vpcIds: [],
});

export async function readDemo(db: Db): Promise<DemoRecord | undefined> {
  const raw = await settingsRepo.getSetting(db, DEMO_KEY);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as DemoRecord;
  } catch {
    return undefined;
  }
}

export const writeDemo = (db: Db, r: DemoRecord) =>
  settingsRepo.setSetting(db, DEMO_KEY, JSON.stringify(r), r.updatedAt);

export const deleteDemo = (db: Db) => settingsRepo.deleteSetting(db, DEMO_KEY);
