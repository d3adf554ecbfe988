/**
 * Request ids (DESIGN §3): a caller's `X-Request-Id` is kept when it is a sane token, so support can
 * follow one call end to end; anything else (too long, odd characters that could forge log lines) is
 * replaced by a fresh UUID. Every answer echoes the id.
 */
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}
