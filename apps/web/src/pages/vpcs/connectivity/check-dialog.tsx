// "Check connectivity": pick a source, a destination and a flow from lists, run connectivity.trace, and read the path
// as a picture and as words, the drop highlighted with a link to the rule that caused it. Opened from the VPC page and
// from every diagnosis (prefilled with the diagnosed NIC). A link out closes the dialog so the page shows the rule.
import type { TraceResult } from '@netplane/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Route } from 'lucide-react';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import { ErrorState, FormError, LoadingRows } from '../../../components/states';
import type { Outputs } from '../../../lib/api-types';
import { useTRPC } from '../../../lib/trpc';
import { emptyTraceForm, endNames, parseTraceForm, type TraceForm } from './trace-form';
import { TraceFormFields } from './trace-form-fields';
import { TraceResultView } from './trace-result';
import { useTraceChoices } from './use-trace-choices';

type Vpc = Pick<Outputs['vpcs']['get'], 'id' | 'name' | 'tiers'>;
export type TracePrefill = { sourceNicId?: string; destinationNicId?: string };

type Props = { isOpen: boolean; onClose: () => void; vpc: Vpc; prefill?: TracePrefill };

export function CheckConnectivityDialog({ isOpen, onClose, vpc, prefill }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const formId = useId();
  const choices = useTraceChoices(vpc, isOpen);
  const [form, setForm] = useState<TraceForm>(() => emptyTraceForm(prefill));
  const [isTouched, setTouched] = useState(false);
  const [shown, setShown] = useState<{ result: TraceResult; ends: ReturnType<typeof endNames> } | null>(null);
  const sourceNicId = prefill?.sourceNicId;
  const destinationNicId = prefill?.destinationNicId;
  // A fresh form at each opening, with what the opener knows (the diagnosed NIC as the source).
  useEffect(() => {
    if (!isOpen) return;
    setForm(
      emptyTraceForm({
        ...(sourceNicId ? { sourceNicId } : {}),
        ...(destinationNicId ? { destinationNicId } : {}),
      }),
    );
    setTouched(false);
    setShown(null);
  }, [isOpen, sourceNicId, destinationNicId]);
  const trace = useMutation(
    trpc.connectivity.trace.mutationOptions({
      onSuccess: (r) => {
        setShown({ result: r.result, ends: endNames(form, choices.nics, choices.publicIps) });
        void queryClient.invalidateQueries({ queryKey: trpc.connectivity.traces.queryKey() });
      },
    }),
  );
  const parsed = parseTraceForm(vpc.id, form);
  const errors = isTouched && 'errors' in parsed ? parsed.errors : {};
  const set = <K extends keyof TraceForm>(key: K, value: TraceForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if ('input' in parsed) trace.mutate(parsed.input);
  };

  return (
    <Dialog
      isOpen={isOpen}
      onClose={onClose}
      title={`Check connectivity in ${vpc.name}`}
      description="Follows one packet through the VPC as the controller would forward it, and shows where it is dropped and which rule drops it."
      size="xl"
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            isBusy={trace.isPending}
            icon={<Route aria-hidden className="size-4" />}
          >
            {shown ? 'Run the check again' : 'Run the check'}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        {choices.error ? (
          <ErrorState error={choices.error} title="The NICs and addresses could not be loaded" />
        ) : choices.isPending ? (
          <LoadingRows rows={2} label="Loading the NICs and addresses" />
        ) : (
          <form id={formId} onSubmit={submit} noValidate aria-label="Packet to check">
            <TraceFormFields
              form={form}
              errors={errors}
              nics={choices.nics}
              publicIps={choices.publicIps}
              set={set}
            />
          </form>
        )}
        {trace.isPending && <LoadingRows rows={2} label="Tracing the packet" />}
        {!trace.isPending && trace.error && <FormError error={trace.error} />}
        {!trace.isPending && !trace.error && shown && (
          <TraceResultView vpcId={vpc.id} result={shown.result} ends={shown.ends} onNavigate={onClose} />
        )}
      </div>
    </Dialog>
  );
}
