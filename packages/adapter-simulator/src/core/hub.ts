// SimulatorHub: the simulated controllers of one process, keyed by controller id, with the control surface the
// API, the console and tests use (profile, faults, stats, tampering behind the engine's back).
import { AdapterError } from '@netplane/adapter-sdk';
import type { CallRecord } from './call-log';
import { SimulatedController } from './controller';
import { listResources } from './listing';
import { nameOf, OUR_OWNER, segmentKey } from './store';
import {
  type ActiveFault,
  type FaultSpec,
  type ForeignPlant,
  foreignPlantSchema,
  type SimResourcePage,
  type SimResourceQuery,
  type SimulatorControl,
  type SimulatorProfile,
  type SimulatorProfilePatch,
  type SimulatorState,
  type SimulatorStats,
  type SimulatorSummary,
  type TamperSpec,
} from './types';

export class SimulatorHub implements SimulatorControl {
  private readonly controllers = new Map<string, SimulatedController>();

  constructor(readonly version = '0.0.0') {}

  /** The controller with this id, created with the default profile on first use. */
  controller(controllerId: string): SimulatedController {
    let c = this.controllers.get(controllerId);
    if (!c) {
      c = new SimulatedController(controllerId, this.version);
      this.controllers.set(controllerId, c);
    }
    return c;
  }

  has(controllerId: string): boolean {
    return this.controllers.has(controllerId);
  }

  ids(): string[] {
    return [...this.controllers.keys()];
  }

  /** Forgets a controller and everything it held (a deleted controller record). */
  remove(controllerId: string): void {
    this.controllers.delete(controllerId);
  }

  private known(controllerId: string): SimulatedController {
    const c = this.controllers.get(controllerId);
    if (!c)
      throw new AdapterError('INVALID_REQUEST', `No simulated controller ${controllerId}`, {
        vendorCode: 'NOT_FOUND',
      });
    return c;
  }

  async getState(controllerId: string): Promise<SimulatorState | null> {
    return this.controllers.get(controllerId)?.getState() ?? null;
  }

  async getSummary(controllerId: string): Promise<SimulatorSummary | null> {
    return this.controllers.get(controllerId)?.getSummary() ?? null;
  }

  async listResources(controllerId: string, query: SimResourceQuery): Promise<SimResourcePage> {
    const c = this.controllers.get(controllerId);
    return c ? listResources(c.store, query) : { items: [], nextCursor: null, total: 0 };
  }

  async setProfile(controllerId: string, patch: SimulatorProfilePatch): Promise<SimulatorProfile> {
    return this.controller(controllerId).setProfile(patch);
  }

  async injectFault(controllerId: string, fault: FaultSpec): Promise<ActiveFault> {
    return this.controller(controllerId).injectFault(fault);
  }

  async clearFaults(controllerId: string): Promise<void> {
    this.controllers.get(controllerId)?.clearFaults();
  }

  async resetStats(controllerId: string): Promise<void> {
    this.controllers.get(controllerId)?.resetStats();
  }

  /** The controller's recent calls (up to 20 000) that arrived at or after `since` (epoch ms). */
  calls(controllerId: string, since = 0): CallRecord[] {
    return this.controllers.get(controllerId)?.calls.since(since) ?? [];
  }

  stats(controllerId: string): SimulatorStats {
    return this.known(controllerId).getStats();
  }

