/**
 * The DPO export's options as typed on the command line or in the admin route's query, checked
 * before any query runs: bad input is a clear coded error, never a database error.
 */
import { isUuid } from '../tokens/token-repository.ts';
import type { ExportFilter } from './journal-export.ts';

/** Bad `journal export` options (exit code 2 on the CLI, 422 on the admin route). */
export class JournalInputError extends Error {
  readonly code = 'JOURNAL_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'JournalInputError';
  }
}

export interface ExportFilterInput {
  from?: string;
  to?: string;
  token?: string;
  recipient?: string;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/**
 * `YYYY-MM-DD` (a UTC day) or an ISO 8601 instant. A date-only `to` includes that whole day.
 */
function instant(name: string, value: string | undefined, endOfDay: boolean): Date {
  if (value === undefined || value === '') throw new JournalInputError(`--${name} is required (YYYY-MM-DD or ISO 8601 instant)`);
  const isDay = DATE_ONLY.test(value);
  const parsed = new Date(isDay ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(parsed.getTime()) || (!isDay && !/^\d{4}-\d{2}-\d{2}T/.test(value))) {
    throw new JournalInputError(`--${name} must be YYYY-MM-DD or an ISO 8601 instant (got "${value}")`);
  }
  return isDay && endOfDay ? new Date(parsed.getTime() + DAY_MS) : parsed;
}

/**
 * @example
 * parseExportFilter({ from: '2026-01-01', to: '2026-01-31', recipient: '13002526500013' })
 * // → { from: 2026-01-01T00:00Z, to: 2026-02-01T00:00Z (exclusive), recipient: '13002526500013' }
 */
export function parseExportFilter(input: ExportFilterInput): ExportFilter {
  const from = instant('from', input.from, false);
  const to = instant('to', input.to, true);
  if (to.getTime() <= from.getTime()) throw new JournalInputError('--to must be after --from');
  const filter: ExportFilter = { from, to };
  if (input.token !== undefined) {
    if (!isUuid(input.token)) throw new JournalInputError(`--token must be a token id (UUID, see tokens list), got "${input.token}"`);
    filter.tokenJti = input.token.toLowerCase();
  }
  if (input.recipient !== undefined) {
    if (!/^\d{14}$/.test(input.recipient)) throw new JournalInputError(`--recipient must be a SIRET (14 digits), got "${input.recipient}"`);
    filter.recipient = input.recipient;
  }
  return filter;
}
