/** The notice schedule, and a failed send that releases its claim for the next run. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../infra/db/open-database.ts';
import type { Mail, Mailer } from '../mail/mailer.ts';
import { providers } from '../providers/index.ts';
import { createKeyring } from '../tokens/keyring.ts';
import { engines } from '../../test/helpers/engines.ts';
import { approvedHabilitation } from '../../test/helpers/habilitation-fixtures.ts';
import { DEFAULT_NOTICE_DAYS, dueThreshold, sendExpiryNotices } from './expiry-notices.ts';
import { buildHabilitations, type Habilitations } from './habilitations.ts';

const DAY = 86_400_000;
const expiry = new Date('2027-06-01T00:00:00.000Z');
const at = (daysBefore: number) => new Date(expiry.getTime() - daysBefore * DAY);

describe('dueThreshold', () => {
  test('the smallest threshold reached, none before 90 days or after expiry', () => {
    assert.equal(dueThreshold(expiry, at(120), DEFAULT_NOTICE_DAYS), undefined);
    assert.equal(dueThreshold(expiry, at(90), DEFAULT_NOTICE_DAYS), 90);
    assert.equal(dueThreshold(expiry, at(61), DEFAULT_NOTICE_DAYS), 90);
    assert.equal(dueThreshold(expiry, at(60), DEFAULT_NOTICE_DAYS), 60);
    assert.equal(dueThreshold(expiry, at(16), DEFAULT_NOTICE_DAYS), 30);
    assert.equal(dueThreshold(expiry, at(1), DEFAULT_NOTICE_DAYS), 15);
    assert.equal(dueThreshold(expiry, at(0), DEFAULT_NOTICE_DAYS), undefined);
    assert.equal(dueThreshold(expiry, at(-3), DEFAULT_NOTICE_DAYS), undefined);
  });
});

describe('a failed send', () => {
  let database: Database;
  let h: Habilitations;
  let clock = new Date('2026-01-01T00:00:00.000Z');
  before(async () => {
    database = await (engines()[0] as NonNullable<ReturnType<typeof engines>[0]>).open();
    h = buildHabilitations({
      config: loadConfig({}),
      database,
      keyring: createKeyring([{ kid: 'k1', secret: 'y'.repeat(40) }]),
      now: () => clock,
      registry: providers,
      forgetVerifiedTokens: () => undefined,
    });
  });
  after(async () => database.close());

  test('is reported, not recorded as sent, and retried by the next run', async () => {
    const { id } = await approvedHabilitation(h);
    const [token] = (await h.lifecycle.tokens(id, { role: 'administrator', id: 'admin' })) ?? [];
    assert.ok(token);
    clock = new Date(token.expiresAt.getTime() - 89 * DAY);
    const sent: Mail[] = [];
    let down = true;
    const flaky: Mailer = {
      send: async (mail) => {
        if (down) throw new Error('421 service not available');
        sent.push(mail);
        return { transport: 'smtp', messageId: '<1@test>' };
      },
    };
    const deps = { db: h.db, mailer: flaky, keyring: createKeyring([{ kid: 'k1', secret: 'y'.repeat(40) }]), days: DEFAULT_NOTICE_DAYS, baseUrl: 'http://127.0.0.1:3000/' };
    const first = await sendExpiryNotices(clock, deps);
    assert.deepEqual(first.sent, []);
    assert.deepEqual(first.failed.map((f) => [f.jti, f.daysBefore]), [[token.jti, 90]]);
    down = false;
    const second = await sendExpiryNotices(clock, deps);
    assert.deepEqual(second.sent.map((s) => [s.jti, s.daysBefore]), [[token.jti, 90]]);
    assert.equal(sent.length, 1);
    assert.match(sent[0]?.text ?? '', /http:\/\/127\.0\.0\.1:3000\/compte\/jetons\//);
    assert.deepEqual((await sendExpiryNotices(clock, deps)).sent, []);
  });
});
