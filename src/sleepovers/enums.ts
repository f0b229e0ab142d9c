import { registerEnumType } from 'type-graphql';

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
registerEnumType(SleepoverKind, { name: 'SleepoverKind' });
registerEnumType(SleepoverStatus, {
  name: 'SleepoverStatus',
  valuesConfig: { COMPLETED: { description: 'Confirmed, and its last night is in the past.' } },
});
