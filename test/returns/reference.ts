import { addDays } from '../../src/platform/time';
import type { ContactFigures, RetentionFigures, SessionFigures, SleepoverFigures, SupportFigures } from '../../src/returns/returns.service';
import { londonDay, type RData } from './builder';

/**
 * The return's figures computed the slow, obvious way in memory, straight from the definitions in
 * docs/returns.md: the property test holds the SQL to it.
 */

const REASONS = ['RETIREMENT', 'PERSONAL_CIRCUMSTANCES', 'DISSATISFIED_WITH_SERVICE', 'TRANSFERRED_TO_ANOTHER_PROVIDER', 'BECAME_ADOPTERS_OR_GUARDIANS', 'APPROVAL_TERMINATED', 'OTHER'];
const within = (d: string, from: string, to: string) => d >= from && d <= to;
const covers = (r: { start: string; end: string | null }, d: string) => r.start <= d && (r.end === null || d < r.end);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
};

function membership(data: RData, householdId: string, d: string) {
  return data.memberships.find((m) => m.householdId === householdId && covers({ start: m.joinedOn, end: m.leftOn }, d)) ?? null;
}
const satelliteOf = (data: RData, k: string, h: string, d: string) => {
  const m = membership(data, h, d);
  return !!m && m.constellationId === k && m.role === 'SATELLITE';
};

export function refSleepovers(data: RData, k: string, from: string, to: string): SleepoverFigures {
  const asked = data.sleepovers.filter((s) => s.constellationId === k && within(londonDay(s.createdAt), from, to));
  let nights = 0;
  const households = new Set<string>();
  const children = new Set<string>();
  for (const s of data.sleepovers.filter((x) => x.constellationId === k && x.status === 'CONFIRMED')) {
    for (const c of s.children) {
      const n = days(s.start, addDays(s.end, -1)).filter((d) => within(d, from, to)).length;
      if (n > 0) {
        nights += n;
        households.add(s.householdId);
        children.add(c);
      }
    }
  }
  const kk = data.constellations.find((c) => c.id === k)!;
  const joined = data.memberships
    .filter((m) => m.constellationId === k)
    .map((m) => m.joinedOn)
    .sort();
  const launched = kk.launchedOn ?? joined[0] ?? null;
  let beds = 0;
  if (launched) {
    for (const d of days(launched > from ? launched : from, to)) {
      const blocked = data.blocks.some((b) => b.constellationId === k && covers(b, d));
      beds += blocked ? 0 : kk.beds;
    }
  }
  return {
    requested: asked.length,
    emergencyRequested: asked.filter((s) => s.kind === 'EMERGENCY').length,
    confirmed: asked.filter((s) => s.status === 'CONFIRMED').length,
    declined: asked.filter((s) => s.status === 'DECLINED').length,
    nightsUsed: nights,
    bedNightsAvailable: beds,
    occupancyRate: beds === 0 ? null : nights / beds,
    householdsUsing: households.size,
    childrenUsing: children.size,
  };
}

export function refSessions(data: RData, k: string, from: string, to: string, now: string): SessionFigures {
  const mine = data.sessions.filter((s) => s.constellationId === k && within(londonDay(s.startsAt), from, to));
  const attended = data.rsvps.filter((r) => r.status === 'ATTENDED' && mine.some((s) => s.id === r.sessionId && s.status === 'SCHEDULED'));
  const households = new Set<string>();
  for (const r of attended) {
    const s = mine.find((x) => x.id === r.sessionId)!;
    const h = data.carers.find((c) => c.id === r.carerId)!.householdId;
    if (satelliteOf(data, k, h, londonDay(s.startsAt))) households.add(h);
  }
  return {
    held: mine.filter((s) => s.status === 'SCHEDULED' && Date.parse(s.startsAt) <= Date.parse(now)).length,
    cancelled: mine.filter((s) => s.status === 'CANCELLED').length,
    attendances: attended.length,
    householdsAttending: households.size,
  };
}

