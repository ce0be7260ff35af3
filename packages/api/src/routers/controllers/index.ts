// controllers.*: devices of providers. Outputs are strict schemas without any credential field, so a credential
// can never be returned even by mistake; credentials go in (create, rotateCredentials) and never come out.
import {
  connectionTestResultSchema,
  controllerCreateInput,
  controllerRotateCredentialsInput,
  controllerSchema,
  controllerStateInput,
  controllerUpdateInput,
  credentialsHealthSchema,
  healthHistoryEntrySchema,
  idInput,
  idSchema,
} from '@netplane/domain';
import { z } from 'zod';
import { rest } from '../../rest-meta';
import { testConnection } from '../../services/inventory/connection-test';
import * as controllers from '../../services/inventory/controllers';
import { credentialsHealth } from '../../services/inventory/credentials-health';
import { getProvider } from '../../services/inventory/providers';
import { adminProcedure, router, viewerProcedure } from '../../trpc';

const ok = z.object({ ok: z.literal(true) });

export const controllersRouter = router({
  list: viewerProcedure
    .meta(rest('GET', '/controllers', 'Controllers', 'List controllers'))
    .input(z.object({ providerId: idSchema.optional() }).default({}))
    .output(z.array(controllerSchema))
    .query(async ({ ctx, input }) => {
      if (input.providerId !== undefined) await getProvider(ctx, input.providerId);
      return controllers.listControllers(ctx, input.providerId);
    }),
  get: viewerProcedure
    .meta(rest('GET', '/controllers/{id}', 'Controllers', 'Read a controller'))
    .input(idInput)
    .output(controllerSchema)
    .query(({ ctx, input }) => controllers.getController(ctx, input.id)),
  create: adminProcedure
    .meta(rest('POST', '/controllers', 'Controllers', 'Add a controller to a provider'))
    .input(controllerCreateInput)
    .output(controllerSchema)
    .mutation(({ ctx, input }) => controllers.createController(ctx, input)),
  update: adminProcedure
    .input(controllerUpdateInput)
    .output(controllerSchema)
    .mutation(({ ctx, input }) => controllers.updateController(ctx, input)),
  rotateCredentials: adminProcedure
    .input(controllerRotateCredentialsInput)
    .output(controllerSchema)
    .mutation(({ ctx, input }) => controllers.rotateControllerCredentials(ctx, input.id, input.credentials)),
  setResourceState: adminProcedure
    .input(controllerStateInput)
    .output(controllerSchema)
    .mutation(({ ctx, input }) => controllers.setControllerResourceState(ctx, input.id, input.state)),
  delete: adminProcedure
    .input(idInput)
    .output(ok)
    .mutation(async ({ ctx, input }) => {
      await controllers.deleteController(ctx, input.id);
      return { ok: true as const };
    }),
  /**
   * Rows sealed under keys this node lacks. Readable like the rest of the inventory (names and key ids only); the
   * console shows the banner to admins, whose fix it is (restore a key or re-enter the credentials).
   */
  credentialsHealth: viewerProcedure
    .output(credentialsHealthSchema)
    .query(({ ctx }) => credentialsHealth(ctx)),
  testConnection: adminProcedure
    .input(idInput)
    .output(connectionTestResultSchema)
    .mutation(({ ctx, input }) => testConnection(ctx, input.id)),
  healthHistory: viewerProcedure
    .input(idInput.extend({ limit: z.number().int().min(1).max(1000).default(100) }))
    .output(z.array(healthHistoryEntrySchema))
    .query(({ ctx, input }) => controllers.healthHistory(ctx, input.id, input.limit)),
});
