import 'reflect-metadata';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { OrganisationKind } from '../organisations/enums';
import { createOrganisation } from '../organisations/organisation.service';
import { loadConfig } from '../platform/config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../platform/db/embedded';
import { migrateUp } from '../platform/db/migrate';
import type { Orm } from '../platform/db/orm';
import { sqlOne } from '../platform/db/sql';
import { idOf } from '../platform/graphql/ids';
import { importPlacementHistoryAsSystem, MAX_IMPORT_BYTES } from '../placements/history-import.service';
import { createHubnetOrm } from './orm';
import { writeSchemaFile } from './schema';
import { seedDemo } from '../seed/demo';
import { addTrustedDocuments, parseManifest } from '../documents/trusted-documents';

const HELP = `Hubnet command line. Uses DATABASE_URL, or the embedded database in HUBNET_DATA_DIR (.hubnet-data)
when it is unset (stop the service first: the embedded database has one owner).

  npm run migrate                                   apply pending migrations (the release step)
  npm run cli -- org:create --name N --kind LOCAL_AUTHORITY|INDEPENDENT_FOSTERING_AGENCY \\
                 --admin-email E --admin-password P [--admin-name NAME]
                                                    onboard an organisation with its first administrator
  npm run cli -- import:placements FILE.csv --organisation ID
                                                    load placement history (all rows or none; see README)
  npm run cli -- documents:add MANIFEST.json        register a frontend's trusted documents: a JSON object of
                                                    "<sha256 hex>": "<document>" (all entries or none)
  npm run seed [-- --scale demo]                    load the demo organisation into an empty database
  npm run schema:emit                               write schema/schema.graphql from the code
  npm run cli -- --help                             this text
`;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Command = (args: string[], db: () => Promise<Orm>) => Promise<void>;

const commands: Record<string, Command> = {
  async migrate(_args, db) {
    const orm = await db();
    const applied = await migrateUp(orm);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'No pending migrations.');
  },
  async 'org:create'(args, db) {
    const { values } = parseArgs({
      args,
      options: {
        name: { type: 'string' },
        kind: { type: 'string' },
        'admin-email': { type: 'string' },
        'admin-password': { type: 'string' },
        'admin-name': { type: 'string' },
        help: { type: 'boolean' },
      },
    });
    if (values.help) return void console.log(HELP);
    const missing = ['name', 'kind', 'admin-email', 'admin-password'].filter((k) => !(values as Record<string, unknown>)[k]);
    if (missing.length) throw new Error(`org:create needs ${missing.map((m) => `--${m}`).join(', ')} (see --help)`);
    const orm = await db();
    await migrateUp(orm);
    const result = await createOrganisation(orm.em.fork(), {
      name: values.name!,
      kind: values.kind as OrganisationKind,
      adminEmail: values['admin-email']!,
      adminPassword: values['admin-password']!,
      adminName: values['admin-name'],
    });
    console.log(`Created organisation ${result.organisationId} with administrator ${values['admin-email']}.`);
  },
  async 'import:placements'(args, db) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { organisation: { type: 'string' }, help: { type: 'boolean' } } });
    if (values.help) return void console.log(HELP);
    if (positionals.length !== 1 || !values.organisation) throw new Error('import:placements needs FILE.csv and --organisation ID (see --help)');
    const organisationId = UUID_RE.test(values.organisation) ? values.organisation : idOf('Organisation', values.organisation);
    if (!organisationId) throw new Error('--organisation must be an organisation id (as org:create printed it) or its global ID');
    const file = positionals[0];
    const size = fs.statSync(file).size;
    if (size > MAX_IMPORT_BYTES) throw new Error(`${file} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into several imports`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(fs.readFileSync(file));
    } catch {
      throw new Error(`${file} is not UTF-8 text: save it as "CSV UTF-8"`);
    }
    const orm = await db();
    await migrateUp(orm);
    const em = orm.em.fork();
    const org = await sqlOne(em, `select name from organisation where id = $1`, [organisationId]);
    if (!org) throw new Error(`No organisation ${organisationId}`);
    const report = await importPlacementHistoryAsSystem(em, organisationId, text);
    if (report.rowErrors.length) {
      for (const e of report.rowErrors) console.error(`${e.row == null ? 'file' : `row ${e.row}`}${e.column ? ` ${e.column}` : ''}: ${e.message}`);
      console.error(`${report.rowErrors.length} problem(s) in ${file}; nothing was imported.`);
      process.exitCode = 1;
      return;
    }
    console.log(`Imported ${report.imported} placement(s) into ${org.name}; ${report.childrenCreated} child record(s) created.`);
  },
  async seed(args, db) {
    const { values } = parseArgs({ args, options: { scale: { type: 'string', default: 'demo' }, seed: { type: 'string' } } });
    if (values.scale !== 'demo') throw new Error(`Unknown --scale ${values.scale}`);
    const orm = await db();
    await migrateUp(orm);
    const r = await seedDemo(orm.em.fork());
    console.log(r ? `Demo organisation ${r.organisationId} loaded.` : 'The database already has data; nothing loaded.');
  },
  async 'documents:add'(args, db) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { help: { type: 'boolean' } } });
    if (values.help) return void console.log(HELP);
    if (positionals.length !== 1) throw new Error('documents:add needs one MANIFEST.json (see --help)');
    const file = positionals[0];
    const { entries, problems } = parseManifest(fs.readFileSync(file, 'utf8'));
    if (problems.length) {
      for (const p of problems) console.error(p);
      console.error(`${problems.length} problem(s) in ${file}; nothing was registered.`);
      process.exitCode = 1;
      return;
    }
    const orm = await db();
    await migrateUp(orm);
    const { added, known } = await addTrustedDocuments(orm.em.fork(), entries);
    console.log(`Registered ${added} document(s) from ${file}${known ? `; ${known} already registered` : ''}.`);
  },
  async 'schema:emit'() {
    console.log(`Wrote ${writeSchemaFile()}`);
  },
};

async function main() {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === '--help' || name === 'help' || !commands[name]) {
    console.log(HELP);
    if (name && name !== '--help' && name !== 'help') process.exitCode = 2;
    return;
  }
  const config = loadConfig();
  let orm: Orm | null = null;
  let embedded: EmbeddedDatabase | null = null;
  const db = async () => {
    if (orm) return orm;
    let url = config.databaseUrl;
    if (!url) {
      embedded = await startEmbeddedDatabase(config.dataDir);
      url = embedded.url;
    }
    orm = await createHubnetOrm({ url, poolMax: embedded ? 1 : 4, preparedStatements: !embedded && config.preparedStatements });
    return orm;
  };
  try {
    await commands[name](args, db);
  } finally {
    await (orm as Orm | null)?.close(true);
    await (embedded as EmbeddedDatabase | null)?.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
