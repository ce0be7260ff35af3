// Client copies of the account rules of auth/users inputs. Those schemas live in @netplane/api (server code the
// bundle must not import), so the rules are repeated here for instant feedback; the server re-checks and its
// field errors are shown as well.
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;

export function checkUsername(value: string): string | undefined {
  const v = value.trim();
  if (v.length < 2) return 'At least 2 characters';
  if (v.length > 64) return 'At most 64 characters';
  if (!USERNAME_PATTERN.test(v)) return 'Letters, digits, and . _ @ - only';
  return undefined;
}

export function checkPassword(value: string): string | undefined {
  if (value.length < 8) return 'At least 8 characters';
  if (value.length > 256) return 'At most 256 characters';
  return undefined;
}
