import { registerEnum } from '../platform/graphql/enums';

/** What a notification is about. Each user chooses, per kind, which channels reach them. */
export enum NotificationKind {
  /** A carer's EMERGENCY sleepover request: to the hub carer and the liaison worker at once. */
  EMERGENCY_SLEEPOVER_REQUESTED = 'EMERGENCY_SLEEPOVER_REQUESTED',
  /** A carer's PLANNED sleepover request: to the hub carer and the liaison worker, batched within 5 minutes. */
  SLEEPOVER_REQUESTED = 'SLEEPOVER_REQUESTED',
  SLEEPOVER_CONFIRMED = 'SLEEPOVER_CONFIRMED',
  SLEEPOVER_DECLINED = 'SLEEPOVER_DECLINED',
  /** Cancelled by someone, or automatically by a cascade. */
  SLEEPOVER_CANCELLED = 'SLEEPOVER_CANCELLED',
  /** A new peer support session or series. */
  SESSION_SCHEDULED = 'SESSION_SCHEDULED',
  SESSION_UPDATED = 'SESSION_UPDATED',
  SESSION_CANCELLED = 'SESSION_CANCELLED',
  /** A place freed up and the carer moved from the waitlist to GOING. */
  WAITLIST_PROMOTED = 'WAITLIST_PROMOTED',
  /** The day before a confirmed sleepover, from 18:00 Europe/London: to whoever asked for it, the children's own carers and the hub carers. */
  SLEEPOVER_REMINDER = 'SLEEPOVER_REMINDER',
  /** The day before a session: to the carers going. */
  SESSION_REMINDER = 'SESSION_REMINDER',
  /** 08:00 on weekdays (Europe/London): sleepover requests still waiting, to liaison workers. */
  REQUESTS_DIGEST = 'REQUESTS_DIGEST',
  /** A hub booking waiting for the hub carer's decision: to the hub carers at once. */
  HUB_BOOKING_REQUESTED = 'HUB_BOOKING_REQUESTED',
  HUB_BOOKING_CONFIRMED = 'HUB_BOOKING_CONFIRMED',
  HUB_BOOKING_DECLINED = 'HUB_BOOKING_DECLINED',
  /** Cancelled by someone, or automatically by a cascade. */
  HUB_BOOKING_CANCELLED = 'HUB_BOOKING_CANCELLED',
  /** The day before a confirmed hub booking, from 18:00 Europe/London: to the hub carers, whoever asked for it and the carers of the children it is for. */
  HUB_BOOKING_REMINDER = 'HUB_BOOKING_REMINDER',
  /** A safeguarding entry in the support log: to the liaison worker and the household's supervising social worker, at once. */
  SAFEGUARDING_CONCERN = 'SAFEGUARDING_CONCERN',
}
registerEnum(NotificationKind, 'NotificationKind', {
  values: {
    EMERGENCY_SLEEPOVER_REQUESTED: "A carer's emergency sleepover request (hub carer and liaison worker, at once).",
    SLEEPOVER_REQUESTED: "A carer's planned sleepover request (hub carer and liaison worker, gathered within 5 minutes).",
    SLEEPOVER_CONFIRMED: null,
    SLEEPOVER_DECLINED: null,
    SLEEPOVER_CANCELLED: 'Cancelled by someone, or automatically (the reason says why).',
    SESSION_SCHEDULED: 'A new peer support session or series.',
    SESSION_UPDATED: null,
    SESSION_CANCELLED: null,
    WAITLIST_PROMOTED: 'A place freed up: moved from the waitlist to GOING.',
    SLEEPOVER_REMINDER: 'The day before a sleepover, at 18:00 (Europe/London).',
    SESSION_REMINDER: 'The day before a session the carer is going to.',
    REQUESTS_DIGEST: 'Weekdays at 08:00 (Europe/London): sleepover requests still waiting, sleepover consents ending soon, and support follow-ups due.',
    HUB_BOOKING_REQUESTED: 'A booking of the hub home waiting for the hub carer (at once).',
    HUB_BOOKING_CONFIRMED: null,
    HUB_BOOKING_DECLINED: null,
    HUB_BOOKING_CANCELLED: 'Cancelled by someone, or automatically (the reason says why).',
    HUB_BOOKING_REMINDER: 'The day before a confirmed booking of the hub home, from 18:00 (Europe/London).',
    SAFEGUARDING_CONCERN: "A safeguarding concern recorded in the support log (liaison worker and the household's supervising social worker, at once). Email cannot be switched off.",
  },
});

export const ALL_KINDS: readonly NotificationKind[] = Object.values(NotificationKind);

/**
 * Kinds whose email goes out whatever the recipient's preference: a safeguarding concern must
 * reach the people who act on it, so nobody can quietly opt out of it.
 */
export const EMAIL_REQUIRED_KINDS: ReadonlySet<NotificationKind> = new Set([NotificationKind.SAFEGUARDING_CONCERN]);

export enum NotificationChannel {
  EMAIL = 'EMAIL',
  PUSH = 'PUSH',
}
registerEnum(NotificationChannel, 'NotificationChannel');

/**
 * PENDING → SENDING → SENT; a failed attempt goes to RETRYING, and after the last attempt to DEAD;
 * a send cut off by a dying worker (lease run out, outcome unknown) goes to INTERRUPTED, never out
 * again (SENT after all if that send does finish).
 * SKIPPED: nothing to send it through (channel not configured, no push subscription, recipient
 * deactivated).
 */
export enum DeliveryStatus {
  PENDING = 'PENDING',
  SENDING = 'SENDING',
  RETRYING = 'RETRYING',
  SENT = 'SENT',
  DEAD = 'DEAD',
  INTERRUPTED = 'INTERRUPTED',
  SKIPPED = 'SKIPPED',
}
registerEnum(DeliveryStatus, 'NotificationDeliveryStatus', {
  values: {
    PENDING: null,
    SENDING: null,
    RETRYING: 'An attempt failed; it is tried again with exponential backoff.',
    SENT: null,
    DEAD: 'Every attempt failed; it will not be tried again.',
    INTERRUPTED: 'A send was cut off (its worker stopped) with its outcome unknown; it is not tried again, so that nothing goes twice.',
    SKIPPED: 'Nothing to send it through (channel not configured, no push subscription, recipient deactivated).',
  },
});

/** Push urgency (RFC 8030): emergencies wake the device. */
export function pushUrgency(kind: NotificationKind): 'high' | 'normal' {
  return kind === NotificationKind.EMERGENCY_SLEEPOVER_REQUESTED || kind === NotificationKind.SAFEGUARDING_CONCERN ? 'high' : 'normal';
}

/**
 * Subject line of an email that gathers several notifications of one kind (a batch). Like every
 * subject line it names no child.
 */
export function batchTitle(kind: NotificationKind, n: number): string {
  switch (kind) {
    case NotificationKind.SLEEPOVER_REQUESTED:
      return `${n} new sleepover requests`;
    default:
      return `${n} new notifications from Hubnet`;
  }
}
