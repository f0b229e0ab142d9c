import { onCascade } from '../platform/cascades';
import { sql } from '../platform/db/sql';
import { ConstellationStatus } from '../constellations/enums';
import type { Tx } from '../platform/mutation';
import { now } from '../platform/time';
import { PeerSupportSessionEventKind } from './enums';
import { publishSessionEvent } from './session.events';
import { notifySessionsCancelled } from './session.notifications';
import { promoteWaitlist, SESSION_DAY } from './session.service';

/**
 * A household left a constellation (as a satellite, or as the hub when the hub changed), or was
 * put on hold or deregistered: its carers' RSVPs to sessions from `from` on (and not yet started)
 * are removed and the freed places go to the waitlist, in the same transaction. When it left a
 * constellation, sessions on days it is still (or again) a member keep their RSVPs. Sessions are
 * locked in id order, so two cascades never deadlock on each other.
 */
async function removeFutureRsvps(tx: Tx, householdId: string, from: string, left: { constellationId: string } | null) {
  const sessions = await sql(
    tx.em,
    `select s.id, s.constellation_id, s.organisation_id from peer_support_session s
      where s.organisation_id = $1 and ($2::uuid is null or s.constellation_id = $2::uuid)
        and s.starts_at > $3::timestamptz and ${SESSION_DAY('s')} >= $4::date
        and exists (select 1 from session_rsvp r join carer c on c.id = r.carer_id where r.session_id = s.id and c.household_id = $5)
        and not ($6::boolean and exists (select 1 from constellation_membership m
                                          where m.household_id = $5 and m.constellation_id = s.constellation_id and m.period @> ${SESSION_DAY('s')}))
      order by s.id for update of s`,
    [tx.viewer.organisationId, left?.constellationId ?? null, now().toISOString(), from, householdId, left !== null],
  );
  if (!sessions.length) return;
  await sql(tx.em, `delete from session_rsvp r using carer c where c.id = r.carer_id and c.household_id = $1 and r.session_id = any($2::uuid[])`, [householdId, sessions.map((s) => s.id)]);
  for (const s of sessions) {
    await promoteWaitlist(tx, s.id);
    publishSessionEvent(tx, PeerSupportSessionEventKind.RSVP_CHANGED, { id: s.id, constellationId: s.constellation_id, organisationId: s.organisation_id });
  }
}

/** A closed constellation's sessions that have not started are cancelled, each with its event. */
async function cancelFutureSessions(tx: Tx, constellationId: string, reason: string) {
  const cancelled = await sql(
    tx.em,
    `update peer_support_session set status = 'CANCELLED', cancel_reason = $3, revision = revision + 1, updated_at = now()
      where constellation_id = $1 and status = 'SCHEDULED' and starts_at > $2::timestamptz
      returning id, constellation_id, organisation_id, title, starts_at, location`,
    [constellationId, now().toISOString(), reason],
  );
  for (const s of cancelled) {
    publishSessionEvent(tx, PeerSupportSessionEventKind.CANCELLED, { id: s.id, constellationId: s.constellation_id, organisationId: s.organisation_id });
  }
  await notifySessionsCancelled(
    tx,
    cancelled.map((s) => ({ id: s.id, constellationId: s.constellation_id, title: s.title, startsAt: new Date(s.starts_at), location: s.location })),
    reason,
  );
}

/** What follows for sessions from a change elsewhere (DESIGN.md, cascades), in the transaction of that change. */
onCascade(async (tx, e) => {
  if (e.kind === 'membershipEnded') await removeFutureRsvps(tx, e.householdId, e.from, { constellationId: e.constellationId });
  else if (e.kind === 'hubChanged' && e.oldHubHouseholdId) await removeFutureRsvps(tx, e.oldHubHouseholdId, e.from, { constellationId: e.constellationId });
  else if (e.kind === 'householdUnavailable') await removeFutureRsvps(tx, e.householdId, e.from, null);
  else if (e.kind === 'constellationStatusChanged' && e.status === ConstellationStatus.CLOSED) await cancelFutureSessions(tx, e.constellationId, e.reason);
});
