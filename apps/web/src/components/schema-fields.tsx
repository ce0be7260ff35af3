// The fields of an adapter's config or credential schema (lib/schema-form.ts): text, multi-line (keys), number,
// checkbox, list and choice controls, with the schema's title, description and default. Secret (writeOnly) fields
// start empty and are never filled from anything stored.
import { useId } from 'react';
import type { SchemaField } from '../lib/schema-form';
import { errorAt, type FieldErrors } from '../lib/zod-form';
import { Input, Select, Textarea } from './field';

function Control({
  f,
  value,
  onChange,
  error,
}: {
  f: SchemaField;
  value: string;
  onChange: (v: string) => void;
  error: string | undefined;
}) {
  const checkboxId = useId();
  const label = f.required ? f.label : `${f.label} (optional)`;
  const common = { label, hint: f.hint, error, value, name: f.name };
  if (f.kind === 'boolean')
    return (
      <div className="space-y-1">
        <label htmlFor={checkboxId} className="inline-flex items-center gap-2 text-sm font-medium">
          <input
            id={checkboxId}
            type="checkbox"
            checked={value === '' ? f.placeholder === 'true' : value === 'true'}
            onChange={(e) => onChange(e.target.checked ? 'true' : 'false')}
          />
          {f.label}
        </label>
        {f.hint && <p className="text-xs text-slate-500 dark:text-slate-400">{f.hint}</p>}
      </div>
    );
  if (f.kind === 'enum')
    return (
      <Select
        {...common}
        options={f.options}
        placeholder={f.placeholder ? `default (${f.placeholder})` : '—'}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  if (f.kind === 'multiline')
    return (
      <Textarea
        {...common}
        className="md:col-span-2"
        rows={f.secret ? 6 : 3}
        autoComplete="off"
        placeholder={f.secret ? 'Paste it here: it is stored encrypted and never shown again' : f.placeholder}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  const numeric = f.kind === 'integer' || f.kind === 'number';
  return (
    <Input
      {...common}
      type={f.masked ? 'password' : numeric ? 'number' : 'text'}
      autoComplete={f.masked ? 'new-password' : 'off'}
      inputMode={numeric ? 'numeric' : undefined}
      min={f.min}
      max={f.max}
      placeholder={f.kind === 'list' ? (f.placeholder ?? 'comma-separated') : f.placeholder}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

export function SchemaFields({
  fields,
  values,
  onChange,
  errors,
  path,
}: {
  fields: readonly SchemaField[];
  values: Record<string, string>;
  onChange: (v: Record<string, string>) => void;
  errors: FieldErrors;
  /** `config` or `credentials`: where the fields' errors are keyed. */
  path: string;
}) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {fields.map((f) => (
        <Control
          key={f.name}
          f={f}
          value={values[f.name] ?? ''}
          onChange={(v) => onChange({ ...values, [f.name]: v })}
          error={errorAt(errors, `${path}.${f.name}`)}
        />
      ))}
    </div>
  );
}
