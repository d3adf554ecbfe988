/**
 * The redaction paths of the gateway's logger: credentials never reach a log line, wherever the
 * pipeline carries them (DESIGN §2.5). The FranceConnect access token rides on `Caller` and
 * `ProviderCall` (docs/adr/0085-franceconnect-token-to-drivers.md), so every shape it takes is tried.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { loggerOptions } from './logger-options.ts';

const TOKEN = 'fc-access-token-7Qx2vLm9Rk';

function logged(obj: object): string {
  const lines: string[] = [];
  const { serializers: _serializers, ...options } = loggerOptions('trace');
  const logger = pino(options, { write: (line: string) => void lines.push(line) });
  logger.info(obj, 'provider call');
  return lines.join('');
}

test('the FranceConnect access token is redacted in every shape the pipeline gives it', () => {
  const shapes: object[] = [
    { accessToken: TOKEN },
    { franceConnect: { accessToken: TOKEN } },
    { call: { franceConnect: { accessToken: TOKEN } } },
    { call: { accessToken: TOKEN } },
    { franceConnectAccessToken: TOKEN },
    { caller: { franceConnectAccessToken: TOKEN } },
    { headers: { 'x-franceconnect-token': TOKEN } },
    { req: { headers: { 'x-franceconnect-token': TOKEN } } },
    { request: { headers: { 'x-franceconnect-token': TOKEN } } },
  ];
  for (const shape of shapes) {
    const line = logged(shape);
    assert.ok(!line.includes(TOKEN), `leaks through ${JSON.stringify(shape)}`);
    assert.match(line, /\[redacted\]/, `redacts ${JSON.stringify(shape)}`);
  }
});

test('the other fields of a logged call stay readable', () => {
  const line = JSON.parse(logged({ call: { requestId: 'r-1', franceConnect: { accessToken: TOKEN } } })) as { call: unknown };
  assert.deepEqual(line.call, { requestId: 'r-1', franceConnect: { accessToken: '[redacted]' } });
});
