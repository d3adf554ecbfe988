/**
 * Habilitation rows and their event log in SQL. Events are only ever inserted (ADR 0111: the
 * database refuses updates and deletes). Every method takes the handle to use, so the service can
 * run several in one transaction.
 */
import type { Selectable } from 'kysely';
import { isUuid } from '../tokens/token-repository.ts';
import type { HabilitationForm } from './request-form.ts';
import type { Status } from './state-machine.ts';
import type { HabilitationDb, HabilitationEventsTable, HabilitationsTable } from './tables.ts';
import type { Snapshot } from './snapshot.ts';

export interface Habilitation {
  id: string;
  product: string;
  organisationKind: string;
  siret: string | null;
  status: Status;
  providerApproved: boolean;
  form: HabilitationForm;
  snapshot: Snapshot | null;
  vendorTemplateId: string | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** Calls per second of its tokens, set by an instructor; null: the service default (ADR 0117). */
  rateLimitPerSecond: number | null;
}

export interface HabilitationEventRow {
  id: string;
  at: Date;
  event: string;
  actorRole: string;
  actor: string;
  fromStatus: string;
  toStatus: string;
  message: string | null;
  data: Record<string, unknown> | null;
}

/** jsonb comes back parsed from both engines; tolerate a string in case a driver leaves it raw. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

function toHabilitation(row: Selectable<HabilitationsTable>): Habilitation {
  return {
    id: row.id,
    product: row.product,
    organisationKind: row.organisation_kind,
    siret: row.siret,
    status: row.status as Status,
    providerApproved: row.provider_approved,
    form: json<HabilitationForm>(row.form),
    snapshot: row.snapshot === null ? null : json<Snapshot>(row.snapshot),
    vendorTemplateId: row.vendor_template_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    rateLimitPerSecond: row.rate_limit_per_second,
  };
}

function toEvent(row: Selectable<HabilitationEventsTable>): HabilitationEventRow {
  return {
    id: row.id,
    at: row.at,
    event: row.event,
    actorRole: row.actor_role,
    actor: row.actor,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    message: row.message,
    data: row.data === null ? null : json<Record<string, unknown>>(row.data),
  };
}

export async function insertHabilitation(db: HabilitationDb, h: Habilitation): Promise<void> {
  await db
    .insertInto('habilitations')
    .values({
      id: h.id,
      product: h.product,
      organisation_kind: h.organisationKind,
      siret: h.siret,
      status: h.status,
      provider_approved: h.providerApproved,
      form: JSON.stringify(h.form),
      snapshot: h.snapshot === null ? null : JSON.stringify(h.snapshot),
      vendor_template_id: h.vendorTemplateId,
      created_by: h.createdBy,
      created_at: h.createdAt,
      updated_at: h.updatedAt,
      rate_limit_per_second: h.rateLimitPerSecond,
    })
    .execute();
}

/** The row, locked for the rest of the transaction when `forUpdate`. */
export async function findHabilitation(db: HabilitationDb, id: string, options: { forUpdate?: boolean } = {}): Promise<Habilitation | undefined> {
  if (!isUuid(id)) return undefined;
  let query = db.selectFrom('habilitations').selectAll().where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toHabilitation(row);
}

export async function updateHabilitation(
  db: HabilitationDb,
  id: string,
  changes: Partial<Pick<Habilitation, 'status' | 'providerApproved' | 'form' | 'snapshot' | 'siret' | 'rateLimitPerSecond'>> & { updatedAt: Date },
): Promise<void> {
  await db
    .updateTable('habilitations')
    .set({
      updated_at: changes.updatedAt,
      ...(changes.status === undefined ? {} : { status: changes.status }),
      ...(changes.providerApproved === undefined ? {} : { provider_approved: changes.providerApproved }),
      ...(changes.form === undefined ? {} : { form: JSON.stringify(changes.form) }),
      ...(changes.snapshot === undefined ? {} : { snapshot: changes.snapshot === null ? null : JSON.stringify(changes.snapshot) }),
      ...(changes.siret === undefined ? {} : { siret: changes.siret }),
      ...(changes.rateLimitPerSecond === undefined ? {} : { rate_limit_per_second: changes.rateLimitPerSecond }),
    })
    .where('id', '=', id)
    .execute();
}

export async function appendEvent(
  db: HabilitationDb,
  event: { habilitationId: string; at: Date; event: string; actorRole: string; actor: string; fromStatus: string; toStatus: string; message?: string; data?: Record<string, unknown> },
): Promise<void> {
  await db
    .insertInto('habilitation_events')
    .values({
      habilitation_id: event.habilitationId,
      at: event.at,
      event: event.event,
      actor_role: event.actorRole,
      actor: event.actor,
      from_status: event.fromStatus,
      to_status: event.toStatus,
      message: event.message ?? null,
      data: event.data === undefined ? null : JSON.stringify(event.data),
    })
    .execute();
}

export async function eventsOf(db: HabilitationDb, habilitationId: string): Promise<HabilitationEventRow[]> {
  if (!isUuid(habilitationId)) return [];
  const rows = await db.selectFrom('habilitation_events').selectAll().where('habilitation_id', '=', habilitationId).orderBy('id').execute();
  return rows.map(toEvent);
}

/** Requests by status, oldest change first (the instructor queue). */
export async function listHabilitations(db: HabilitationDb, filter: { statuses?: Status[]; siret?: string; createdBy?: string } = {}): Promise<Habilitation[]> {
  let query = db.selectFrom('habilitations').selectAll();
  if (filter.statuses !== undefined) query = query.where('status', 'in', filter.statuses.length > 0 ? filter.statuses : ['__none__']);
  if (filter.siret !== undefined) query = query.where('siret', '=', filter.siret);
  if (filter.createdBy !== undefined) query = query.where('created_by', '=', filter.createdBy);
  const rows = await query.orderBy('updated_at', 'asc').orderBy('id').execute();
  return rows.map(toHabilitation);
}
