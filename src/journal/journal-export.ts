/**
 * The DPO export (issue 6 §1, docs/adr/0092-journal-cli-and-export.md): the journal rows of a period,
 * optionally of one token and/or one recipient SIRET, as CSV (RFC 4180: header row, CRLF, fields with
 * a comma, quote or line break quoted, quotes doubled). Streams page by page, in chain order within
 * time order, so an export of a year does not sit in memory. The journal holds no params and no data:
 * neither does the export.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../infra/db/schema.ts';

export interface ExportFilter {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  tokenJti?: string;
  recipient?: string;
}

export const EXPORT_COLUMNS = [
  'request_id',
  'at',
  'token_jti',
  'habilitation_id',
  'recipient',
  'route',
  'operation_id',
  'modality',
  'status',
  'error_code',
  'latency_ms',
  'provider_latency_ms',
  'person_pseudonym',
  'fc_sub_pseudonym',
  'segment_id',
  'seq',
  'hash',
] as const;

type ExportColumn = (typeof EXPORT_COLUMNS)[number];

/** One CSV field, quoted only when RFC 4180 requires it. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : String(value);
  // A leading =, +, -, @ would be a formula in a spreadsheet: the DPO opens this in one.
  const safe = /^[=+\-@\t\r]/.test(text) && !/^-?\d/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

const line = (fields: readonly unknown[]): string => `${fields.map(csvField).join(',')}\r\n`;

/**
 * @example
 * for await (const chunk of exportJournalCsv(db, { from, to, recipient: '13002526500013' })) out.write(chunk);
 */
export async function* exportJournalCsv(db: Kysely<Schema>, filter: ExportFilter, pageSize = 2_000): AsyncGenerator<string> {
  yield line(EXPORT_COLUMNS);
  let cursor: { at: Date; id: string } | undefined;
  for (;;) {
    let query = db
      .selectFrom('access_journal')
      .select(['id', ...EXPORT_COLUMNS])
      .where('at', '>=', filter.from)
      .where('at', '<', filter.to);
    if (filter.tokenJti !== undefined) query = query.where('token_jti', '=', filter.tokenJti);
    if (filter.recipient !== undefined) query = query.where('recipient', '=', filter.recipient);
    if (cursor !== undefined) {
      const { at, id } = cursor;
      query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
    }
    const page = await query.orderBy('at').orderBy('id').limit(pageSize).execute();
    if (page.length === 0) return;
    let chunk = '';
    for (const row of page) chunk += line(EXPORT_COLUMNS.map((c: ExportColumn) => row[c]));
    yield chunk;
    const last = page[page.length - 1] as (typeof page)[number];
    cursor = { at: last.at, id: last.id };
  }
}
