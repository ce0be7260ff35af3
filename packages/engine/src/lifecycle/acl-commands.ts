// The commands behind networkAcls.*: lists (create, delete when unused), rules (create, update, reorder, delete) and
// assigning a list to a tier. Every change that must reach a controller is written with its networkAcl.apply job in
// ONE transaction (submit's `alongside`), so a crash leaves neither an edit without its job nor a job without its
// edit. One apply job per list at a time: an edit while one is queued or running is a CONFLICT naming it (as LB
// member changes are), so an older job can never apply older rules after a newer one. Built-in lists are read-only.
import { randomUUID } from 'node:crypto';
import {
  networkAclsRepo as acls,
  type Db,
  inTransaction,
  isUniqueViolation,
  jobsRepo,
  networksRepo,
  type Page,
  vpcsRepo,
} from '@netplane/db';
import {
  type AclListDetail,
  type AclListView,
  type AclRuleInput,
  type AclRuleView,
  AppError,
  assertAclRules,
  isBuiltinAcl,
} from '@netplane/domain';
import type { JobRef, SubmitJob } from '../jobs/kinds';
import {
  aclListView,
  aclRuleView,
  editableList,
  fieldsOf,
  findList,
  findRule,
  getAclListDetail,
  inputOf,
  numberTaken,
  requireAclElement,
} from './acl-views';
import type { EngineCore } from './core';

const dbOf = (core: EngineCore) => core.deps.db.db;

export class AclCommands {
  constructor(
    private readonly core: EngineCore,
    private readonly submit: SubmitJob,
  ) {}

  /** The lists the VPC can use (its own and the built-ins), one keyset page. */
  async page(vpcId: string, req: acls.AclListPageRequest): Promise<Page<AclListView>> {
    const page = await acls.pageAclListsOfVpc(dbOf(this.core), vpcId, req);
    const items = [];
    for (const l of page.items) items.push(await aclListView(this.core, l, vpcId));
    return { ...page, items };
  }

  /** One list with its rules; `vpcId` says whose tiers to show for a built-in. */
  get(id: string, vpcId?: string): Promise<AclListDetail | undefined> {
    return getAclListDetail(this.core, id, vpcId);
  }

  /** A new list of the VPC with its first rules (nothing uses it yet: no job). */
  async createList(input: {
    vpcId: string;
    name: string;
    description: string;
    rules: readonly AclRuleInput[];
  }): Promise<AclListDetail> {
    if (!(await vpcsRepo.getVpc(dbOf(this.core), input.vpcId)))
      throw new AppError('NOT_FOUND', 'The VPC does not exist');
    assertAclRules(input.rules);
    const now = this.core.deps.now();
    const id = randomUUID();
    try {
      await this.inTx(async (trx) => {
        await acls.insertAclList(trx, {
          id,
          vpcId: input.vpcId,
          name: input.name,
          description: input.description,
          state: 'Active',
          jobId: null,
          createdAt: now,
        });
        for (const r of input.rules)
          await acls.insertAclRule(trx, { id: randomUUID(), listId: id, createdAt: now, ...fieldsOf(r) });
      });
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError('CONFLICT', `The VPC already has an ACL list named ${input.name}`, {
          reason: 'NAME_TAKEN',
        });
      throw e;
    }
    const detail = await getAclListDetail(this.core, id, input.vpcId);
    if (!detail) throw new AppError('NOT_FOUND', 'The ACL list was removed meanwhile');
    return detail;
  }

  async deleteList(id: string): Promise<void> {
    const l = await editableList(this.core, id);
    const users = await acls.tiersUsingAcl(dbOf(this.core), id);
    if (users.length > 0) {
      throw new AppError(
        'IN_USE',
        `ACL list ${l.name} is used by ${users.map((t) => `tier ${t.name}`).join(', ')}`,
        {
          reason: 'LIST_IN_USE',
          tiers: users.map((t) => t.id),
        },
      );
    }
    await this.inTx((trx) => acls.deleteAclList(trx, id));
  }

  /** Writes `change` and the list's apply job in one transaction; the list goes Applying with the job's id. */
  private async editWithJob(
    list: acls.AclListRow & { vpcId: string },
    actor: string,
    change: (trx: Db) => Promise<void>,
    what: string,
  ): Promise<JobRef> {
    const jobId = randomUUID();
    const now = this.core.deps.now();
    try {
      await this.submit(
        {
          id: jobId,
          kind: 'networkAcl.apply',
          targetType: 'aclList',
          targetId: list.id,
          vpcId: list.vpcId,
          actor,
        },
        async (trx) => {
          await change(trx);
          await acls.setAclListState(trx, list.id, { state: 'Applying', lastError: null, jobId }, now);
        },
      );
    } catch (e) {
      numberTaken(e, what);
    }
    return { jobId };
  }

