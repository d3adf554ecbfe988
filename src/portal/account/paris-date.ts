/**
 * Dates typed in forms (`<input type="date">`, `AAAA-MM-JJ`) mean a day in France: they are read as
 * 0 h, Paris time, of that day. Anything else is rejected as data (undefined), never thrown.
 */
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function parisOffsetMinutes(at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Paris', timeZoneName: 'shortOffset' }).formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(name);
  if (m === null) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

/**
 * @example
 * parisMidnight('2026-07-14') // 2026-07-13T22:00:00.000Z
 */
export function parisMidnight(value: string): Date | undefined {
  const m = YMD.exec(value.trim());
  if (m === null) return undefined;
  const utc = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (utc.getUTCFullYear() !== Number(m[1]) || utc.getUTCMonth() !== Number(m[2]) - 1 || utc.getUTCDate() !== Number(m[3])) return undefined;
  return new Date(utc.getTime() - parisOffsetMinutes(utc) * 60_000);
}

/** `AAAA-MM-JJ` of an instant in Paris, for `min`/`max`/`value` of date inputs. */
export function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
