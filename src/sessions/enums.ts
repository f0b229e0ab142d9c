import { registerEnumType } from 'type-graphql';

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

registerEnumType(PeerSupportSessionKind, {
  name: 'PeerSupportSessionKind',
  valuesConfig: { CONSTELLATION_MEETING: { description: "The constellation's regular (usually monthly) gathering." } },
});
registerEnumType(PeerSupportSessionStatus, { name: 'PeerSupportSessionStatus' });
registerEnumType(RsvpStatus, {
  name: 'RsvpStatus',
  valuesConfig: { WAITLISTED: { description: 'Asked to come when the session was full; moved to GOING, first come first served, when a place frees up.' } },
});
registerEnumType(PeerSupportSessionEventKind, { name: 'PeerSupportSessionEventKind' });
registerEnumType(WeekOfMonth, { name: 'WeekOfMonth' });
registerEnumType(Weekday, { name: 'Weekday' });
