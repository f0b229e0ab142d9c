import { DateTime } from 'luxon';
import { ConstellationStatus } from '../constellations/enums';
import { onCascade, type CascadeEvent } from '../platform/cascades';
import { findRows } from '../platform/db/rows';
import { recordAudit, type Tx } from '../platform/mutation';
import { now, ZONE } from '../platform/time';
import { HubBooking } from './hub-booking.entity';
import { cancelBookings } from './venue.service';

/**
 * What follows for hub bookings from a change elsewhere, in the transaction of that change, as
 * for sleepovers: a child's placement ending, a household leaving the constellation or put on
 * hold or deregistered, the constellation closing, or its hub changing cancel the requested and
 * confirmed bookings still to come from the change's date (a booking under way is left to be
 * written up). A new hub is another home, with its own rules: its bookings are made afresh.
 */
onCascade(async (tx, e) => {
  switch (e.kind) {
    case 'placementEnded':
      return cancelFuture(tx, e, e.reason, `exists (select 1 from hub_booking_child bc where bc.booking_id = b.id and bc.child_id = $3)`, [e.childId]);
    case 'membershipEnded':
      return cancelFuture(tx, e, e.reason, `b.constellation_id = $3 and ${childOf('$4')}`, [e.constellationId, e.householdId]);
    case 'householdUnavailable':
      // Its own children's bookings anywhere, and — when it is a hub — every booking it would host.
      return cancelFuture(
        tx,
        e,
        e.reason,
        `(${childOf('$3')} or b.constellation_id in (select m.constellation_id from constellation_membership m
           where m.household_id = $3 and m.role = 'HUB' and (m.left_on is null or m.left_on > b.london_day) and m.joined_on <= b.london_day))`,
        [e.householdId],
      );
    case 'constellationStatusChanged':
      if (e.status !== ConstellationStatus.CLOSED) return;
      return cancelFuture(tx, e, e.reason, `b.constellation_id = $3`, [e.constellationId]);
    case 'hubChanged':
      return cancelFuture(tx, e, 'The hub home changed.', `b.constellation_id = $3`, [e.constellationId]);
    default:
      return;
  }
});

/** A child of the booking placed with the household (parameter `hh`) on the booking's day. */
const childOf = (hh: string) =>
  `exists (select 1 from hub_booking_child bc join placement pl on pl.child_id = bc.child_id
            where bc.booking_id = b.id and pl.household_id = ${hh}::uuid and pl.period @> b.london_day)`;

/**
 * Cancels the active bookings matching `condition` that start from the cascade's date on (and
 * have not begun). Parameters: $1 the first instant, $2 the organisation, then `params`.
 */
async function cancelFuture(tx: Tx, e: CascadeEvent & { from: string }, reason: string, condition: string, params: unknown[]): Promise<void> {
  const midnight = DateTime.fromISO(e.from, { zone: ZONE }).toJSDate();
  const from = new Date(Math.max(midnight.getTime(), now().getTime()));
  const rows = await findRows(
    tx.em,
    HubBooking,
    `select b.* from hub_booking b
      where b.organisation_id = $2 and b.status in ('REQUESTED', 'CONFIRMED') and b.starts_at >= $1::timestamptz and ${condition}
      order by b.id for update`,
    [from.toISOString(), tx.viewer.organisationId, ...params],
  );
  if (!rows.length) return;
  const done = await cancelBookings(tx, rows, reason);
  await recordAudit(
    tx,
    'HubBooking.cancel',
    done.map((b) => ({ type: 'HubBooking', id: b.id })),
    { automatic: e.kind, from: e.from },
  );
}
