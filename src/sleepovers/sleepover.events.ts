import { Repeater } from '@graphql-yoga/subscription';
import { constellationScope, hubConstellationOf, isStaff, type Viewer } from '../auth/viewer';
import { subscriberContext, withEventContext, type Ctx } from '../platform/context';
import { idOf } from '../platform/graphql/ids';
import type { Tx } from '../platform/mutation';
import { SleepoverEvent, type SleepoverEventMessage } from './sleepover.types';

/** One topic for every organisation's sleepover events; each subscriber takes what it may see. */
export const SLEEPOVER_TOPIC = 'hubnet:sleepoverChanged';

/** Publishes the events once the transaction has committed (never for a rolled-back one). */
export function publishSleepoverEvents(tx: Tx, events: Omit<SleepoverEventMessage, 'organisationId' | 'at'>[]): void {
  if (!events.length) return;
  const organisationId = tx.viewer.organisationId;
  const pubsub = tx.ctx.app.pubsub;
  tx.afterCommit(() => {
    const at = new Date().toISOString();
    for (const e of events) pubsub.publish(SLEEPOVER_TOPIC, { ...e, organisationId, at } satisfies SleepoverEventMessage);
  });
}

/**
 * Whether a subscriber receives an event. Carers always hear about their own household's
 * sleepovers. Otherwise the constellation must be one the viewer may see: staff and its hub carer
 * get everything; a satellite carer gets another household's sleepover only when booked nights
 * changed (a confirmation, or the cancellation of a confirmed one) and NIGHTS_* events — never
 * another household's requests or declines.
 */
export function delivers(v: Viewer, m: SleepoverEventMessage): boolean {
  if (m.organisationId !== v.organisationId) return false;
  if (m.householdId !== null && v.householdId === m.householdId) return true;
  const scope = constellationScope(v);
  if (scope !== null && !scope.includes(m.constellationId)) return false;
  if (isStaff(v) || hubConstellationOf(v) === m.constellationId) return true;
  return m.from !== null;
}

/**
 * The sleepoverChanged stream of one subscriber: each event gets a fresh context (the subscriber
 * looked up again, so a deactivated user's stream ends), is checked against what the subscriber
 * may see, and is executed with that same context.
 */
export function sleepoverEventStream(operation: Ctx, viewer: Viewer, constellationGlobalId: string | null | undefined): AsyncIterable<SleepoverEvent> {
  // An ID the viewer cannot use reads like an unknown one: nothing is ever delivered for it.
  const only = constellationGlobalId == null ? null : (idOf('Constellation', constellationGlobalId) ?? 'none');
  return new Repeater<SleepoverEvent>(async (push, stop) => {
    const source = operation.app.pubsub.subscribe(SLEEPOVER_TOPIC)[Symbol.asyncIterator]();
    // A source that fails to close (e.g. its Redis subscription) is logged, not left to crash the process.
    stop.then(() => source.return?.()).catch((err) => operation.app.log.warn({ err }, 'closing a subscription source failed'));
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      const m = next.value as SleepoverEventMessage;
      if (m.organisationId !== viewer.organisationId || (only !== null && m.constellationId !== only)) continue;
      const ctx = await subscriberContext(operation.app, viewer.userId);
      if (!ctx.viewer) break;
      if (!delivers(ctx.viewer, m)) continue;
      await push(withEventContext(Object.assign(new SleepoverEvent(), { kind: m.kind, at: new Date(m.at), message: m }), ctx));
    }
    stop();
  });
}
