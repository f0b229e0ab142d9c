import { registerEnum } from '../platform/graphql/enums';

export enum PlacementKind {
  EMERGENCY = 'EMERGENCY',
  SHORT_TERM = 'SHORT_TERM',
  LONG_TERM = 'LONG_TERM',
  RESPITE = 'RESPITE',
  PARENT_AND_CHILD = 'PARENT_AND_CHILD',
  REMAND = 'REMAND',
}
export enum PlacementEndReason {
  CARPL = 'CARPL',
  PLACE = 'PLACE',
  CREQB = 'CREQB',
  CREQO = 'CREQO',
  CHILD = 'CHILD',
  LAREQ = 'LAREQ',
  STAND = 'STAND',
  CLOSE = 'CLOSE',
  ALLEG = 'ALLEG',
  APPRR = 'APPRR',
  CUSTOD = 'CUSTOD',
  LEFT_CARE = 'LEFT_CARE',
  OTHER = 'OTHER',
}
export enum PlacementSetting {
  FOSTER_HOUSEHOLD = 'FOSTER_HOUSEHOLD',
  OTHER_FOSTERING_PROVIDER = 'OTHER_FOSTERING_PROVIDER',
  RESIDENTIAL = 'RESIDENTIAL',
  SECURE = 'SECURE',
  SUPPORTED_ACCOMMODATION = 'SUPPORTED_ACCOMMODATION',
  WITH_PARENTS = 'WITH_PARENTS',
  HOSPITAL = 'HOSPITAL',
  OTHER = 'OTHER',
}

// Descriptions are the contract's (api/contract.graphql), word for word.
registerEnum(PlacementKind, 'PlacementKind', {
  description: 'What a household is approved for, and what a child needs a placement for.',
  values: {
    EMERGENCY: null,
    SHORT_TERM: null,
    LONG_TERM: null,
    RESPITE: "A temporary stay away from the child's placement (short breaks, a carer's holiday): never a\nplacement of its own; a return to the same carers afterwards continues the same placement.",
    PARENT_AND_CHILD: null,
    REMAND: null,
  },
});
registerEnum(PlacementEndReason, 'PlacementEndReason', {
  description: 'Why a placement ended: the reason-for-placement-change codes of the SSDA903 return.',
  values: {
    CARPL: 'Change to, or implementation of, the care plan.',
    PLACE: 'Change in the status of the placement only; same carer.',
    CREQB: "Carer requests the placement end because of the child's behaviour.",
    CREQO: 'Carer requests the placement end for other reasons.',
    CHILD: 'Child requests the placement end.',
    LAREQ: 'Responsible authority requests the placement end.',
    STAND: 'Concerns about the standard of care.',
    CLOSE: 'Carer resigned or the provision closed.',
    ALLEG: 'Allegation (s47).',
    APPRR: "Carer's approval removed.",
    CUSTOD: 'Custody.',
    LEFT_CARE: 'The child left care (returned home, adoption, special guardianship, independence).',
    OTHER: null,
  },
});
registerEnum(PlacementSetting, 'PlacementSetting', {
  description: "Where a child lives: with one of the organisation's fostering households, or elsewhere (so that\ncare histories and stability figures are complete).",
});
