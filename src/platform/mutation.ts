import crypto from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Ctx } from './context';
import { sql, sqlOne } from './db/sql';
import { viewerOf } from './graphql/guards';
import { toGlobalId } from './graphql/ids';
import { loadNode, typeNameOf } from './graphql/node-registry';
import { UserError, UserErrorCode, UserFacingError, userError } from './graphql/user-errors';
import type { Viewer } from './viewer';

/** What a mutation's domain function hands back. */
export interface Outcome<P extends object> {
  payload: P;
  /** The entity acted on, for the audit trail. */
  subject: { type: string; id: string } | null;
  /** Redacted summary for the audit trail: ids and changed field names, no personal free text. */
  summary?: Record<string, unknown>;
}

/** The transaction a domain function runs in. */
export interface Tx {
  em: EntityManager;
  viewer: Viewer;
  ctx: Ctx;
  /** Runs after the transaction commits (publishing events); never for a rolled-back one. */
  afterCommit(fn: () => void | Promise<void>): void;
}

type Payload<P> = P & { userErrors: UserError[] };

/**
 * Database constraints that mean "the request conflicts with the data", mapped to userErrors.
 * The database is the final word on these rules; the loser of a race lands here.
 */
const constraintErrors = new Map<string, { code: UserErrorCode; message: string; field?: string[] }>();
export function registerConstraintError(constraint: string, code: UserErrorCode, message: string, field?: string[]): void {
  constraintErrors.set(constraint, { code, message, field });
}

const RETRYABLE = new Set(['40001', '40P01']);
const IDEMPOTENCY_TTL_HOURS = 24;

/**
 * Every write goes through here: one transaction holding the effect, its audit event and its
 * idempotency record; userErrors roll the effect back (with an Idempotency-Key, the refusal is
 * kept as the key's first response); events publish only after commit.
 */
export async function runMutation<P extends object>(ctx: Ctx, action: string, input: unknown, fn: (tx: Tx) => Promise<Outcome<P>>): Promise<Payload<Partial<P>>> {
  const viewer = viewerOf(ctx);
  const requestHash = ctx.idempotencyKey ? hashRequest(action, input) : null;

  for (let attempt = 1; ; attempt++) {
    const after: (() => void | Promise<void>)[] = [];
    const effect = async (em: EntityManager): Promise<P> => {
      const tx: Tx = { em, viewer, ctx, afterCommit: (f) => after.push(f) };
      const outcome = await fn(tx);
      await em.flush();
      await writeAudit(em, ctx, viewer, action, outcome, input);
      return outcome.payload;
    };
    try {
      const result = await ctx.em.transactional(async (em): Promise<Settled<P>> => {
        const key = ctx.idempotencyKey;
        if (!key || !requestHash) return { fresh: await effect(em) };
        const replay = await claimIdempotencyKey(em, viewer.userId, key, action, requestHash);
        if (replay) return replay;
        // The effect runs in a savepoint: a refusal undoes it but keeps the key, with the refusal as
        // the first response, so a repeat gets that same answer rather than a second attempt.
        let settled: Settled<P>;
        try {
          settled = { fresh: await em.transactional((inner) => effect(inner)) };
        } catch (err) {
          const refusal = refusalOf(err);
          if (!refusal) throw err;
          after.length = 0;
          settled = { refused: refusal };
        }
        const first = 'fresh' in settled ? toStored(settled.fresh) : { ...(toStored(settled.refused.payload) as object), userErrors: settled.refused.errors };
        await sql(em, `update idempotency_key set outcome = $3 where user_id = $1 and key = $2`, [viewer.userId, key, JSON.stringify(first)]);
        return settled;
      });
      if ('conflict' in result) return { userErrors: [result.conflict] } as Payload<Partial<P>>;
      if ('refused' in result) return { ...result.refused.payload, userErrors: result.refused.errors } as Payload<Partial<P>>;
      if ('stored' in result) return (await fromStored(ctx, viewer, result.stored, true)) as Payload<Partial<P>>;
      for (const f of after) {
        try {
          await f();
        } catch (err) {
          ctx.log.error({ err, action }, 'after-commit hook failed');
        }
      }
      return { ...result.fresh, userErrors: [] };
    } catch (err) {
      const refusal = refusalOf(err);
      if (refusal) return { ...refusal.payload, userErrors: refusal.errors } as Payload<Partial<P>>;
      const code = (err as { code?: string }).code;
      if (code && RETRYABLE.has(code) && attempt < 3) continue;
      throw err;
    }
  }
}

type Settled<P> = { fresh: P } | { refused: Refusal } | { stored: unknown } | { conflict: UserError };

