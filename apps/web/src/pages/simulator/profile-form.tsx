// The simulated controller's profile: latency, jitter, rate and concurrency limits, capacity, and a canHandle decline.
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button } from '../../components/button';
import { Input } from '../../components/field';
import { Card } from '../../components/page';
import { FormError } from '../../components/states';
import { useToast } from '../../components/toasts';
import type { Outputs } from '../../lib/api-types';
import { readError } from '../../lib/errors';
import { useTRPC } from '../../lib/trpc';

type Profile = Outputs['simulator']['getSummary']['profile'];
type Key = keyof Profile;

const FIELDS: { key: Exclude<Key, 'declineReason'>; label: string; hint: string; isNullable: boolean }[] = [
  { key: 'latencyMs', label: 'Latency (ms)', hint: 'Base latency of every call', isNullable: false },
  { key: 'jitterMs', label: 'Jitter (ms)', hint: 'Random extra latency', isNullable: false },
  {
    key: 'rateLimitPerSecond',
    label: 'Rate limit (calls/s)',
    hint: 'Empty: unlimited; past it RATE_LIMITED (429)',
    isNullable: true,
  },
  { key: 'burst', label: 'Burst', hint: 'Empty: one second of calls', isNullable: true },
  { key: 'maxConcurrent', label: 'Max concurrent', hint: 'Empty: unlimited; past it 503', isNullable: true },
  {
    key: 'maxNetworks',
    label: 'Max networks',
    hint: 'Capacity; past it CAPACITY_EXHAUSTED',
    isNullable: true,
  },
  {
    key: 'maxPorts',
    label: 'Max ports (NICs)',
    hint: 'Capacity; past it CAPACITY_EXHAUSTED',
    isNullable: true,
  },
];

const toText = (p: Profile) =>
  Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v === null ? '' : String(v)])) as Record<
    Key,
    string
  >;

export function ProfileForm({
  controllerId,
  profile,
  isReadOnly,
  onSaved,
}: {
  controllerId: string;
  profile: Profile;
  isReadOnly: boolean;
  onSaved: () => void;
}) {
  const trpc = useTRPC();
  const toast = useToast();
  const [text, setText] = useState(() => toText(profile));
  const [isDirty, setDirty] = useState(false);
  // Polling refreshes the profile; a half-edited form must not be overwritten under the user's fingers.
  useEffect(() => {
    if (!isDirty) setText(toText(profile));
  }, [profile, isDirty]);
  const save = useMutation(
    trpc.simulator.setProfile.mutationOptions({
      onSuccess: () => {
        toast.success('Profile saved');
        setDirty(false);
        onSaved();
      },
    }),
  );
  const fieldErrors = save.error ? readError(save.error).fieldErrors : {};

  function submit(e: FormEvent) {
    e.preventDefault();
    const numbers = Object.fromEntries(
      FIELDS.map((f) => {
        const v = text[f.key].trim();
        return [f.key, v === '' ? (f.isNullable ? null : 0) : Number(v)];
      }),
    ) as Omit<Profile, 'declineReason'>;
    save.mutate({ controllerId, profile: { ...numbers, declineReason: text.declineReason.trim() || null } });
  }

  return (
    <Card title="Profile">
      <form onSubmit={submit} noValidate className="space-y-4">
        <fieldset disabled={isReadOnly} className="grid gap-4 md:grid-cols-3 lg:grid-cols-4">
          {FIELDS.map((f) => (
            <Input
              key={f.key}
              label={f.label}
              type="number"
              min={0}
              value={text[f.key]}
              hint={f.hint}
              error={fieldErrors[`profile.${f.key}`]}
              onChange={(e) => {
                setDirty(true);
                setText({ ...text, [f.key]: e.target.value });
              }}
            />
          ))}
          <Input
            label="Decline reason"
            className="md:col-span-2"
            value={text.declineReason}
            hint="When set, canHandle declines (negotiation verdict DECLINED)"
            error={fieldErrors['profile.declineReason']}
            onChange={(e) => {
              setDirty(true);
              setText({ ...text, declineReason: e.target.value });
            }}
          />
        </fieldset>
        {save.error && Object.keys(fieldErrors).length === 0 && <FormError error={save.error} />}
        {!isReadOnly && (
          <div className="flex gap-2">
            <Button type="submit" variant="primary" isBusy={save.isPending} disabled={!isDirty}>
              Save profile
            </Button>
            {isDirty && <Button onClick={() => setDirty(false)}>Discard changes</Button>}
          </div>
        )}
      </form>
    </Card>
  );
}
