// Builds one NetworkElement per controller from its adapter module; credentials are decrypted only here, only in
// memory, and never logged. Elements are cached per controller and rebuilt when the controller row changes.
import type { AdapterManifest, NetworkElement } from '@netplane/adapter-sdk';
import { controllersRepo, providersRepo } from '@netplane/db';
import { AppError } from '@netplane/domain';
import type { EngineDeps } from './types';

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

export class ElementRegistry {
  private readonly cache = new Map<string, { handle: ElementHandle; checkedAt: number }>();

  constructor(private readonly deps: EngineDeps) {}

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
      } catch {
        throw new AppError(
          'SECRET_UNREADABLE',
          `The credentials of controller ${controller.name} cannot be read`,
        );
      }
    }
    const element = reg.module.createElement(
      { controllerId, endpoint: controller.endpoint, credentials, config: controller.config },
      { logger: { debug: () => {}, ...this.deps.logger } },
    );
    if (cached) void cached.handle.element.close().catch(() => {});
    const handle: ElementHandle = {
      element,
      manifest: reg.module.manifest,
      adapterId: provider.adapterId,
      providerId: provider.id,
      controllerId,
      controllerName: controller.name,
      limits: controller.limits,
      version: controller.version,
    };
    this.cache.set(controllerId, { handle, checkedAt: now });
    return handle;
  }

  async closeAll(): Promise<void> {
    const handles = [...this.cache.values()].map((c) => c.handle.element);
    this.cache.clear();
    await Promise.allSettled(handles.map((e) => e.close()));
  }
}