  async createRule(
    listId: string,
    rule: AclRuleInput,
    actor: string,
  ): Promise<{ rule: AclRuleView; jobId: string }> {
    const list = await editableList(this.core, listId);
    const existing = (await acls.listAclRules(dbOf(this.core), listId)).map(inputOf);
    assertAclRules([...existing, rule]);
    const id = randomUUID();
    const now = this.core.deps.now();
    const { jobId } = await this.editWithJob(
      list,
      actor,
      (trx) => acls.insertAclRule(trx, { id, listId, createdAt: now, ...fieldsOf(rule) }),
      String(rule.number),
    );
    const row = await acls.getAclRule(dbOf(this.core), id);
    if (!row) throw new AppError('NOT_FOUND', 'The rule was removed meanwhile');
    return { rule: aclRuleView(row), jobId };
  }

  async updateRule(ruleId: string, rule: AclRuleInput, actor: string): Promise<JobRef> {
    const before = await findRule(this.core, ruleId);
    const list = await editableList(this.core, before.listId);
    const others = (await acls.listAclRules(dbOf(this.core), list.id))
      .filter((r) => r.id !== ruleId)
      .map(inputOf);
    assertAclRules([...others, rule]);
    return this.editWithJob(
      list,
      actor,
      async (trx) => {
        const now = this.core.deps.now();
        if (!(await acls.updateAclRule(trx, ruleId, fieldsOf(rule), now)))
          throw new AppError('NOT_FOUND', 'The rule was removed meanwhile');
      },
      String(rule.number),
    );
  }

  async deleteRule(ruleId: string, actor: string): Promise<JobRef> {
    const rule = await findRule(this.core, ruleId);
    const list = await editableList(this.core, rule.listId);
    return this.editWithJob(
      list,
      actor,
      async (trx) => {
        if (!(await acls.deleteAclRule(trx, ruleId)))
          throw new AppError('NOT_FOUND', 'The rule was removed meanwhile');
      },
      String(rule.number),
    );
  }

  /**
   * Gives rules new numbers (CloudStack's "move": between two numbers, or swapped). Rules not named keep theirs; the
   * result must still have unique numbers.
   */
  async reorderRules(
    listId: string,
    order: readonly { ruleId: string; number: number }[],
    actor: string,
  ): Promise<JobRef> {
    const list = await editableList(this.core, listId);
    const rules = await acls.listAclRules(dbOf(this.core), listId);
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const o of order)
      if (!byId.has(o.ruleId))
        throw new AppError('NOT_FOUND', `Rule ${o.ruleId} is not in ACL list ${list.name}`);
    const next = new Map(order.map((o) => [o.ruleId, o.number]));
    assertAclRules(rules.map((r) => ({ ...inputOf(r), number: next.get(r.id) ?? r.number })));
    return this.editWithJob(
      list,
      actor,
      (trx) =>
        acls.renumberAclRules(
          trx,
          listId,
          order.map((o) => ({ id: o.ruleId, number: o.number })),
          this.core.deps.now(),
        ),
      order.map((o) => o.number).join(', '),
    );
  }

  /**
   * Points the tier at a list (its VPC's or a built-in). An Implemented tier gets it applied by a networkAcl.apply job
   * (written with the assignment, one transaction); a tier not implemented yet only records it. Refused up front
   * when the tier's element cannot apply lists.
   */
  async assign(networkId: string, listId: string, actor: string): Promise<{ jobId: string | null }> {
    const db = dbOf(this.core);
    const tier = await networksRepo.getNetwork(db, networkId);
    if (!tier || tier.state === 'Destroy') throw new AppError('NOT_FOUND', 'The tier does not exist');
    const list = await findList(this.core, listId);
    if (!list.builtin && list.vpcId !== tier.vpcId)
      throw new AppError('BAD_INPUT', `ACL list ${list.name} belongs to another VPC`, {
        reason: 'OTHER_VPC',
      });
    const busy =
      (await jobsRepo.activeJobsOn(db, networkId))[0] ?? (await jobsRepo.activeJobsOn(db, listId))[0];
    if (busy)
      throw new AppError(
        'CONFLICT',
        `Tier ${tier.name} or its list is busy with job ${busy.kind}; wait for it`,
        {
          reason: 'BUSY',
          jobId: busy.id,
        },
      );
    const now = this.core.deps.now();
    if (tier.state !== 'Implemented') {
      await this.inTx((trx) => acls.assignAclList(trx, networkId, listId, now));
      return { jobId: null };
    }
    await requireAclElement(this.core, tier);
    const jobId = await this.submit(
      { kind: 'networkAcl.apply', targetType: 'network', targetId: networkId, vpcId: tier.vpcId, actor },
      async (trx) => {
        await acls.assignAclList(trx, networkId, listId, now);
        if (!isBuiltinAcl(listId))
          await acls.setAclListState(trx, listId, { state: 'Applying', lastError: null }, now);
      },
    );
    return { jobId };
  }

  /** Applies the list again to its tiers (a list in Error, or after a repair by hand). */
  async retry(listId: string, actor: string): Promise<JobRef> {
    const list = await editableList(this.core, listId);
    return this.editWithJob(list, actor, async () => {}, '');
  }

  private inTx(fn: (trx: Db) => Promise<void>): Promise<void> {
    return inTransaction(dbOf(this.core), fn);
  }
}
