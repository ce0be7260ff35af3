// The fields of "Check connectivity": source (a NIC by tier, or outside with an address), destination (a NIC, a
// public address of the VPC, or any address) and the flow (tcp/udp and a port, or icmp). Lists, never ids.
import { Field, Input, Select } from '../../../components/field';
import { cx } from '../../../lib/cx';
import {
  type NicChoice,
  nicLabel,
  type PublicIpChoice,
  type TraceForm,
  type TraceFormErrors,
} from './trace-form';

const CONTROL =
  'block w-full rounded-md border bg-white px-3 py-1.5 text-sm shadow-xs dark:bg-slate-900 disabled:opacity-60';

function NicOptions({ nics, exclude }: { nics: readonly NicChoice[]; exclude?: string }) {
  const tiers = [...new Set(nics.map((n) => n.tierName))];
  return tiers.map((t) => (
    <optgroup key={t} label={`Tier ${t}`}>
      {nics
        .filter((n) => n.tierName === t && `nic:${n.id}` !== exclude)
        .map((n) => (
          <option key={n.id} value={`nic:${n.id}`}>
            {nicLabel(n)}
          </option>
        ))}
    </optgroup>
  ));
}

type Props = {
  form: TraceForm;
  errors: TraceFormErrors;
  nics: readonly NicChoice[];
  publicIps: readonly PublicIpChoice[];
  set: <K extends keyof TraceForm>(key: K, value: TraceForm[K]) => void;
};

export function TraceFormFields({ form, errors, nics, publicIps, set }: Props) {
  return (
    <div className="grid gap-3 md:grid-cols-3">
      <div className="space-y-2">
        <Field label="Source" error={errors.source} hint="Where the packet starts">
          {({ id, describedBy, isInvalid }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              aria-invalid={isInvalid || undefined}
              value={form.source}
              onChange={(e) => set('source', e.target.value)}
              className={cx(CONTROL, isInvalid ? 'border-red-600' : 'border-slate-300 dark:border-slate-600')}
            >
              <option value="">Pick a source…</option>
              <NicOptions nics={nics} />
              <optgroup label="Outside the VPC">
                <option value="outside">An address outside (inbound)</option>
              </optgroup>
            </select>
          )}
        </Field>
        {form.source === 'outside' && (
          <Input
            label="Outside address"
            value={form.sourceIp}
            placeholder="203.0.113.7"
            error={errors.sourceIp}
            onChange={(e) => set('sourceIp', e.target.value)}
          />
        )}
      </div>
      <div className="space-y-2">
        <Field label="Destination" error={errors.destination} hint="Where it goes">
          {({ id, describedBy, isInvalid }) => (
            <select
              id={id}
              aria-describedby={describedBy}
              aria-invalid={isInvalid || undefined}
              value={form.destination}
              onChange={(e) => set('destination', e.target.value)}
              className={cx(CONTROL, isInvalid ? 'border-red-600' : 'border-slate-300 dark:border-slate-600')}
            >
              <option value="">Pick a destination…</option>
              <NicOptions nics={nics} exclude={form.source} />
              {publicIps.length > 0 && (
                <optgroup label="Public addresses of the VPC">
                  {publicIps.map((p) => (
                    <option key={p.id} value={`publicIp:${p.id}`}>
                      {p.address}
                    </option>
                  ))}
                </optgroup>
              )}
              <optgroup label="Other">
                <option value="ip">Any address</option>
              </optgroup>
            </select>
          )}
        </Field>
        {form.destination === 'ip' && (
          <Input
            label="Destination address"
            value={form.destinationIp}
            placeholder="198.51.100.20"
            error={errors.destinationIp}
            onChange={(e) => set('destinationIp', e.target.value)}
          />
        )}
      </div>
      <div className="grid grid-cols-2 gap-2">
        <Select
          label="Protocol"
          value={form.protocol}
          options={[
            { value: 'tcp', label: 'TCP' },
            { value: 'udp', label: 'UDP' },
            { value: 'icmp', label: 'ICMP (echo)' },
          ]}
          onChange={(e) => set('protocol', e.target.value as TraceForm['protocol'])}
        />
        {form.protocol !== 'icmp' && (
          <Input
            label="Port"
            inputMode="numeric"
            value={form.port}
            placeholder="5432"
            error={errors.port}
            onChange={(e) => set('port', e.target.value)}
          />
        )}
      </div>
    </div>
  );
}
