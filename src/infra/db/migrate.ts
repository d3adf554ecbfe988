/**
 * Brings the schema up to date with Kysely's `Migrator`. Migrations come from
 * `migrations/index.ts` (static imports), applied in name order, each in its own transaction.
 */
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { migrations as allMigrations } from '../../../migrations/index.ts';

/** A migration failed: the schema is left at the last one that succeeded. */
export class MigrationFailedError extends Error {
  readonly migrationName: string | undefined;
  readonly applied: string[];

  constructor(migrationName: string | undefined, applied: string[], notRun: string[], cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      migrationName
        ? `migration ${migrationName} failed: ${reason}` +
            (applied.length ? ` (applied before it: ${applied.join(', ')})` : '') +
            (notRun.length ? ` (not run: ${notRun.join(', ')})` : '')
        : `migrations could not run: ${reason}`,
      { cause },
    );
    this.name = 'MigrationFailedError';
    this.migrationName = migrationName;
    this.applied = applied;
  }
}

/**
 * Applies the pending migrations and returns their names (empty when the schema is current).
 *
 * @throws {MigrationFailedError} naming the migration that failed.
 * @example
 * const { applied } = await migrateToLatest(database.db);
 */
export async function migrateToLatest(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations run before the schema exists
  db: Kysely<any>,
  migrations: Record<string, Migration> = allMigrations,
): Promise<{ applied: string[] }> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  const { error, results = [] } = await new Migrator({ db, provider }).migrateToLatest();
  const applied = results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName;
    const notRun = results.filter((r) => r.status === 'NotExecuted').map((r) => r.migrationName);
    throw new MigrationFailedError(failed, applied, notRun, error);
  }
  return { applied };
}
