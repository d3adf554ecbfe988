/** The status pages' view: the 90-day strip, its levels and its words; a provider row in French. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ProviderStatusView } from '../../status/status-report.ts';
import { providerRow, stripBars, stripSummary, uptimeDays } from './status-view.ts';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const plain = (s: string) => s.replace(/\u202f|\u00a0/g, ' ');

describe('uptimeDays', () => {
  test('90 UTC days ending today, oldest first, missing days as "no measure"', () => {
    const days = uptimeDays([{ day: '2026-11-23', probes: 4, uptime: 1 }, { day: '2026-08-25', probes: 1, uptime: 0 }], NOW);
    assert.equal(days.length, 90);
    assert.equal(days[0]?.day, '2026-08-26', 'a probe older than the window is not shown');
    assert.equal(days[89]?.day, '2026-11-23');
    assert.equal(days[89]?.level, 'ok');
    assert.equal(days.filter((d) => d.level === 'none').length, 89);
    assert.equal(plain(days[89]?.text ?? ''), '23 novembre 2026 : 100 % de sondes réussies (4 sondes), disponible');
  });

  test('levels cut at 99 % and 50 %', () => {
    const at = (uptime: number) => uptimeDays([{ day: '2026-11-23', probes: 100, uptime }], NOW, 1)[0]?.level;
    assert.deepEqual([at(1), at(0.99), at(0.989), at(0.5), at(0.49), at(0)], ['ok', 'ok', 'partial', 'partial', 'down', 'down']);
  });
});

describe('the strip', () => {
  test('bar height is the uptime (never below 4 px), so colour is not the only signal', () => {
    const days = uptimeDays([{ day: '2026-11-22', probes: 2, uptime: 0.5 }, { day: '2026-11-23', probes: 2, uptime: 1 }], NOW, 3);
    const strip = stripBars(days);
    assert.deepEqual(strip.bars.map((b) => [b.x, b.height, b.fill]), [[0, 4, '#7b7b7b'], [8, 16, '#b34000'], [16, 32, '#18753c']]);
    assert.equal(strip.width, 22);
    assert.equal(plain(stripSummary(days, 0.75)), 'Disponibilité sur 3 jours : 75 % des sondes réussies, 2 jours mesurés, 1 perturbé.');
    assert.equal(stripSummary(uptimeDays([], NOW, 3), null), 'Aucune sonde sur les 3 derniers jours.');
  });
});

describe('providerRow', () => {
  const view: ProviderStatusView = {
    id: 'dss', name: 'CNAV', status: 'degraded', breaker: 'half_open',
    traffic: { window_seconds: 300, calls: 12, success_rate: 0.9167, latency_ms: { p50: 12.34, p95: 250 } },
    last_probe: { at: '2026-11-23T11:59:00.000Z', ok: false, latency_ms: 10000, error_code: '37002' },
    uptime_90d: 0.99931,
  };
  test('every figure in French words, the state as a labelled badge', () => {
    const row = providerRow(view, [], NOW);
    assert.deepEqual({ ...row, strip: undefined, days: undefined, stripSummary: undefined, successRate: plain(row.successRate), uptime: plain(row.uptime), p50: plain(row.p50), p95: plain(row.p95), lastProbe: plain(row.lastProbe) }, {
      id: 'dss', name: 'CNAV',
      status: { label: 'Dégradé', badge: 'fr-badge--warning', alert: 'fr-alert--warning', headline: 'Au moins un fournisseur de données fonctionne en mode dégradé' },
      calls: 12, successRate: '91,67 %', p50: '12,3 ms', p95: '250 ms',
      breaker: 'Semi-ouvert (appels d’essai)',
      lastProbe: 'Échouée (code 37002) le 23 novembre 2026 à 12:59:00, 10 000 ms',
      uptime: '99,93 %', strip: undefined, days: undefined, stripSummary: undefined,
    });
  });
});
