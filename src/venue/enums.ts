import { registerEnum } from '../platform/graphql/enums';

export enum HubBookingPurpose {
  FAMILY_TIME = 'FAMILY_TIME',
  SIBLING_CONTACT = 'SIBLING_CONTACT',
  DAY_CARE = 'DAY_CARE',
  MEETING = 'MEETING',
  OTHER = 'OTHER',
}
registerEnum(HubBookingPurpose, 'HubBookingPurpose', {
  values: {
    FAMILY_TIME: "Time with the birth family, supervised as the child's care plan says.",
    SIBLING_CONTACT: 'Brothers and sisters placed apart spending time together.',
    DAY_CARE: 'Day care or an after-school stay with the hub carer.',
    MEETING: 'A meeting or visit: a social worker seeing a child, a review, a training morning.',
    OTHER: null,
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
registerEnum(HubBookingStatus, 'HubBookingStatus', {
  values: {
    REQUESTED: null,
    CONFIRMED: null,
    DECLINED: null,
    CANCELLED: null,
    COMPLETED: 'Confirmed, and its end has passed.',
  },
});

export enum HubBookingOutcome {
  TOOK_PLACE = 'TOOK_PLACE',
  CUT_SHORT = 'CUT_SHORT',
  FAMILY_DID_NOT_ATTEND = 'FAMILY_DID_NOT_ATTEND',
  CHILD_DID_NOT_ATTEND = 'CHILD_DID_NOT_ATTEND',
  CANCELLED_ON_THE_DAY = 'CANCELLED_ON_THE_DAY',
}
registerEnum(HubBookingOutcome, 'HubBookingOutcome');

export enum HubBookingEventKind {
  REQUESTED = 'REQUESTED',
  CONFIRMED = 'CONFIRMED',
  DECLINED = 'DECLINED',
  CANCELLED = 'CANCELLED',
  OUTCOME_RECORDED = 'OUTCOME_RECORDED',
}
registerEnum(HubBookingEventKind, 'HubBookingEventKind');
