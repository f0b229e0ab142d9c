import { filter } from '@graphql-yoga/subscription';
import { isOrgWide, loadViewer, type Viewer } from '../auth/viewer';
import type { Ctx } from '../platform/context';
import { badUserInput } from '../platform/graphql/errors';
import { idOf } from '../platform/graphql/ids';
import type { Tx } from '../platform/mutation';
import { now } from '../platform/time';
import type { PeerSupportSessionEventKind } from './enums';

export const SESSION_TOPIC = 'peerSupportSessionChanged';

/** What goes over the pub/sub: ids and kinds only; subscribers load what they may see. */
export interface SessionEventMessage {
  kind: PeerSupportSessionEventKind;
  sessionId: string;
  constellationId: string;
  organisationId: string;
  at: string;
}

/** Publishes after the transaction commits; nothing is published for a rolled-back change. */
export function publishSessionEvent(tx: Tx, kind: PeerSupportSessionEventKind, s: { id: string; constellationId: string; organisationId: string }): void {
  const message: SessionEventMessage = { kind, sessionId: s.id, constellationId: s.constellationId, organisationId: s.organisationId, at: now().toISOString() };
  tx.afterCommit(() => tx.ctx.app.pubsub.publish(SESSION_TOPIC, message));
}

/** Whether the viewer may see a constellation's sessions: as constellationVisible, without SQL. */
export function seesConstellation(v: Viewer, organisationId: string, constellationId: string): boolean {
  if (v.organisationId !== organisationId) return false;
  return isOrgWide(v) || v.memberConstellationId === constellationId || v.liaisonConstellationIds.includes(constellationId);
}

/**
 * The events one subscriber may see. The viewer is reloaded for every event, so a carer who left
 * the constellation (or a liaison worker reassigned) stops receiving its events at the next one.
 */
export function sessionEventStream(ctx: Ctx, viewer: Viewer, constellationGlobalId: string | null | undefined): AsyncIterable<SessionEventMessage> {
  const wanted = constellationGlobalId == null ? null : idOf('Constellation', constellationGlobalId);
  if (constellationGlobalId != null && !wanted) throw badUserInput('constellationId is not a constellation ID.');
  const source = ctx.app.pubsub.subscribe(SESSION_TOPIC) as AsyncIterable<SessionEventMessage>;
  return filter(async (m: SessionEventMessage) => {
    if (m.organisationId !== viewer.organisationId || (wanted && m.constellationId !== wanted)) return false;
    const current = await loadViewer(ctx.app.orm.em.fork(), viewer.userId);
    return !!current && seesConstellation(current, m.organisationId, m.constellationId);
  })(source);
}
