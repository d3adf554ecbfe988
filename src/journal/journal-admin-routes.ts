/**
 * Local admin routes for `journal verify` and `journal export` when a running service holds the
 * embedded database (PGlite accepts one process; docs/adr/0092-journal-cli-and-export.md). Same guard
 * as the other local admin routes: loopback only and the local admin secret; hidden from the public
 * OpenAPI document.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { isLocalAdmin } from '../gateway/admin-routes.ts';
import type { Schema } from '../infra/db/schema.ts';
import { exportJournalCsv } from './journal-export.ts';
import type { JournalSink } from './journal-writer.ts';
import { parseExportFilter, JournalInputError, type ExportFilterInput } from './export-filter.ts';
import { verifyJournal } from './verify-journal.ts';

export const JOURNAL_VERIFY_PATH = '/admin/v1/journal/verify';
export const JOURNAL_EXPORT_PATH = '/admin/v1/journal/export';

/**
 * @example
 * registerJournalAdminRoutes(server, { adminSecret, db: database.db, journal });
 */
export function registerJournalAdminRoutes(app: FastifyInstance, deps: { adminSecret: string; db: Kysely<Schema>; journal: Pick<JournalSink, 'drain'> }): void {
  app.register(
    (scope, _options, done) => {
      scope.addHook('onRequest', async (request, reply) => {
        if (!isLocalAdmin(request, deps.adminSecret)) {
          return reply.code(401).send({ error: 'admin API: loopback and the local admin secret are required' });
        }
      });
      // Rows still in the embedded spool are moved first (ADR 0171): the answer covers every call made so far.
      scope.post(JOURNAL_VERIFY_PATH, { schema: { hide: true } }, async () => {
        await deps.journal.drain();
        return verifyJournal(deps.db);
      });
      scope.get(JOURNAL_EXPORT_PATH, { schema: { hide: true } }, async (request, reply) => {
        let filter;
        try {
          filter = parseExportFilter(request.query as ExportFilterInput);
        } catch (error) {
          if (error instanceof JournalInputError) return reply.code(422).send({ error: error.message });
          throw error;
        }
        await deps.journal.drain();
        return reply.type('text/csv; charset=utf-8').send(Readable.from(exportJournalCsv(deps.db, filter)));
      });
      done();
    },
  );
}
