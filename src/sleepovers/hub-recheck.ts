import { HouseholdStatus } from '../households/enums';
import { toGlobalId } from '../platform/graphql/ids';
import { UserErrorCode } from '../platform/graphql/user-errors';
import { ageOn } from '../platform/time';
import { FOSTERING_LIMIT, nightsOf, withinFosteringLimit, type HubFacts, type HubTerm, type RuleBreach } from './hub-rules';

/**
 * The hub's rules judged again over what is already confirmed, after something about the hub
 * household changed under it: its approval, its own placed children, or which household is the
 * hub. Pure, like hub-rules.ts: the facts are read under the constellation's lock.
 *
 * Sleepovers confirmed with a manager's emergency override (`overridden`) stand outside the
 * approval's ages and number, as they were booked; the fostering limit has no override.
 */

interface NightVerdict {
  code: UserErrorCode;
  /** The sleepovers that night that stand in the way. */
  sleepovers: string[];
}

function hubOn(facts: HubFacts, night: string): HubTerm | null {
  return facts.hubs.find((h) => h.from_date <= night && (h.to_date === null || night < h.to_date)) ?? null;
}

/** The first of the hub's rules that the confirmed sleepovers (less `gone`) break on a night, or null. */
function judgeNight(facts: HubFacts, night: string, overridden: Set<string>, gone: Set<string>): NightVerdict | null {
  const sleeping = facts.claims.filter((c) => !c.is_block && c.sleepover_id && !gone.has(c.sleepover_id) && c.start_date <= night && night < c.end_date);
  if (!sleeping.length) return null;
  const ids = [...new Set(sleeping.map((c) => c.sleepover_id!))];
  const hub = hubOn(facts, night);
  if (!hub || hub.status !== HouseholdStatus.APPROVED) return { code: UserErrorCode.NOT_APPROVED, sleepovers: ids };
  const outside = sleeping.filter((c) => {
    if (overridden.has(c.sleepover_id!)) return false;
    const child = facts.children.get(c.child_id!);
    if (!child) return false;
    const age = ageOn(child.dob, night);
    return (hub.approval_min_age != null && age < hub.approval_min_age) || (hub.approval_max_age != null && age > hub.approval_max_age);
  });
  if (outside.length) return { code: UserErrorCode.OUTSIDE_APPROVAL, sleepovers: [...new Set(outside.map((c) => c.sleepover_id!))] };
  const placed = facts.placed.filter((p) => p.household_id === hub.household_id && p.start_date <= night && (p.end_date === null || night < p.end_date));
  const unexcused = ids.filter((id) => !overridden.has(id));
  if (hub.approval_max_children != null && placed.length + sleeping.length > hub.approval_max_children && unexcused.length) {
    return { code: UserErrorCode.NO_VACANCY, sleepovers: unexcused };
  }
  const everyone = [...new Set([...placed.map((p) => p.child_id), ...sleeping.map((c) => c.child_id!)])];
  if (!withinFosteringLimit(facts, hub, night, everyone)) return { code: UserErrorCode.FOSTERING_LIMIT, sleepovers: ids };
  return null;
}

const MESSAGES: Partial<Record<UserErrorCode, string>> = {
  [UserErrorCode.NOT_APPROVED]: 'The hub household would not be approved on nights with confirmed sleepovers',
  [UserErrorCode.OUTSIDE_APPROVAL]: 'Children on confirmed sleepovers would be outside the ages the hub household is approved for',
  [UserErrorCode.NO_VACANCY]: 'The hub household would have more children than it is approved for with the confirmed sleepovers',
  [UserErrorCode.FOSTERING_LIMIT]: `More than ${FOSTERING_LIMIT} fostered children, not all siblings of each other and not named in an exemption, would be at the hub home with the confirmed sleepovers`,
};

/**
 * Whether the confirmed sleepovers still fit every night in [from, to): the first rule broken (in
 * the order the rules are checked when confirming) with every night it fails on and the
 * sleepovers in the way on those nights, or null.
 */
export function breachOfConfirmed(facts: HubFacts, from: string, to: string, overridden: Set<string>): RuleBreach | null {
  const verdicts = nightsOf(from, to)
    .map((night) => ({ night, v: judgeNight(facts, night, overridden, new Set()) }))
    .filter((x): x is { night: string; v: NightVerdict } => !!x.v);
  if (!verdicts.length) return null;
  const order = [UserErrorCode.NOT_APPROVED, UserErrorCode.OUTSIDE_APPROVAL, UserErrorCode.NO_VACANCY, UserErrorCode.FOSTERING_LIMIT];
  const code = order.find((c) => verdicts.some((x) => x.v.code === c))!;
  const failing = verdicts.filter((x) => x.v.code === code);
  const dates = failing.map((x) => x.night);
  const shown = dates.length > 3 ? `${dates.slice(0, 3).join(', ')} and ${dates.length - 3} more` : dates.join(', ');
  return {
    code,
    message: `${MESSAGES[code]} on the night${dates.length === 1 ? '' : 's'} of ${shown}: cancel those sleepovers first.`,
    subjectIds: [...new Set(failing.flatMap((x) => x.v.sleepovers))].map((id) => toGlobalId('Sleepover', id)),
    dates,
  };
}

/**
 * The confirmed sleepovers to give up so every night in [from, to) fits the hub's rules: on each
 * night that breaks one, the most recently booked sleepover among those in the way goes first,
 * until the night fits.
 */
export function sleepoversNotFitting(facts: HubFacts, from: string, to: string, overridden: Set<string>, newestFirst: string[]): string[] {
  const gone = new Set<string>();
  for (const night of nightsOf(from, to)) {
    for (let v = judgeNight(facts, night, overridden, gone); v; v = judgeNight(facts, night, overridden, gone)) {
      const victim = newestFirst.find((id) => v.sleepovers.includes(id) && !gone.has(id)) ?? v.sleepovers.find((id) => !gone.has(id));
      if (!victim) break; // the hub's own placed children alone break it: nothing booked to give up
      gone.add(victim);
    }
  }
  return [...gone];
}
