/** Outer bound of a provider call; live drivers apply their own, shorter, budgets (docs/guides/live-mode.md). */
export const PROVIDER_CALL_LIMIT_MS = 30_000;