/**
 * A service's refusal, or a registered constraint the database enforced: userErrors, nothing
 * written, and any payload fields it still answers with (an import's row errors).
 */
interface Refusal {
  errors: UserError[];
  payload: Record<string, unknown>;
}

function refusalOf(err: unknown): Refusal | null {
  if (err instanceof UserFacingError) return { errors: err.errors, payload: err.payload };
  const constraint = (err as { constraint?: string }).constraint;
  const e = constraint ? constraintErrors.get(constraint) : undefined;
  return e ? { errors: [userError(e.code, e.message, e.field)], payload: {} } : null;
}

function hashRequest(action: string, input: unknown): string {
  return crypto.createHash('sha256').update(action).update('\0').update(stableJson(input)).digest('hex');
}

function stableJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
    .join(',')}}`;
}

type Claim = { stored: unknown } | { conflict: UserError } | null;

/**
 * Inserts the key; a concurrent holder of the same key makes this wait (unique index) until it
 * commits, after which its stored outcome is replayed. Keys older than 24 hours are reusable.
 */
async function claimIdempotencyKey(em: EntityManager, userId: string, key: string, action: string, hash: string): Promise<Claim> {
  if (key.length > 255) {
    return { conflict: userError(UserErrorCode.INVALID_INPUT, 'The Idempotency-Key header is longer than 255 characters.') };
  }
  await sql(em, `delete from idempotency_key where user_id = $1 and key = $2 and created_at < now() - make_interval(hours => $3)`, [userId, key, IDEMPOTENCY_TTL_HOURS]);
  const inserted = await sql(
    em,
    `insert into idempotency_key (user_id, key, action, request_hash, outcome) values ($1, $2, $3, $4, 'null')
     on conflict (user_id, key) do nothing returning key`,
    [userId, key, action, hash],
  );
  if (inserted.length) return null;
  const existing = await sqlOne(em, `select request_hash, outcome from idempotency_key where user_id = $1 and key = $2`, [userId, key]);
  if (!existing || existing.request_hash !== hash) {
    return { conflict: userError(UserErrorCode.CONFLICT, 'This Idempotency-Key was used for a different request.') };
  }
  return { stored: existing.outcome };
}

/** Entities in a payload are stored as references and reloaded (as the viewer may see them) on replay. */
function toStored(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(toStored);
  if (v && typeof v === 'object') {
    if (v.constructor !== Object) {
      const id = (v as { id?: unknown }).id;
      if (typeof id === 'string') return { $ref: typeNameOf(v), id };
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toStored(x);
    return out;
  }
  return v;
}

async function fromStored(ctx: Ctx, viewer: Viewer, v: unknown, top = false): Promise<unknown> {
  if (Array.isArray(v)) return Promise.all(v.map((x) => fromStored(ctx, viewer, x)));
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o.$ref === 'string' && typeof o.id === 'string') return loadNode(ctx, viewer, o.$ref, o.id);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(o)) out[k] = await fromStored(ctx, viewer, x);
    if (top && !('userErrors' in out)) out.userErrors = [];
    return out;
  }
  return v;
}

async function writeAudit(em: EntityManager, ctx: Ctx, viewer: Viewer, action: string, outcome: Outcome<object>, input: unknown) {
  const subjectId = outcome.subject ? toGlobalId(outcome.subject.type, outcome.subject.id) : '';
  const summary = { ...(outcome.summary ?? {}), fields: input && typeof input === 'object' ? Object.keys(input).sort() : [] };
  await sql(em, `insert into audit_event (organisation_id, actor_id, action, subject_id, request_id, summary) values ($1, $2, $3, $4, $5, $6)`, [
    viewer.organisationId,
    viewer.userId,
    action,
    subjectId,
    ctx.requestId,
    JSON.stringify(summary),
  ]);
}

/**
 * Audit events for what a mutation changes beyond its own subject (a cascade cancelling
 * sleepovers, say), written in the same transaction: one statement however many subjects.
 */
export async function recordAudit(tx: Tx, action: string, subjects: { type: string; id: string }[], summary: Record<string, unknown> = {}): Promise<void> {
  if (!subjects.length) return;
  await sql(
    tx.em,
    `insert into audit_event (organisation_id, actor_id, action, subject_id, request_id, summary)
     select $1, $2, $3, s, $5, $6 from unnest($4::text[]) as s`,
    [tx.viewer.organisationId, tx.viewer.userId, action, subjects.map((s) => toGlobalId(s.type, s.id)), tx.ctx.requestId, JSON.stringify(summary)],
  );
}
