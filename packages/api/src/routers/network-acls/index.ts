// networkAcls.*: Network ACL lists of a VPC (CloudStack's createNetworkACLList / createNetworkACL / moveNetworkAclItem
// / replaceNetworkACLList). Viewers read; operators and admins change lists, rules and which list a tier uses. Every
// change that reaches a controller returns the networkAcl.apply job that re-applies the list to its tiers. Input is
// checked by the domain schemas (bad CIDRs, port ranges, ICMP with ports: 400), numbers taken and lists in use by
// the engine (409), built-in lists are read-only (412).
import { networkAclsRepo } from '@netplane/db';
import {
  aclListDetailSchema,
  aclListNameSchema,
  aclListViewSchema,
  aclRuleInputSchema,
  aclRuleNumberSchema,
  aclRuleSetSchema,
  aclRuleViewSchema,
  MAX_ACL_RULES,
} from '@netplane/domain';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { recordAudit } from '../../services/audit';
import { actorOf } from '../../services/engine';
import { operatorProcedure, router, viewerProcedure } from '../../trpc';
import { pageInput, pageOutput } from '../pagination';
import { idInput, jobRefSchema } from '../vpcs/schemas';

const target = (id: string) => ({ type: 'aclList', id });

export const networkAclsRouter = router({
  /** The lists a VPC can use: the built-ins and its own, each with the tiers (of this VPC) that use it. */
  list: viewerProcedure
    .input(pageInput(networkAclsRepo.ACL_LIST_SORTS, { vpcId: z.uuid() }))
    .output(pageOutput(aclListViewSchema))
    .query(({ ctx, input }) => {
      const { vpcId, ...page } = input;
      return ctx.deps.engine.networkAcls.page(vpcId, page);
    }),

  /** One list with its rules in number order; `vpcId` says whose tiers to show for a built-in list. */
  get: viewerProcedure
    .input(z.object({ id: z.uuid(), vpcId: z.uuid().optional() }))
    .output(aclListDetailSchema)
    .query(async ({ ctx, input }) => {
      const list = await ctx.deps.engine.networkAcls.get(input.id, input.vpcId);
      if (!list) throw new TRPCError({ code: 'NOT_FOUND', message: 'The ACL list does not exist' });
      return list;
    }),

  create: operatorProcedure
    .input(
      z.object({
        vpcId: z.uuid(),
        name: aclListNameSchema,
        description: z.string().trim().max(255).default(''),
        rules: aclRuleSetSchema.default([]),
      }),
    )
    .output(aclListDetailSchema)
    .mutation(async ({ ctx, input }) => {
      const list = await ctx.deps.engine.networkAcls.createList(input);
      await recordAudit(ctx, 'networkAcl.create', target(list.id), null, list);
      return list;
    }),

  /** Only a list no tier uses; built-in lists never. */
  delete: operatorProcedure
    .input(idInput)
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      const before = await ctx.deps.engine.networkAcls.get(input.id);
      await ctx.deps.engine.networkAcls.deleteList(input.id);
      await recordAudit(ctx, 'networkAcl.delete', target(input.id), before ?? null, null);
      return { deleted: true as const };
    }),

  createRule: operatorProcedure
    .input(z.object({ listId: z.uuid(), rule: aclRuleInputSchema }))
    .output(z.object({ rule: aclRuleViewSchema, jobId: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.networkAcls.createRule(input.listId, input.rule, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.createRule', target(input.listId), null, r);
      return r;
    }),

  /** Replaces every field of the rule (its number too). */
  updateRule: operatorProcedure
    .input(z.object({ id: z.uuid(), rule: aclRuleInputSchema }))
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const engine = ctx.deps.engine.networkAcls;
      const r = await engine.updateRule(input.id, input.rule, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.updateRule', { type: 'aclRule', id: input.id }, null, {
        rule: input.rule,
        ...r,
      });
      return r;
    }),

  /** New numbers for some rules (move one between two others, or swap); the others keep theirs. */
  reorderRules: operatorProcedure
    .input(
      z.object({
        listId: z.uuid(),
        order: z
          .array(z.object({ ruleId: z.uuid(), number: aclRuleNumberSchema }))
          .min(1)
          .max(MAX_ACL_RULES)
          .refine((o) => new Set(o.map((x) => x.ruleId)).size === o.length, 'each rule at most once')
          .refine((o) => new Set(o.map((x) => x.number)).size === o.length, 'each number at most once'),
      }),
    )
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.networkAcls.reorderRules(input.listId, input.order, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.reorderRules', target(input.listId), null, {
        order: input.order,
        ...r,
      });
      return r;
    }),

  deleteRule: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.networkAcls.deleteRule(input.id, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.deleteRule', { type: 'aclRule', id: input.id }, null, r);
      return r;
    }),

  /** The tier uses this list from now on; jobId is null when the tier is not implemented (nothing to apply yet). */
  assign: operatorProcedure
    .input(z.object({ tierId: z.uuid(), listId: z.uuid() }))
    .output(z.object({ jobId: z.string().nullable() }))
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.networkAcls.assign(input.tierId, input.listId, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.assign', { type: 'network', id: input.tierId }, null, {
        listId: input.listId,
        ...r,
      });
      return r;
    }),

  /** Applies the list again to every tier that uses it (a list in Error). */
  retry: operatorProcedure
    .input(idInput)
    .output(jobRefSchema)
    .mutation(async ({ ctx, input }) => {
      const r = await ctx.deps.engine.networkAcls.retry(input.id, actorOf(ctx));
      await recordAudit(ctx, 'networkAcl.retry', target(input.id), null, r);
      return r;
    }),
});
