import { registerEnum } from '../platform/graphql/enums';

export enum SleepoverKind {
  PLANNED = 'PLANNED',
  EMERGENCY = 'EMERGENCY',
}
/** COMPLETED is never stored: a CONFIRMED sleepover whose last night is past reads as COMPLETED. */
export enum SleepoverStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
export enum StoredSleepoverStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
}
registerEnum(SleepoverKind, 'SleepoverKind');
registerEnum(SleepoverStatus, 'SleepoverStatus', {
  values: {
    REQUESTED: null,
    CONFIRMED: null,
    DECLINED: null,
    CANCELLED: null,
    COMPLETED: 'Confirmed, and its last night is in the past.',
  },
});

export enum SleepoverEventKind {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  /**
   * Added to the contract's kinds (frontends tolerate unknown values): a confirmed sleepover that
   * had begun was ended early; it keeps the nights it used and frees the rest.
   */
  CUT_SHORT = 'CUT_SHORT',
  /** Its beds changed (new rooms, a repack). */
  BEDS_CHANGED = 'BEDS_CHANGED',
  NIGHTS_BLOCKED = 'NIGHTS_BLOCKED',
  NIGHTS_UNBLOCKED = 'NIGHTS_UNBLOCKED',
}
registerEnum(SleepoverEventKind, 'SleepoverEventKind', {
  values: {
    REQUESTED: null,
    CONFIRMED: null,
    DECLINED: null,
    CANCELLED: null,
    CUT_SHORT: 'Ended early: the nights not yet begun were given up (e.g. consent withdrawn while it was under way).',
    BEDS_CHANGED: 'Its beds changed (new rooms, a repack).',
    NIGHTS_BLOCKED: null,
    NIGHTS_UNBLOCKED: null,
  },
});
