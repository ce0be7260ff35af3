// Conditions as Kubernetes has them: Ready (usable), Synced (the last reconcile matched the controller) and Realized
// (the controller made it work: compiled, bound, in effect; see connectivity/realized.ts), kept apart.
import { z } from 'zod';

export const CONDITION_TYPES = ['Ready', 'Synced', 'Realized'] as const;
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

export const conditionSchema = z.object({
  type: z.enum(CONDITION_TYPES),
  status: z.enum(CONDITION_STATUSES),
  /** Stable CamelCase, for machines: "Implemented", "ControllerTimeout", "DriftDetected". */
  reason: z.string().regex(/^[A-Z][A-Za-z0-9]*$/),
  message: z.string(),
  lastTransitionTime: z.number(),
});
export type Condition = z.infer<typeof conditionSchema>;
export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/** The starting pair for a new resource: nothing is known yet. */
export function initialConditions(now: number, what = 'resource'): Condition[] {
  return [
    {
      type: 'Ready',
      status: 'Unknown',
      reason: 'Pending',
      message: `The ${what} is not implemented yet`,
      lastTransitionTime: now,
    },
    {
      type: 'Synced',
      status: 'Unknown',
      reason: 'NotReconciled',
      message: 'Not compared with the controller yet',
      lastTransitionTime: now,
    },
  ];
}

/** Sets one condition; lastTransitionTime moves only when the status changes (a new reason alone does not). */
export function setCondition(
  conditions: readonly Condition[],
  update: ConditionUpdate,
  now: number,
): Condition[] {
  const current = conditions.find((c) => c.type === update.type);
  const lastTransitionTime = current && current.status === update.status ? current.lastTransitionTime : now;
  const next: Condition = { ...update, lastTransitionTime };
  const others = conditions.filter((c) => c.type !== update.type);
  return [...others, next].sort((a, b) => CONDITION_TYPES.indexOf(a.type) - CONDITION_TYPES.indexOf(b.type));
}

export function setConditions(
  conditions: readonly Condition[],
  updates: readonly ConditionUpdate[],
  now: number,
) {
  return updates.reduce<Condition[]>((acc, u) => setCondition(acc, u, now), [...conditions]);
}

export const conditionOf = (conditions: readonly Condition[], type: ConditionType): Condition | undefined =>
  conditions.find((c) => c.type === type);

/** Conditions as stored by the engine; a malformed value (hand-edited row) reads as none rather than throwing. */
export function parseConditions(json: string | null | undefined): Condition[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    // The engine writes these itself; a cheap shape check instead of a full zod parse on every transition.
    if (
      Array.isArray(value) &&
      value.every((c) => typeof c?.type === 'string' && typeof c?.status === 'string')
    ) {
      return value as Condition[];
    }
  } catch {}
  return [];
}

/** Turns an error category (e.g. CONTROLLER_TIMEOUT) into a CamelCase reason (ControllerTimeout). */
export const reasonFromCode = (code: string): string =>
  code
    .toLowerCase()
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => w[0]?.toUpperCase() + w.slice(1))
    .join('');
