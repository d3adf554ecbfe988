/**
 * Waits until a Redis connection is usable, has failed once, or `timeoutMs` has passed — whichever
 * comes first. A service starts whether or not Redis is there (each feature then falls back or fails
 * closed as configured), so start-up should not wait out the timeout when Redis refuses at once.
 */
import type { Redis } from 'ioredis';

export function redisSettled(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      redis.off('ready', done);
      redis.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    timer.unref();
    redis.once('ready', done);
    redis.once('error', done);
  });
}
