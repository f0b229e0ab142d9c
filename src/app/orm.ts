import { migrationsList } from '../../migrations';
import { createOrm, type Orm, type OrmOptions } from '../platform/db/orm';
import { entities } from './entities';

/** An ORM over Hubnet's own entities and migrations: what the service, the CLI, scripts and tests open. */
export function createHubnetOrm(opts: OrmOptions): Promise<Orm> {
  return createOrm({ ...opts, entities, migrations: migrationsList });
}
