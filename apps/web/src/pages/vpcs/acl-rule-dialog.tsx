// Add or edit one rule of an ACL list. The form is checked with the domain's aclRuleInputSchema before the request
// (acl-format.ts), so a bad CIDR or port range shows under its field; the server's refusals show in the dialog too.
import type { AclRuleView } from '@netplane/domain';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Input, Select } from '../../components/field';
import { FormDialog } from '../../components/form-dialog';
import { useToast } from '../../components/toasts';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';
import { emptyRuleForm, parseRuleForm, type RuleForm, type RuleFormErrors, ruleFormOf } from './acl-format';

/** Server refusals that belong to one field (the engine's details.reason / details.field). */
const FIELD_OF_REASON: Record<string, keyof RuleForm> = { NUMBER_TAKEN: 'number', BAD_PORTS: 'portEnd' };

type Props = {
  isOpen: boolean;
  onClose: () => void;
  listId: string;
  listName: string;
  /** The rule to edit; absent for a new rule, which gets `nextNumber`. */
  rule?: AclRuleView | undefined;
  nextNumber: number;
  onDone: () => void;
};

export function AclRuleDialog({ isOpen, onClose, listId, listName, rule, nextNumber, onDone }: Props) {
  const trpc = useTRPC();
  const toast = useToast();
  const [form, setForm] = useState<RuleForm>(emptyRuleForm(nextNumber));
  const [isTouched, setTouched] = useState(false);
  useEffect(() => {
    if (!isOpen) return;
    setForm(rule ? ruleFormOf(rule) : emptyRuleForm(nextNumber));
    setTouched(false);
  }, [isOpen, rule, nextNumber]);
  const done = (what: string) => ({
    onSuccess: () => {
      toast.success(what);
      onDone();
      onClose();
    },
  });
  const create = useMutation(trpc.networkAcls.createRule.mutationOptions(done(`Rule added to ${listName}`)));
  const update = useMutation(trpc.networkAcls.updateRule.mutationOptions(done(`Rule of ${listName} saved`)));
  const mutation = rule ? update : create;
  const parsed = parseRuleForm(form);
  const errors: RuleFormErrors = isTouched && 'errors' in parsed ? parsed.errors : {};
  const server = mutation.error ? readError(mutation.error) : undefined;
  const serverField = server
    ? (FIELD_OF_REASON[String(server.details?.reason ?? '')] ??
      (server.details?.field as keyof RuleForm | undefined))
    : undefined;
  const fieldError = (key: keyof RuleForm) =>
    errors[key] ?? (serverField === key ? server?.message : undefined) ?? server?.fieldErrors[`rule.${key}`];
  const set = (key: keyof RuleForm, value: string) => {
    setForm((f) => ({ ...f, [key]: value }));
    setTouched(true);
  };

  function submit(e: FormEvent) {
    e.preventDefault();
    setTouched(true);
    if (!('rule' in parsed)) return;
    if (rule) update.mutate({ id: rule.id, rule: parsed.rule });
    else create.mutate({ listId, rule: parsed.rule });
  }

  const isPorts = form.protocol === 'tcp' || form.protocol === 'udp';
  return (
    <FormDialog
      isOpen={isOpen}
      onClose={onClose}
      size="lg"
      title={rule ? `Edit rule ${rule.number} of ${listName}` : `New rule in ${listName}`}
      description="Rules are evaluated by number, lowest first; the first match decides. Ingress that no rule matches is dropped, egress is allowed."
      submitLabel={rule ? 'Save rule' : 'Add rule'}
      isBusy={mutation.isPending}
      onSubmit={submit}
      error={
        server && !serverField && Object.keys(server.fieldErrors).length === 0 ? mutation.error : undefined
      }
    >
      <div className="grid gap-4 md:grid-cols-2">
        <Input
          label="Number"
          type="number"
          min={1}
          max={9999}
          value={form.number}
          onChange={(e) => set('number', e.target.value)}
          error={fieldError('number')}
          hint="1 to 9999; lower numbers are matched first."
        />
        <Select
          label="Action"
          value={form.action}
          onChange={(e) => set('action', e.target.value)}
          options={[
            { value: 'allow', label: 'Allow' },
            { value: 'deny', label: 'Deny' },
          ]}
        />
        <Select
          label="Traffic type"
          value={form.trafficType}
          onChange={(e) => set('trafficType', e.target.value)}
          options={['Ingress', 'Egress']}
        />
        <Select
          label="Protocol"
          value={form.protocol}
          onChange={(e) => set('protocol', e.target.value)}
          options={[
            { value: 'tcp', label: 'TCP' },
            { value: 'udp', label: 'UDP' },
            { value: 'icmp', label: 'ICMP' },
            { value: 'all', label: 'All' },
          ]}
        />
        {isPorts && (
          <>
            <Input
              label="Start port"
              type="number"
              min={1}
              max={65535}
              value={form.portStart}
              onChange={(e) => set('portStart', e.target.value)}
              error={fieldError('portStart')}
              hint="Both ports empty: every port."
            />
            <Input
              label="End port"
              type="number"
              min={1}
              max={65535}
              value={form.portEnd}
              onChange={(e) => set('portEnd', e.target.value)}
              error={fieldError('portEnd')}
            />
          </>
        )}
        {form.protocol === 'icmp' && (
          <>
            <Input
              label="ICMP type"
              type="number"
              min={-1}
              max={255}
              value={form.icmpType}
              onChange={(e) => set('icmpType', e.target.value)}
              error={fieldError('icmpType')}
              hint="Empty or -1: any type."
            />
            <Input
              label="ICMP code"
              type="number"
              min={-1}
              max={255}
              value={form.icmpCode}
              onChange={(e) => set('icmpCode', e.target.value)}
              error={fieldError('icmpCode')}
              hint="Empty or -1: any code."
            />
          </>
        )}
        <Input
          label="CIDRs"
          className="md:col-span-2"
          value={form.cidrs}
          autoComplete="off"
          placeholder="10.0.1.0/24, 10.0.2.0/24"
          onChange={(e) => set('cidrs', e.target.value)}
          error={fieldError('cidrs')}
          hint="The remote side (source of ingress, destination of egress), separated by commas; 32 at most."
        />
        <Input
          label="Description"
          className="md:col-span-2"
          value={form.description}
          autoComplete="off"
          onChange={(e) => set('description', e.target.value)}
          error={fieldError('description')}
        />
      </div>
    </FormDialog>
  );
}
