import type { Params } from '../platform/db/params';
/**
 * SQL conditions on a child `alias` for ChildFilter's consent fields, so the liaison worker can
 * chase consents. They reveal no more than Child.sleepoverConsent does to the same viewers: the
 * children a viewer may list are the ones whose consent they may see (staff, the child's own
 * carers, the hub carer of the child's constellation).
 */
const standing = (alias: string, night: string) => `(
  select s.expires_on, s.withdrawn_on from (
    select sc.expires_on, sc.withdrawn_on from sleepover_consent sc
     where sc.child_id = ${alias}.id and sc.given_on <= ${night}::date
     order by sc.given_on desc, sc.recorded_at desc limit 1) s
   where (s.expires_on is null or s.expires_on > ${night}::date) and (s.withdrawn_on is null or s.withdrawn_on > ${night}::date))`;

export function consentFilterConditions(alias: string, p: Params, tonight: string, f: { hasSleepoverConsent?: boolean | null; sleepoverConsentEndsBefore?: string | null }): string[] {
  const out: string[] = [];
  if (f.hasSleepoverConsent != null) {
    const has = `exists ${standing(alias, p.add(tonight))}`;
    out.push(f.hasSleepoverConsent ? has : `not ${has}`);
  }
  if (f.sleepoverConsentEndsBefore != null) {
    out.push(`exists (select 1 from ${standing(alias, p.add(tonight))} e where least(e.expires_on, e.withdrawn_on) < ${p.add(f.sleepoverConsentEndsBefore)}::date)`);
  }
  return out;
}
