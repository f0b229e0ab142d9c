import { registerEnum } from '../platform/graphql/enums';

export enum SupportChannel {
  PHONE_OR_MESSAGE = 'PHONE_OR_MESSAGE',
  VISIT = 'VISIT',
  AT_THE_HUB = 'AT_THE_HUB',
}
registerEnum(SupportChannel, 'SupportChannel');

export enum SupportTopic {
  BEHAVIOUR = 'BEHAVIOUR',
  EDUCATION = 'EDUCATION',
  HEALTH = 'HEALTH',
  FAMILY_TIME = 'FAMILY_TIME',
  PLACEMENT = 'PLACEMENT',
  CARER_WELLBEING = 'CARER_WELLBEING',
  PRACTICAL = 'PRACTICAL',
  SAFEGUARDING = 'SAFEGUARDING',
  OTHER = 'OTHER',
}
registerEnum(SupportTopic, 'SupportTopic');
