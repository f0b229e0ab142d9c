import type { Orm } from './orm';

export async function migrateUp(orm: Orm): Promise<string[]> {
  const migrator = orm.getMigrator();
  const pending = await migrator.getPendingMigrations();
  await migrator.up();
  return pending.map((m) => m.name);
}

/**
 * Objects the migrations create by hand because MikroORM 6's diff cannot express them (exclusion
 * constraints, generated ranges and their gist indexes, checks, triggers). The diff proposes to
 * drop these; any other statement it proposes means the entities and the migrations disagree.
 */
const HAND_WRITTEN = [
  /\b[a-z_]+_no_overlap\b/,
  /\bbed_claim_hub_bed_fk\b/,
  /\bmembership_one_hub\b/,
  /\b[a-z_]+_rule\b/,
  /\b[a-z_]+_not_self\b/,
  /\b[a-z_]+_idx\b/,
  /drop column "period"/,
  /drop column "nights"/,
];

/** Statements the entity metadata would apply to the migrated database, minus the hand-written objects. */
export async function schemaDrift(orm: Orm): Promise<string[]> {
  const sql = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false, safe: false, dropTables: true });
  return sql
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('--'))
    .filter((s) => !HAND_WRITTEN.some((re) => re.test(s)));
}
