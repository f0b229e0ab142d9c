import type { TestApp } from '../support/app';
import { gid } from '../support/fixtures';

export const SESSION = `id kind title description startsAt endsAt location capacity status seriesId goingCount waitlistCount placesLeft
  constellation { id name }
  rsvps { carer { id name } status childCount waitlistPosition respondedAt }
  viewerRsvps { carer { id name } status childCount waitlistPosition }`;

export const SCHEDULE = `mutation($i: SchedulePeerSupportSessionInput!) { schedulePeerSupportSession(input: $i) { session { ${SESSION} } userErrors { field message code } } }`;
export const SERIES = `mutation($i: SchedulePeerSupportSeriesInput!) { schedulePeerSupportSeries(input: $i) { sessions { id seriesId startsAt endsAt title capacity } userErrors { field message code } } }`;
export const UPDATE = `mutation($i: UpdatePeerSupportSessionInput!) { updatePeerSupportSession(input: $i) { session { ${SESSION} } userErrors { field message code } } }`;
export const CANCEL = `mutation($i: CancelPeerSupportSessionInput!) { cancelPeerSupportSession(input: $i) { session { id status } userErrors { field message code } } }`;
export const RSVP = `mutation($i: RsvpInput!) { rsvpPeerSupportSession(input: $i) { rsvp { carer { id name } status childCount waitlistPosition respondedAt } session { id goingCount waitlistCount placesLeft } userErrors { field message code } } }`;
export const ATTENDANCE = `mutation($i: RecordAttendanceInput!) { recordAttendance(input: $i) { session { ${SESSION} } userErrors { field message code } } }`;

/** An instant `hours` from now, as the API takes it. */
export const inHours = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

export function sessionInput(constellationId: string, over: Record<string, unknown> = {}) {
  return {
    constellationId: gid('Constellation', constellationId),
    kind: 'SUPPORT_GROUP',
    title: 'Coffee and chat',
    description: 'Bring a mug.',
    startsAt: inHours(48),
    endsAt: inHours(50),
    location: 'Hub kitchen',
    capacity: 10,
    ...over,
  };
}

/** Schedules through the API and returns the new session (throws on any error, to keep tests short). */
export async function scheduleOk(t: TestApp, token: string, constellationId: string, over: Record<string, unknown> = {}) {
  const r = await t.gql(SCHEDULE, { i: sessionInput(constellationId, over) }, { token });
  if (r.errors || r.data.schedulePeerSupportSession.userErrors.length) throw new Error(JSON.stringify(r.errors ?? r.data.schedulePeerSupportSession.userErrors));
  return r.data.schedulePeerSupportSession.session as { id: string; [k: string]: any };
}

export async function rsvpAs(t: TestApp, token: string, sessionId: string, going: boolean, extra: Record<string, unknown> = {}) {
  const r = await t.gql(RSVP, { i: { sessionId, going, ...extra } }, { token });
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data.rsvpPeerSupportSession;
}

/** Moves a session into the past (it started an hour ago), as time would. */
export async function startedAnHourAgo(t: TestApp, sessionGlobalId: string) {
  const id = Buffer.from(sessionGlobalId, 'base64url').toString('utf8').split(':')[1];
  await t.fx.sql(`update peer_support_session set starts_at = now() - interval '1 hour', ends_at = now() + interval '30 minutes' where id = $1`, [id]);
  return id;
}

export const dbId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