export function refSupport(data: RData, k: string, from: string, to: string, today: string): SupportFigures {
  const amended = new Set(data.entries.map((e) => e.amendsId).filter(Boolean));
  const byId = new Map(data.entries.map((e) => [e.id, e]));
  const everSafeguarding = (id: string): boolean => {
    const e = byId.get(id)!;
    return e.safeguarding || (e.amendsId !== null && everSafeguarding(e.amendsId));
  };
  const latest = data.entries.filter((e) => e.constellationId === k && !amended.has(e.id) && !e.recordedInError && londonDay(e.at) <= to);
  const inPeriod = latest.filter((e) => londonDay(e.at) >= from);
  // Episodes: walk each pair's at-risk entries in order from the beginning.
  const pairs = new Map<string, typeof latest>();
  for (const e of latest.filter((x) => x.atRisk)) {
    const key = `${e.householdId}|${e.childId ?? ''}`;
    pairs.set(key, [...(pairs.get(key) ?? []), e]);
  }
  let atRisk = 0;
  let assessed = 0;
  let held = 0;
  for (const list of pairs.values()) {
    list.sort((a, b) => (a.at === b.at ? (a.id < b.id ? -1 : 1) : Date.parse(a.at) - Date.parse(b.at)));
    let lastOpen: string | null = null;
    for (const e of list) {
      const d = londonDay(e.at);
      const opens = lastOpen === null || d > addDays(lastOpen, 30);
      if (!opens) continue;
      lastOpen = d;
      if (!within(d, from, to)) continue;
      atRisk++;
      if (!(addDays(d, 90) < today)) continue;
      assessed++;
      const broke = data.placements.some(
        (p) =>
          p.householdId === e.householdId &&
          p.kind !== 'RESPITE' &&
          p.unplanned === true &&
          p.end !== null &&
          p.end > d &&
          p.end <= addDays(d, 90) &&
          (e.childId === null || p.childId === e.childId) &&
          data.placements.some((q) => q.childId === p.childId && q.householdId === e.householdId && q.kind !== 'RESPITE' && covers(q, d)) &&
          !data.placements.some((q) => q.childId === p.childId && q.householdId === e.householdId && q.kind !== 'RESPITE' && q.start === p.end),
      );
      if (!broke) held++;
    }
  }
  return {
    contacts: inPeriod.length,
    outOfHours: inPeriod.filter((e) => e.outOfHours).length,
    householdsSupported: new Set(inPeriod.map((e) => e.householdId)).size,
    placementsAtRisk: atRisk,
    atRiskAssessed: assessed,
    atRiskPlacementsHeld: held,
    wouldHaveEnded: inPeriod.filter((e) => e.wouldHaveEnded).length,
    wouldHaveResigned: new Set(inPeriod.filter((e) => e.wouldHaveResigned).map((e) => e.householdId)).size,
    safeguardingConcerns: inPeriod.filter((e) => everSafeguarding(e.id)).length,
  };
}

/** `k` null: the comparison group. */
export function refContact(data: RData, k: string | null, from: string, to: string): ContactFigures {
  const placedOn = (child: string, d: string) => data.placements.find((p) => p.childId === child && p.kind !== 'RESPITE' && covers(p, d)) ?? null;
  const inScope = data.children.filter((c) => {
    const p = placedOn(c.id, to);
    if (!p || !p.householdId) return false;
    return k === null ? membership(data, p.householdId, to) === null : satelliteOf(data, k, p.householdId, to);
  });
  let separated = 0;
  let withContact = 0;
  for (const c of inScope) {
    const home = placedOn(c.id, to)!.householdId;
    const apart = data.siblings
      .filter(([a]) => a === c.id)
      .map(([, b]) => b)
      .filter((b) => {
        const q = placedOn(b, to);
        return !!q && q.householdId !== null && q.householdId !== home;
      });
    if (!apart.length) continue;
    separated++;
    const nightsOf = (child: string) =>
      data.sleepovers.filter((s) => s.status === 'CONFIRMED' && s.children.includes(child)).flatMap((s) => days(s.start, addDays(s.end, -1)).map((d) => `${s.constellationId}|${d}`));
    const mine = new Set(nightsOf(c.id).filter((x) => within(x.split('|')[1], addDays(to, -91), to)));
    const metAtHub = (b: string) =>
      data.bookings.some((x) => x.purpose === 'SIBLING_CONTACT' && tookPlace(x) && x.children.includes(c.id) && x.children.includes(b) && within(londonDay(x.startsAt), addDays(to, -91), to));
    if (apart.some((b) => nightsOf(b).some((x) => mine.has(x)) || metAtHub(b))) withContact++;
  }
  const booked = (purpose: string) => data.bookings.filter((x) => x.constellationId === k && x.purpose === purpose && x.status === 'CONFIRMED' && within(londonDay(x.startsAt), from, to));
  const hub =
    k === null
      ? { familyTimeBooked: null, familyTimeTookPlace: null, siblingContactBooked: null, siblingContactTookPlace: null }
      : {
          familyTimeBooked: booked('FAMILY_TIME').length,
          familyTimeTookPlace: booked('FAMILY_TIME').filter(tookPlace).length,
          siblingContactBooked: booked('SIBLING_CONTACT').length,
          siblingContactTookPlace: booked('SIBLING_CONTACT').filter(tookPlace).length,
        };
  return { ...hub, separatedSiblings: separated, separatedSiblingsWithContact: withContact };
}

/** A confirmed booking whose outcome says it happened (cut short still counts). */
const tookPlace = (x: RData['bookings'][number]) => x.status === 'CONFIRMED' && (x.outcome === 'TOOK_PLACE' || x.outcome === 'CUT_SHORT');

export function refRetention(data: RData, k: string | null, from: string, to: string): RetentionFigures {
  const atStart = data.households.filter((h) => {
    if (!(h.approvedOn !== null && h.approvedOn <= from && (h.deregisteredOn === null || h.deregisteredOn > from))) return false;
    return k === null ? membership(data, h.id, from) === null : satelliteOf(data, k, h.id, from);
  });
  const counts = new Map<string, number>();
  for (const h of atStart) if (h.deregisteredOn !== null && h.deregisteredOn <= to) counts.set(h.reason ?? 'OTHER', (counts.get(h.reason ?? 'OTHER') ?? 0) + 1);
  const deregistered = REASONS.filter((r) => counts.has(r)).map((r) => ({ reason: r as any, count: counts.get(r)! }));
  const lost = deregistered.filter((d) => d.reason !== 'BECAME_ADOPTERS_OR_GUARDIANS').reduce((s, d) => s + d.count, 0);
  return { householdsAtStart: atStart.length, deregistered, retentionRate: atStart.length === 0 ? null : 1 - lost / atStart.length };
}
