import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000100Core } from './Migration20261125000100Core';
import { Migration20261125000200Sleepovers } from './Migration20261125000200Sleepovers';
import { Migration20261125000300Idempotency } from './Migration20261125000300Idempotency';
import { Migration20261125000400Sessions } from './Migration20261125000400Sessions';
import { Migration20261125000400Notifications } from './Migration20261125000400Notifications';
import { Migration20261125000500StabilityIndexes } from './Migration20261125000500StabilityIndexes';
import { Migration20261125000600SleepoverSync } from './Migration20261125000600SleepoverSync';
import { Migration20261126000700HubScreenIndexes } from './Migration20261126000700HubScreenIndexes';
import { Migration20261126000800DeliveryInterrupted } from './Migration20261126000800DeliveryInterrupted';
import { Migration20261202050100NeedsSkills } from './Migration20261202050100NeedsSkills';
import { Migration20261202030100HubVenue } from './Migration20261202030100HubVenue';
import { Migration20261202020100SleepoverRules } from './Migration20261202020100SleepoverRules';
import { Migration20261202040100SupportLog } from './Migration20261202040100SupportLog';
import { Migration20261202040200SafeguardingNotification } from './Migration20261202040200SafeguardingNotification';
import { Migration20261202040300SupportLogReturnIndexes } from './Migration20261202040300SupportLogReturnIndexes';
import { Migration20261202060100TrustedDocuments } from './Migration20261202060100TrustedDocuments';
import { Migration20261202010100TokenGeneration } from './Migration20261202010100TokenGeneration';

// Applied in this order by the MikroORM migrator. New migrations are appended, never edited once landed.
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261125000100Core', class: Migration20261125000100Core },
  { name: 'Migration20261125000200Sleepovers', class: Migration20261125000200Sleepovers },
  { name: 'Migration20261125000300Idempotency', class: Migration20261125000300Idempotency },
  { name: 'Migration20261125000400Sessions', class: Migration20261125000400Sessions },
  { name: 'Migration20261125000400Notifications', class: Migration20261125000400Notifications },
  { name: 'Migration20261125000500StabilityIndexes', class: Migration20261125000500StabilityIndexes },
  { name: 'Migration20261125000600SleepoverSync', class: Migration20261125000600SleepoverSync },
  { name: 'Migration20261126000700HubScreenIndexes', class: Migration20261126000700HubScreenIndexes },
  { name: 'Migration20261126000800DeliveryInterrupted', class: Migration20261126000800DeliveryInterrupted },
  { name: 'Migration20261202050100NeedsSkills', class: Migration20261202050100NeedsSkills },
  { name: 'Migration20261202030100HubVenue', class: Migration20261202030100HubVenue },
  { name: 'Migration20261202020100SleepoverRules', class: Migration20261202020100SleepoverRules },
  { name: 'Migration20261202040100SupportLog', class: Migration20261202040100SupportLog },
  { name: 'Migration20261202040200SafeguardingNotification', class: Migration20261202040200SafeguardingNotification },
  { name: 'Migration20261202040300SupportLogReturnIndexes', class: Migration20261202040300SupportLogReturnIndexes },
  { name: 'Migration20261202060100TrustedDocuments', class: Migration20261202060100TrustedDocuments },
  { name: 'Migration20261202010100TokenGeneration', class: Migration20261202010100TokenGeneration },
];
