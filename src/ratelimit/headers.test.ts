import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateLimitHeaders } from './headers.ts';
import type { RateDecision } from './limiter.ts';

const token = { name: 'token', limit: 20, windowSeconds: 1, burst: 20 } as const;
const ip = { name: 'ip', limit: 50, windowSeconds: 1, burst: 100 } as const;
// 2026-11-23T10:00:45.000Z: 15 s before the end of the minute.
const at = Date.parse('2026-11-23T10:00:45.000Z');

test('an admitted call: the contract per-minute headers and the IETF ones naming both policies', () => {
  const decisions: RateDecision[] = [
    { policy: ip, allowed: true, remaining: 99, retryAfterMs: 0, resetMs: 20, at },
    { policy: token, allowed: true, remaining: 12, retryAfterMs: 0, resetMs: 400, at },
  ];
  assert.deepEqual(rateLimitHeaders(decisions), {
    'ratelimit-policy': '"ip";q=50;w=1, "token";q=20;w=1',
    ratelimit: '"ip";r=99;t=1, "token";r=12;t=1',
    'ratelimit-limit': '1200',
    // 12 now, plus one every 50 ms for the 15 s left in this minute, within the 1200 of the minute.
    'ratelimit-remaining': String(12 + 300),
    'ratelimit-reset': String(Date.parse('2026-11-23T10:01:00.000Z') / 1000),
  });
});

test('a refused call: nothing remaining and Retry-After in whole seconds, at least 1', () => {
  const headers = rateLimitHeaders([{ policy: token, allowed: false, remaining: 0, retryAfterMs: 50, resetMs: 1_000, at }]);
  assert.equal(headers['ratelimit-remaining'], '0');
  assert.equal(headers['retry-after'], '1');
  assert.equal(headers.ratelimit, '"token";r=0;t=1');
});

test('refused by the IP cap before any token is known: the IP policy fills the per-minute headers', () => {
  const headers = rateLimitHeaders([{ policy: ip, allowed: false, remaining: 0, retryAfterMs: 2_300, resetMs: 2_000, at }]);
  assert.equal(headers['ratelimit-limit'], '3000');
  assert.equal(headers['retry-after'], '3');
  assert.equal(headers['ratelimit-policy'], '"ip";q=50;w=1');
});
