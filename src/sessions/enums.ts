import { registerEnum } from '../platform/graphql/enums';

export enum PeerSupportSessionKind {
  CONSTELLATION_MEETING = 'CONSTELLATION_MEETING',
  SUPPORT_GROUP = 'SUPPORT_GROUP',
  TRAINING = 'TRAINING',
  SOCIAL_ACTIVITY = 'SOCIAL_ACTIVITY',
  CHILDREN_ACTIVITY = 'CHILDREN_ACTIVITY',
}
export enum PeerSupportSessionStatus {
  SCHEDULED = 'SCHEDULED',
  CANCELLED = 'CANCELLED',
}
export enum RsvpStatus {
  GOING = 'GOING',
  WAITLISTED = 'WAITLISTED',
  NOT_GOING = 'NOT_GOING',
  ATTENDED = 'ATTENDED',
  NO_SHOW = 'NO_SHOW',
}
export enum PeerSupportSessionEventKind {
  SCHEDULED = 'SCHEDULED',
  UPDATED = 'UPDATED',
  CANCELLED = 'CANCELLED',
  RSVP_CHANGED = 'RSVP_CHANGED',
}
export enum WeekOfMonth {
  FIRST = 'FIRST',
  SECOND = 'SECOND',
  THIRD = 'THIRD',
  FOURTH = 'FOURTH',
  LAST = 'LAST',
}
export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}

registerEnum(PeerSupportSessionKind, 'PeerSupportSessionKind', {
  values: {
    CONSTELLATION_MEETING: "The constellation's regular (usually monthly) gathering.",
    SUPPORT_GROUP: null,
    TRAINING: null,
    SOCIAL_ACTIVITY: null,
    CHILDREN_ACTIVITY: null,
  },
});
registerEnum(PeerSupportSessionStatus, 'PeerSupportSessionStatus');
registerEnum(RsvpStatus, 'RsvpStatus', {
  values: {
    GOING: null,
    WAITLISTED: 'Asked to come when the session was full; moved to GOING, first come first served, when a place frees up.',
    NOT_GOING: null,
    ATTENDED: null,
    NO_SHOW: null,
  },
});
registerEnum(PeerSupportSessionEventKind, 'PeerSupportSessionEventKind');
registerEnum(WeekOfMonth, 'WeekOfMonth');
registerEnum(Weekday, 'Weekday');
