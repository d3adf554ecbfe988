/**
 * The contract's 409 `00015` (CONTRACT §7): one in-flight request per token and params. A second
 * identical call while the first runs is refused rather than sent twice to a provider.
 * In process for now; shared through Redis when instances scale out (DESIGN §5).
 */
export class InFlightLock {
  readonly #held = new Set<string>();

  /** Returns a release function, or undefined when the same key is already in flight. */
  tryAcquire(key: string): (() => void) | undefined {
    if (this.#held.has(key)) return undefined;
    this.#held.add(key);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#held.delete(key);
    };
  }

  /** The same, as the pipeline's `RequestLock` (src/gateway/shared-state.ts). */
  acquire(key: string): Promise<(() => void) | undefined> {
    return Promise.resolve(this.tryAcquire(key));
  }

  get size(): number {
    return this.#held.size;
  }
}

/** A stable key for params: sorted keys, so `a=1&b=2` and `b=2&a=1` are the same request. */
export function canonicalParams(params: Record<string, unknown>): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}
