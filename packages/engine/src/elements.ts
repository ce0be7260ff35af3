// Builds one NetworkElement per controller from its adapter module; credentials are decrypted only here, only in
// memory, and never logged. Elements are cached per controller and rebuilt when the controller row changes.
import { type AdapterManifest, type NetworkElement, toAdapterLogger } from '@netplane/adapter-sdk';
import { controllersRepo, providersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { EngineDeps } from './types';

/** The controller whose credentials could not be decrypted, when `e` is that failure (see ElementRegistry.get). */
export function unreadableCredentialsOf(
  e: unknown,
): { controllerId: string; controllerName: string; reason: string } | undefined {
  if (!(e instanceof AppError) || e.code !== 'SECRET_UNREADABLE') return undefined;
  const d = (e.details ?? {}) as { controllerId?: unknown; controllerName?: unknown; reason?: unknown };
  if (typeof d.controllerId !== 'string') return undefined;
  return {
    controllerId: d.controllerId,
    controllerName: typeof d.controllerName === 'string' ? d.controllerName : d.controllerId,
    reason: typeof d.reason === 'string' ? d.reason : e.message,
  };
}

export type ControllerLimitsView = { maxConcurrent: number; callsPerSecond: number; timeoutMs: number };

export type ElementHandle = {
  element: NetworkElement;
  manifest: AdapterManifest;
  adapterId: string;
  providerId: string;
  controllerId: string;
  controllerName: string;
  limits: ControllerLimitsView;
  version: number;
};

const REFRESH_MS = 2_000;

/** Told when an element is built (first use, or a changed controller row) and when it is closed (the drift watch). */
export type ElementObserver = {
  built(handle: ElementHandle): void;
  closed(handle: ElementHandle): void;
};

export class ElementRegistry {
  private readonly cache = new Map<string, { handle: ElementHandle; checkedAt: number }>();
  private readonly observers = new Set<ElementObserver>();

  constructor(private readonly deps: EngineDeps) {}

  /** Adds an observer and tells it about the elements built so far; returns the function that removes it. */
  observe(observer: ElementObserver): () => void {
    this.observers.add(observer);
    for (const c of this.cache.values()) observer.built(c.handle);
    return () => this.observers.delete(observer);
  }

  private tell(event: keyof ElementObserver, handle: ElementHandle): void {
    for (const o of this.observers) {
      try {
        o[event](handle);
      } catch (e) {
        this.deps.logger.warn(
          { controllerId: handle.controllerId, error: (e as Error).message },
          `element observer failed (${event})`,
        );
      }
    }
  }

  manifestOf(adapterId: string): AdapterManifest | undefined {
    const reg = this.deps.adapters.find((a) => a.id === adapterId);
    return reg?.status === 'Fully Loaded' ? reg.module.manifest : undefined;
  }

  async get(controllerId: string): Promise<ElementHandle> {
    const now = Date.now();
    const cached = this.cache.get(controllerId);
    if (cached && now - cached.checkedAt < REFRESH_MS) return cached.handle;
    const db = this.deps.db.db;
    const controller = await controllersRepo.getController(db, controllerId);
    if (!controller) throw new AppError('NOT_FOUND', `Controller ${controllerId} does not exist`);
    if (cached && cached.handle.version === controller.version) {
      cached.checkedAt = now;
      return cached.handle;
    }
    const provider = await providersRepo.getProvider(db, controller.providerId);
    if (!provider)
      throw new AppError('NOT_FOUND', `Provider of controller ${controller.name} does not exist`);
    const reg = this.deps.adapters.find((a) => a.id === provider.adapterId);
    if (reg?.status !== 'Fully Loaded') {
      throw new AppError('PRECONDITION_FAILED', `Adapter ${provider.adapterId} is not loaded`);
    }
    const sealed = await controllersRepo.getControllerSecret(db, controllerId);
    let credentials: Record<string, string> = {};
    if (sealed?.ciphertext) {
      try {
        credentials = JSON.parse(this.deps.secrets.decrypt(sealed.ciphertext, controllerId));
      } catch (e) {
        // The keyring's reason (key not held, or authentication failed) names key ids only, never key material.
        const reason =
          e instanceof AppError ? e.message.replace(/^.*cannot be decrypted: /, '') : 'unreadable';
        throw new AppError(
          'SECRET_UNREADABLE',
          `The credentials of controller ${controller.name} cannot be read: ${reason}`,
          { controllerId, controllerName: controller.name, reason },
        );
      }
    }
    const element = reg.module.createElement(
      { controllerId, endpoint: controller.endpoint, credentials, config: controller.config },
      { logger: toAdapterLogger(this.deps.logger, { adapterId: reg.id, controllerId }) },
    );
    // Two first uses racing both build: the later keeps the earlier one, so no element (nor its watch) leaks.
    const current = this.cache.get(controllerId);
    if (current && current !== cached && current.handle.version === controller.version) {
      void element.close().catch(() => {});
      return current.handle;
    }
    if (current) {
      this.tell('closed', current.handle);
      void current.handle.element.close().catch(() => {});
    }
    const handle: ElementHandle = {
      element,
      // Read through: an out-of-process adapter's manifest changes on reload (limits, batch support, services).
      get manifest() {
        return reg.module.manifest;
      },
      adapterId: provider.adapterId,
      providerId: provider.id,
      controllerId,
      controllerName: controller.name,
      limits: controller.limits,
      version: controller.version,
    };
    this.cache.set(controllerId, { handle, checkedAt: now });
    this.tell('built', handle);
    return handle;
  }

  async closeAll(): Promise<void> {
    const handles = [...this.cache.values()].map((c) => c.handle);
    this.cache.clear();
    for (const h of handles) this.tell('closed', h);
    await Promise.allSettled(handles.map((h) => h.element.close()));
  }
}
