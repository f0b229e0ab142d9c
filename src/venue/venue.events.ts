import { Repeater } from '@graphql-yoga/subscription';
import { constellationScope, type Viewer } from '../auth/viewer';
import { sql } from '../platform/db/sql';
import { subscriberContext, withEventContext, type Ctx } from '../platform/context';
import { idOf } from '../platform/graphql/ids';
import type { Tx } from '../platform/mutation';
import { HubBookingEventKind } from './enums';
import { hubBookingById, toShown, type ShownBooking } from './venue.loaders';
import type { BookingFacts } from './venue.notifications';
import { deliversBookingEvent } from './venue.policy';
import { HubBookingEvent, type HubBookingEventMessage } from './venue.types';

/** One topic for every organisation's booking events; each subscriber takes what it may see. */
export const HUB_BOOKING_TOPIC = 'hubnet:hubBookingChanged';

/**
 * Publishes one event per booking once the transaction has committed (never for a rolled-back
 * one). `wasConfirmed` says whether the hub's busy time changed: a confirmation, or the end of a
 * confirmed booking.
 */
export function publishBookingEvents(tx: Tx, kind: HubBookingEventKind, facts: BookingFacts[], wasConfirmed: (f: BookingFacts) => boolean): void {
  if (!facts.length) return;
  const organisationId = tx.viewer.organisationId;
  const pubsub = tx.ctx.app.pubsub;
  const messages = facts.map((f) => ({
    kind,
    organisationId,
    constellationId: f.constellation_id,
    bookingId: f.id,
    householdIds: [...new Set(f.children.map((c) => c.household_id).filter((h): h is string => !!h))],
    busyChanged: kind === HubBookingEventKind.CONFIRMED || (kind === HubBookingEventKind.CANCELLED && wasConfirmed(f)),
  }));
  tx.afterCommit(() => {
    const at = new Date().toISOString();
    for (const m of messages) pubsub.publish(HUB_BOOKING_TOPIC, { ...m, at } satisfies HubBookingEventMessage);
  });
}

/**
 * The hubBookingChanged stream of one subscriber: each event gets a fresh context (the subscriber
 * looked up again, so a deactivated user's stream ends), is checked against what they may see —
 * first from the message, then by loading the booking with their own scope — and is executed
 * with that same context.
 */
export function hubBookingEventStream(operation: Ctx, viewer: Viewer, constellationGlobalId: string | null | undefined): AsyncIterable<HubBookingEvent> {
  // An ID the viewer cannot use reads like an unknown one: nothing is ever delivered for it.
  const only = constellationGlobalId == null ? null : (idOf('Constellation', constellationGlobalId) ?? 'none');
  return new Repeater<HubBookingEvent>(async (push, stop) => {
    const source = operation.app.pubsub.subscribe(HUB_BOOKING_TOPIC)[Symbol.asyncIterator]();
    // A source that fails to close (e.g. its Redis subscription) is logged, not left to crash the process.
    stop.then(() => source.return?.()).catch((err) => operation.app.log.warn({ err }, 'closing a subscription source failed'));
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      const m = next.value as HubBookingEventMessage;
      if (m.organisationId !== viewer.organisationId || (only !== null && m.constellationId !== only)) continue;
      const ctx = await subscriberContext(operation.app, viewer.userId);
      const current = ctx.viewer;
      if (!current) break;
      if (!deliversBookingEvent(current, m, constellationScope(current))) continue;
      // Loaded here with the subscriber's scope: one they may not see is not delivered. A satellite
      // carer no longer sees a confirmed booking once it is cancelled, yet hears that the time is
      // free again: the booking goes to them as busy time only (times and status).
      const booking = (await hubBookingById(ctx).load(m.bookingId)) ?? (m.busyChanged ? await busyBooking(ctx, current, m) : null);
      if (!booking) continue;
      await push(withEventContext(Object.assign(new HubBookingEvent(), { kind: m.kind, at: new Date(m.at), message: m, booking }), ctx));
    }
    stop();
  });
}

/** The booking of an event as busy time only: nothing but its times and status is shown. */
async function busyBooking(ctx: Ctx, v: Viewer, m: HubBookingEventMessage): Promise<ShownBooking | null> {
  const [row] = await sql(ctx.em, `select b.*, false as sees_details, '' as starts_key from hub_booking b where b.id = $1 and b.organisation_id = $2 and b.constellation_id = $3`, [
    m.bookingId,
    v.organisationId,
    m.constellationId,
  ]);
  return row ? toShown(ctx, row) : null;
}
