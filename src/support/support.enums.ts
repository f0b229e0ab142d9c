import { registerEnumType } from 'type-graphql';

export enum SupportChannel {
  PHONE_OR_MESSAGE = 'PHONE_OR_MESSAGE',
  VISIT = 'VISIT',
  AT_THE_HUB = 'AT_THE_HUB',
}
registerEnumType(SupportChannel, { name: 'SupportChannel' });

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
registerEnumType(SupportTopic, { name: 'SupportTopic' });
