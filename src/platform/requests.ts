import { Problems, refuse, UserErrorCode } from './graphql/user-errors';
import { now } from './time';
import { optionalText } from './validation';

/** The longest reason a decision may give. */
const MAX_REASON = 2000;

/** A request someone decides on (a sleepover, a hub booking): its stored status and the decision's reason. */
export interface DecidedRequest<S extends string> {
  status: S;
  decisionReason?: string | null;
  updatedAt: Date;
}

/**
 * The reason given with a decision (`input.reason`): trimmed, at most 2,000 characters, null when
 * none. `also` adds the decision's own checks to the same problems, so all are reported at once.
 */
export function decisionReason(input: { reason?: string | null }, also?: (p: Problems) => void): string | null {
  const p = new Problems();
  also?.(p);
  const reason = optionalText(p, input.reason, ['input', 'reason'], MAX_REASON);
  p.throwIfAny();
  return reason ?? null;
}

/**
 * REQUESTED → DECLINED, as sleepovers and hub bookings are declined: one already declined is left
 * as it is ('unchanged', so a retried decline answers as the first did); one in any other state
 * is refused, naming it. The caller writes the change and tells whoever asked.
 */
export function declineRequested<S extends string>(request: DecidedRequest<S>, states: { requested: S; declined: S }, what: string, field: string[], reason: string | null): 'declined' | 'unchanged' {
  if (request.status === states.declined) return 'unchanged';
  if (request.status !== states.requested) {
    refuse(UserErrorCode.INVALID_STATE, `The ${what} is ${request.status.toLowerCase()}; only a requested one can be declined (cancel a confirmed one).`, field);
  }
  request.status = states.declined;
  request.decisionReason = reason;
  request.updatedAt = now();
  return 'declined';
}
