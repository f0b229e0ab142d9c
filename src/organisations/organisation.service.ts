import type { EntityManager } from '@mikro-orm/postgresql';
import { hashPassword, passwordProblem } from '../auth/passwords';
import { sql, sqlOne } from '../platform/db/sql';
import type { Logger } from '../platform/log';
import { EMAIL_RE } from '../platform/validation';
import { OrganisationKind } from './enums';

export interface NewOrganisation {
  name: string;
  kind: OrganisationKind;
  adminEmail: string;
  adminPassword: string;
  adminName?: string;
}

/** Onboards an organisation with its first administrator (operators, from the command line). */
export async function createOrganisation(em: EntityManager, input: NewOrganisation): Promise<{ organisationId: string; adminId: string }> {
  const problems: string[] = [];
  const name = input.name.trim();
  if (!name || name.length > 200) problems.push('--name must be 1 to 200 characters');
  if (!Object.values(OrganisationKind).includes(input.kind)) problems.push(`--kind must be one of ${Object.values(OrganisationKind).join(', ')}`);
  const email = input.adminEmail.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) problems.push('--admin-email is not an email address');
  const pw = passwordProblem(input.adminPassword);
  if (pw) problems.push(`--admin-password: ${pw}`);
  if (problems.length) throw new Error(problems.join('; '));
  const hash = await hashPassword(input.adminPassword);
  return em.transactional(async (tx) => {
    if (await sqlOne(tx, `select 1 from app_user where email = $1`, [email])) throw new Error(`${email} already has a login`);
    const [{ id: organisationId }] = await sql(tx, `insert into organisation (name, kind) values ($1, $2) returning id`, [name, input.kind]);
    const [{ id: adminId }] = await sql(tx, `insert into app_user (organisation_id, email, name, role, password_hash) values ($1, $2, $3, 'ADMIN', $4) returning id`, [
      organisationId,
      email,
      input.adminName ?? 'Administrator',
      hash,
    ]);
    await sql(tx, `insert into audit_event (organisation_id, actor_id, action, subject_id, summary) values ($1, null, 'Organisation.create', $2, $3)`, [
      organisationId,
      organisationId,
      JSON.stringify({ via: 'cli' }),
    ]);
    return { organisationId, adminId };
  });
}

/** HUBNET_BOOTSTRAP_ADMIN_*: a first administrator when the database has no user at all. */
export async function bootstrapAdmin(em: EntityManager, cfg: { email: string; password: string; organisation: string }, log: Logger): Promise<void> {
  const any = await sqlOne(em, `select 1 from app_user limit 1`);
  if (any) return;
  const { organisationId } = await createOrganisation(em, {
    name: cfg.organisation,
    kind: OrganisationKind.LOCAL_AUTHORITY,
    adminEmail: cfg.email,
    adminPassword: cfg.password,
  });
  log.info({ organisationId, email: cfg.email }, 'bootstrap administrator created');
}
