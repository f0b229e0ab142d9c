import type { Viewer } from '../platform/viewer';

/**
 * A user's notifications, unread count and notification preferences are theirs alone: they say
 * what is happening in a carer's life, and no role, an administrator's included, reads another's.
 */
export function seesNotificationsOf(v: Viewer, userId: string): boolean {
  return v.userId === userId;
}
