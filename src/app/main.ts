import 'reflect-metadata';
import { loadConfig } from '../platform/config';
import { startService } from './boot';
import { runMain, stopOnSignals } from './process';
import { bootstrapAdmin } from '../organisations/organisation.service';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemo } from '../seed/demo';

async function main() {
  const started = Date.now();
  const config = loadConfig();
  let seeded = false;
  const service = await startService(config, {
    async beforeServe(app, embedded) {
      const em = app.orm.em.fork();
      if (config.bootstrapAdmin) await bootstrapAdmin(em, config.bootstrapAdmin, app.log);
      // Demo data only on the embedded database, and only into an empty one.
      if (embedded) seeded = (await seedDemo(em)) !== null;
    },
  });
  const { app } = service;
  app.log.info({ url: service.url, embedded: service.embedded, startupMs: Date.now() - started }, 'Hubnet is listening');
  if (service.embedded && !config.production) {
    const lines = [
      '',
      `Hubnet GraphQL: ${service.url}  (embedded PostgreSQL${config.dataDir === 'memory' ? ', in memory' : `, data in ${config.dataDir}`}${seeded ? ', demo data loaded' : ''})`,
      `Demo logins (password ${DEMO_PASSWORD}):`,
      ...DEMO_LOGINS.map((u) => `  ${u.email.padEnd(28)} ${u.role}${'note' in u ? ` (${u.note})` : ''}`),
      `Started in ${Date.now() - started} ms.`,
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  // Draining requests first: the HTTP server stops taking new ones and answers those in flight.
  stopOnSignals(app.log, 'service', () => service.stop());
}

runMain(main);
