// The command-line reading every benchmark shares: `--name value` options and `--db sqlite|mysql`.
import type { DialectName } from '@netplane/db';

/** The value after `name` in `args`, or undefined when the option is not given. */
export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** `--db sqlite|mysql`, sqlite when not given; anything else is an error rather than a silent fallback. */
export function dialectArg(args: string[]): DialectName {
  const dialect = (argValue(args, '--db') ?? 'sqlite') as DialectName;
  if (dialect !== 'sqlite' && dialect !== 'mysql') throw new Error('--db must be sqlite or mysql');
  return dialect;
}
