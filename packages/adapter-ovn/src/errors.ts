// Maps what the OVSDB client throws to AdapterError categories, in one place.
import { AdapterError, toAdapterError } from '@netplane/adapter-sdk';
import { OvsdbConnectionError, OvsdbError } from '@netplane/ovsdb';

const TLS_TRUST_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** `database`: which of the two OVN databases the call was talking to (the Southbound only for the Realized check). */
export function mapOvsdbError(
  e: unknown,
  database: 'Northbound' | 'Southbound' = 'Northbound',
): AdapterError {
  if (e instanceof AdapterError) return e;
  if (e instanceof OvsdbConnectionError) {
    if (TLS_TRUST_CODES.has(e.code)) {
      return new AdapterError(
        'AUTH_FAILED',
        `TLS handshake with the OVN ${database} database failed (${e.code})`,
        {
          vendorCode: e.code,
          cause: e,
        },
      );
    }
    return new AdapterError('UNREACHABLE', `OVN ${database} database unreachable: ${e.message}`, {
      vendorCode: e.code,
      cause: e,
    });
  }
  if (e instanceof OvsdbError) {
    const opts = {
      vendorCode: e.error,
      ...(e.details !== undefined ? { vendorMessage: e.details } : {}),
      cause: e,
    };
    // A unique-index violation is somebody else's row with the name we derive from our id.
    if (e.error === 'constraint violation' && /identical values/.test(e.details ?? '')) {
      return new AdapterError('RESOURCE_CONFLICT', `A row with our name already exists: ${e.details}`, opts);
    }
    return new AdapterError('VENDOR_ERROR', e.message, opts);
  }
  return toAdapterError(e);
}

export function conflict(
  resource: string,
  name: string,
  owner: string | undefined,
  why: string,
): AdapterError {
  return new AdapterError('RESOURCE_CONFLICT', `${resource} ${name} ${why}`, {
    conflict: { resource, name, ...(owner ? { owner } : {}) },
    vendorCode: 'NAME_IN_USE',
    vendorMessage: `${resource} ${name} ${why}`,
  });
}
