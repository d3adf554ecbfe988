/** The statistics pages' view: French calendar windows, tables with every day and month, APIs as the catalogue names them. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { providers } from '../../providers/index.ts';
import { apiNames, dailyTable, lastDays, lastMonths, monthlyTable, outcomesOf, perApi, statsToday } from './stats-view.ts';

describe('calendar windows', () => {
  test('days and months follow Paris, across the end of summer time', () => {
    assert.equal(statsToday(new Date('2026-11-22T23:30:00Z')), '2026-11-23');
    assert.deepEqual(lastDays(new Date('2026-10-26T10:00:00Z'), 3), ['2026-10-24', '2026-10-25', '2026-10-26']);
    assert.deepEqual(lastMonths(new Date('2026-02-15T10:00:00Z'), 3), ['2025-12', '2026-01', '2026-02']);
  });
});

describe('tables', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  test('every day of the window is a row, zero when quiet; cells carry the raw value for the chart', () => {
    const table = dailyTable('d', [{ day: '2026-11-23', calls: 1234, successful: 1200, clientErrors: 30, serverErrors: 4 }], now, 2);
    assert.deepEqual(table.rows.map((r) => [r.label, r.cells.map((c) => c.value)]), [
      ['dim. 22 nov. 2026', [0, 0, 0, 0]],
      ['lun. 23 nov. 2026', [1200, 30, 4, 1234]],
    ]);
    assert.equal(table.rows[1]?.cells[3]?.text.replace(/\u202f/g, ' '), '1 234');
    assert.deepEqual(table.columns.filter((c) => c.series).map((c) => c.label), ['Réussis (2xx)', 'Erreurs de l’appelant (4xx)', 'Erreurs du service ou du fournisseur (5xx)']);
  });

  test('twelve months by default, in French', () => {
    const table = monthlyTable('m', [{ month: '2026-11', calls: 3, successful: 3, clientErrors: 0, serverErrors: 0 }], now);
    assert.equal(table.rows.length, 12);
    assert.equal(table.rows[0]?.label, 'décembre 2025');
    assert.equal(table.rows[11]?.label, 'novembre 2026');
  });
});

describe('APIs', () => {
  test('the v3 and v4 routes, identity and FranceConnect, of one API count together under its catalogue name', () => {
    const nameOf = apiNames(providers);
    const figures = perApi(
      [
        { operationId: 'api_particulier_v3_cnous_etudiant_boursier_with_civility', route: '/v3/cnous/etudiant_boursier/identite', calls: 2, successful: 2, latencySumMs: 20 },
        { operationId: 'api_particulier_v4_cnous_etudiant_boursier_with_france_connect', route: '/v4/cnous/etudiant_boursier/france_connect', calls: 3, successful: 1, latencySumMs: 30 },
        { operationId: 'legacy_v2', route: '/api/v2/composition-familiale', calls: 1, successful: 1, latencySumMs: 5 },
      ],
      nameOf,
    );
    assert.deepEqual(figures.map((f) => [f.api.title, f.api.url, f.calls, f.successful, f.latencySumMs]), [
      ['Statut étudiant boursier', '/catalogue/cnous/statut_etudiant_boursier', 5, 3, 50],
      ['/api/v2/composition-familiale', undefined, 1, 1, 5],
    ]);
  });

  test('outcomes add calls by status class and latency by weight', () => {
    const row = (status: number, calls: number, latencyAvgMs: number) => ({ day: '2026-11-23', tokenJti: 't', operationId: 'o', status, calls, latencyAvgMs });
    assert.deepEqual(outcomesOf([row(200, 3, 10), row(404, 1, 50), row(503, 2, 1000)]), { calls: 6, successful: 3, clientErrors: 1, serverErrors: 2, latencySumMs: 2080 });
  });
});
