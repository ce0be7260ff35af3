import { describe, expect, it } from 'vitest';
import { buildValue, fieldsOf, formValues } from './schema-form';

// The shapes the SDK's configSchemaFrom/credentialSchemaFrom produce (zod 4's toJSONSchema, io: input).
const config = {
  type: 'object',
  properties: {
    hostKey: {
      type: 'string',
      title: 'Host key (pinned)',
      description: 'pinned',
      contentMediaType: 'text/plain',
    },
    namePrefix: {
      type: 'string',
      default: 'np',
      pattern: '^[a-z][a-z0-9]{0,3}$',
      description: '1-4 characters',
    },
    sudo: { type: 'boolean', default: false },
    connectTimeoutMs: { type: 'integer', minimum: 100, maximum: 120000, default: 10000 },
    vxlanRemotes: { type: 'array', items: { type: 'string' }, default: [] },
    mode: { type: 'string', enum: ['a', 'b'] },
  },
  required: ['hostKey'],
  additionalProperties: false,
};
const credentials = {
  type: 'object',
  writeOnly: true,
  properties: {
    privateKey: {
      type: 'string',
      maxLength: 20000,
      contentMediaType: 'application/x-pem-file',
      writeOnly: true,
    },
    passphrase: { type: 'string', maxLength: 1000, writeOnly: true },
    certificate: { type: 'string', maxLength: 20000, writeOnly: true },
  },
  required: ['privateKey'],
};

describe('schema forms', () => {
  it('chooses each control from the schema: keys multi-line, credentials secret, defaults as placeholders', () => {
    const f = fieldsOf(config);
    expect(f.map((x) => [x.name, x.kind, x.required, x.placeholder])).toEqual([
      ['hostKey', 'multiline', true, undefined],
      ['namePrefix', 'text', false, 'np'],
      ['sudo', 'boolean', false, 'false'],
      ['connectTimeoutMs', 'integer', false, '10000'],
      ['vxlanRemotes', 'list', false, undefined],
      ['mode', 'enum', false, undefined],
    ]);
    expect(f[0]).toMatchObject({ label: 'Host key (pinned)', hint: 'pinned', secret: false });
    expect(fieldsOf(credentials).map((x) => [x.name, x.kind, x.secret, x.masked])).toEqual([
      ['privateKey', 'multiline', true, true],
      ['passphrase', 'text', true, true],
      // A long value (a PEM certificate) is multi-line without a media type.
      ['certificate', 'multiline', true, false],
    ]);
    expect(fieldsOf(undefined)).toEqual([]);
  });

  it('builds the typed object: empty optional fields left out, text trimmed, numbers and lists typed', () => {
    const f = fieldsOf(config);
    expect(
      buildValue(
        f,
        {
          hostKey: 'ssh-ed25519 AAAA host\n',
          connectTimeoutMs: '5000',
          sudo: 'true',
          vxlanRemotes: '10.0.0.1, 10.0.0.2\n',
        },
        'config',
      ),
    ).toEqual({
      ok: true,
      value: {
        hostKey: 'ssh-ed25519 AAAA host',
        connectTimeoutMs: 5000,
        sudo: true,
        vxlanRemotes: ['10.0.0.1', '10.0.0.2'],
      },
    });
    expect(buildValue(f, { connectTimeoutMs: '1.5' }, 'config')).toEqual({
      ok: false,
      errors: { 'config.hostKey': 'is required', 'config.connectTimeoutMs': 'must be a whole number' },
    });
    expect(buildValue(f, { hostKey: 'k', namePrefix: 'Toolong', connectTimeoutMs: '50' }, 'config')).toEqual({
      ok: false,
      errors: {
        'config.namePrefix': 'does not have the expected form: 1-4 characters',
        'config.connectTimeoutMs': 'must be between 100 and 120000',
      },
    });
  });

  it('shows a stored config back, but never a secret', () => {
    expect(formValues(fieldsOf(config), { hostKey: 'k', vxlanRemotes: ['a', 'b'], sudo: false })).toEqual({
      hostKey: 'k',
      vxlanRemotes: 'a, b',
      sudo: 'false',
    });
    expect(formValues(fieldsOf(credentials), { privateKey: 'secret' })).toEqual({});
  });
});
