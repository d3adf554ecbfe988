/** The scheduler with a frozen clock: only the leader runs jobs, each when due; a failing job stops nothing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Leadership } from './leadership.ts';
import { Scheduler, type Job } from './scheduler.ts';

function fakeLeadership(leader: boolean): Leadership & { released: number; leader: boolean } {
  return {
    leader,
    released: 0,
    check() {
      return Promise.resolve(this.leader);
    },
    release() {
      this.released += 1;
      return Promise.resolve();
    },
  };
}

test('runs due jobs on the leader only, each at its own interval, and survives a failing job', async () => {
  let clock = Date.UTC(2026, 0, 1);
  const ran: string[] = [];
  const jobs: Job[] = [
    { name: 'boom', everyMs: 1_000, run: () => Promise.reject(new Error('boom')) },
    { name: 'fast', everyMs: 1_000, run: (now) => Promise.resolve(ran.push(`fast@${now.getTime() - Date.UTC(2026, 0, 1)}`)) },
    { name: 'slow', everyMs: 10_000, run: (now) => Promise.resolve(ran.push(`slow@${now.getTime() - Date.UTC(2026, 0, 1)}`)) },
  ];
  const leadership = fakeLeadership(false);
  const failures: string[] = [];
  const scheduler = new Scheduler({ jobs, leadership, now: () => new Date(clock), onRun: (e) => (e.ok ? undefined : failures.push(e.job)) });

  await scheduler.tick();
  assert.deepEqual(ran, [], 'a follower runs nothing');

  leadership.leader = true;
  await scheduler.tick();
  clock += 999;
  await scheduler.tick();
  clock += 1;
  await scheduler.tick();
  clock += 9_000;
  await scheduler.tick();
  assert.deepEqual(ran, ['fast@0', 'slow@0', 'fast@1000', 'fast@10000', 'slow@10000']);
  assert.deepEqual(failures, ['boom', 'boom', 'boom']);

  await scheduler.stop();
  assert.equal(leadership.released, 1);
  await scheduler.tick();
  assert.equal(ran.length, 5, 'nothing runs after stop');
});

test('start() ticks on a timer until stop()', async () => {
  const leadership = fakeLeadership(true);
  let runs = 0;
  const scheduler = new Scheduler({ jobs: [{ name: 'j', everyMs: 0, run: () => Promise.resolve(runs++) }], leadership, now: () => new Date(), tickMs: 5 });
  scheduler.start();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await scheduler.stop();
  const seen = runs;
  assert.ok(seen >= 3, `${seen} runs in 100 ms at a 5 ms tick`);
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(runs, seen);
});
