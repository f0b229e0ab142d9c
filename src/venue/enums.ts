import { registerEnumType } from 'type-graphql';

export enum HubBookingPurpose {
  FAMILY_TIME = 'FAMILY_TIME',
  SIBLING_CONTACT = 'SIBLING_CONTACT',
  DAY_CARE = 'DAY_CARE',
  MEETING = 'MEETING',
  OTHER = 'OTHER',
}
registerEnumType(HubBookingPurpose, {
  name: 'HubBookingPurpose',
  valuesConfig: {
    FAMILY_TIME: { description: "Time with the birth family, supervised as the child's care plan says." },
    SIBLING_CONTACT: { description: 'Brothers and sisters placed apart spending time together.' },
    DAY_CARE: { description: 'Day care or an after-school stay with the hub carer.' },
    MEETING: { description: 'A meeting or visit: a social worker seeing a child, a review, a training morning.' },
  },
});

/** COMPLETED is never stored: a CONFIRMED booking whose end has passed reads as COMPLETED. */
export enum HubBookingStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
export enum StoredHubBookingStatus {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(HubBookingStatus, {
  name: 'HubBookingStatus',
  valuesConfig: { COMPLETED: { description: 'Confirmed, and its end has passed.' } },
});

export enum HubBookingOutcome {
  TOOK_PLACE = 'TOOK_PLACE',
  CUT_SHORT = 'CUT_SHORT',
  FAMILY_DID_NOT_ATTEND = 'FAMILY_DID_NOT_ATTEND',
  CHILD_DID_NOT_ATTEND = 'CHILD_DID_NOT_ATTEND',
  CANCELLED_ON_THE_DAY = 'CANCELLED_ON_THE_DAY',
}
registerEnumType(HubBookingOutcome, { name: 'HubBookingOutcome' });

export enum HubBookingEventKind {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  OUTCOME_RECORDED = 'OUTCOME_RECORDED',
}
registerEnumType(HubBookingEventKind, { name: 'HubBookingEventKind' });