  /**
   * Deletes, alters or breaks one of our resources (a router, switch, port, or a nat/lb rule by its rule id) without
   * telling the engine, so reconciliation has drift to find.
   */
  tamper(controllerId: string, spec: TamperSpec): void {
    const controller = this.known(controllerId);
    const store = controller.store;
    const { kind, id } = spec;
    if (kind === 'nat' || kind === 'lb' || kind === 'pf') {
      const rule = store.rules(kind).get(id);
      if (!rule) throw new AdapterError('INVALID_REQUEST', `No ${kind} rule ${id} to tamper with`);
      if (spec.action === 'delete') store.rules(kind).delete(id);
      else if (spec.action === 'alter') rule.attributes = { ...rule.attributes, ...spec.attributes };
      else rule.issues = [...(rule.issues ?? []), spec.issue];
      controller.changed([rule.vpcId]);
      return;
    }
    if (kind === 'acl') {
      // A tier's ACL (id = network id) deleted by hand: the switch stays, its rules are gone.
      const acl = store.acls.get(id);
      if (!acl) throw new AdapterError('INVALID_REQUEST', `No ACL on network ${id} to tamper with`);
      if (spec.action !== 'delete') throw new AdapterError('INVALID_REQUEST', 'An ACL can only be deleted');
      store.acls.delete(id);
      const sw = store.networks.get(nameOf('network', id));
      if (sw) {
        const { acl: _acl, aclList: _list, aclListName: _name, ...rest } = sw.attributes;
        sw.attributes = rest;
      }
      controller.changed([acl.vpcId]);
      return;
    }
    const name = nameOf(kind, id);
    const resource = store.table(kind).get(name);
    if (!resource) throw new AdapterError('INVALID_REQUEST', `No ${kind} ${id} to tamper with`);
    controller.changed([resource.externalIds['netplane:vpc'] ?? '']);
    if (spec.action === 'delete') {
      if (kind === 'network') store.removeNetwork(name);
      else store.table(kind).delete(name);
      return;
    }
    if (spec.action === 'alter') resource.attributes = { ...resource.attributes, ...spec.attributes };
    else resource.issues = [...(resource.issues ?? []), spec.issue];
  }

  /**
   * Creates a foreign resource directly: a segment on someone else's switch, a resource with our name, or a public
   * IP (or one VIP of it) someone else uses. It stays until removeForeign, whatever clearFaults does.
   */
  plantForeign(controllerId: string, plant: ForeignPlant): void {
    const p = foreignPlantSchema.parse(plant);
    const controller = this.controller(controllerId);
    const store = controller.store;
    // A foreign resource taking our name replaces ours: the VPC it belonged to has drift.
    if (p.kind === 'vpc' || p.kind === 'network' || p.kind === 'nic') {
      const replaced = store.table(p.kind).get(nameOf(p.kind, p.id));
      if (replaced?.owner === OUR_OWNER) controller.changed([replaced.externalIds['netplane:vpc'] ?? '']);
    }
    if (p.kind === 'segment') store.plantSegment(p.method, p.segmentId, p.owner, false);
    else if (p.kind === 'publicIp')
      store.plantAddress({
        ip: p.ip,
        ...(p.vip && { vip: p.vip }),
        ...(p.vpcId !== undefined && { vpcId: p.vpcId }),
        owner: p.owner,
        plantedByFault: false,
      });
    else store.plantForeign(p.kind, p.id, p.owner, false);
  }

  /** Removes what plantForeign planted with the same spec (owner aside): the foreign system gave it up. */
  removeForeign(controllerId: string, plant: ForeignPlant): void {
    const p = foreignPlantSchema.parse(plant);
    const store = this.controllers.get(controllerId)?.store;
    if (!store) return;
    if (p.kind === 'segment') {
      const key = segmentKey(p.method, p.segmentId);
      if (store.segments.get(key)?.owner !== OUR_OWNER) store.segments.delete(key);
    } else if (p.kind === 'publicIp') store.removeAddress(p.ip, p.vip, p.vpcId);
    else {
      const name = nameOf(p.kind, p.id);
      if (store.table(p.kind).get(name)?.owner !== OUR_OWNER) store.table(p.kind).delete(name);
    }
  }

  /** Whether a foreign resource planted with our name is still there, untouched (conflict tests). */
  isForeignIntact(controllerId: string, kind: 'vpc' | 'network' | 'nic', id: string, owner: string): boolean {
    const r = this.controllers.get(controllerId)?.store.table(kind).get(nameOf(kind, id));
    return r !== undefined && r.owner === owner && Object.keys(r.attributes).length === 0;
  }
}
