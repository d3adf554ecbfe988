import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from './circuit-breaker.ts';
import { ConcurrencyBudget } from './concurrency-budget.ts';
import { RollingWindow } from './provider-health.ts';

function frozen() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('the breaker opens after the threshold of consecutive failures, and a success resets the count', () => {
  const clock = frozen();
  const breaker = new CircuitBreaker({ failureThreshold: 3, openMs: 10_000, now: clock.now });
  breaker.failure();
  breaker.failure();
  breaker.success();
  breaker.failure();
  breaker.failure();
  assert.equal(breaker.state, 'closed');
  assert.deepEqual(breaker.permit(), { allowed: true });
  breaker.failure();
  assert.equal(breaker.state, 'open');
  assert.deepEqual(breaker.permit(), { allowed: false, retryInMs: 10_000 });
  clock.advance(4_000);
  assert.deepEqual(breaker.permit(), { allowed: false, retryInMs: 6_000 });
});

test('half-open lets exactly one probe through; its success closes the breaker', () => {
  const clock = frozen();
  const breaker = new CircuitBreaker({ failureThreshold: 1, openMs: 500, now: clock.now });
  breaker.failure();
  clock.advance(500);
  assert.equal(breaker.state, 'half-open');
  assert.deepEqual(breaker.permit(), { allowed: true });
  assert.equal(breaker.permit().allowed, false, 'a second call waits for the probe');
  breaker.success();
  assert.equal(breaker.state, 'closed');
  assert.equal(breaker.permit().allowed, true);
});

test('a failed probe opens the breaker for another full period; a neutral probe frees the slot', () => {
  const clock = frozen();
  const breaker = new CircuitBreaker({ failureThreshold: 5, openMs: 500, now: clock.now });
  for (let i = 0; i < 5; i++) breaker.failure();
  clock.advance(600);
  assert.equal(breaker.permit().allowed, true);
  breaker.neutral();
  assert.equal(breaker.permit().allowed, true, 'throttled probe: another probe may go');
  breaker.failure();
  assert.equal(breaker.state, 'open');
  assert.deepEqual(breaker.permit(), { allowed: false, retryInMs: 500 });
});

test('misuse is a TypeError', () => {
  assert.throws(() => new CircuitBreaker({ failureThreshold: 0, openMs: 1 }), TypeError);
  assert.throws(() => new ConcurrencyBudget(0), TypeError);
});

test('the concurrency budget refuses over its size and releases once per slot', () => {
  const budget = new ConcurrencyBudget(2);
  const a = budget.tryAcquire();
  const b = budget.tryAcquire();
  assert.ok(a && b);
  assert.equal(budget.tryAcquire(), undefined);
  a();
  a();
  assert.equal(budget.inFlight, 1);
  assert.ok(budget.tryAcquire());
  assert.equal(budget.tryAcquire(), undefined);
});

test('the rolling window gives the success rate and percentiles of recent calls only', () => {
  const clock = frozen();
  const window = new RollingWindow({ size: 4, maxAgeMs: 1_000, now: clock.now });
  assert.deepEqual(window.summary(), { calls: 0, successRate: null, p50: null, p95: null });
  window.record(false, 100);
  clock.advance(2_000);
  for (const ms of [10, 20, 30]) window.record(true, ms);
  window.record(false, 40);
  assert.deepEqual(window.summary(), { calls: 4, successRate: 0.75, p50: 20, p95: 40 });
  window.record(true, 50); // overwrites the oldest slot
  assert.deepEqual(window.summary(), { calls: 4, successRate: 0.75, p50: 30, p95: 50 });
});
