/**
 * Runs the FranceConnect double on its own, for a person to try the demo by hand:
 *
 *   node --import tsx simulators/franceconnect/main.ts --port 4400 --gateway http://127.0.0.1:3000
 *
 * It prints the `FRANCECONNECT_*` variables to start the gateway with (MODE=live), and the demo's
 * client id to register on a token (`fcClientIds`). Stops on Ctrl-C. See docs/guides/franceconnect.md.
 */
import { parseArgs } from 'node:util';
import { startFranceConnectDouble } from './start-franceconnect-double.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4400' },
    gateway: { type: 'string', default: 'http://127.0.0.1:3000' },
    'client-secret': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('--port must be an integer between 0 and 65535');
const fc = await startFranceConnectDouble({
  port,
  demo: { gatewayUrl: values.gateway },
  ...(values['client-secret'] === undefined ? {} : { dataProviders: [{ clientId: 'api-particulier-double', clientSecret: values['client-secret'] }] }),
});

const lines = [
  `Double FranceConnect : ${fc.issuer}`,
  `Démo : ${fc.url}/demo (appelle ${values.gateway})`,
  '',
  'Démarrez la passerelle avec MODE=live et :',
  ...Object.entries(fc.gatewayEnv).map(([k, v]) => `  ${k}=${v}`),
  '',
  'puis rattachez le client de la démo à un jeton : fcClientIds = demo-service-provider',
];
process.stdout.write(`${lines.join('\n')}\n`);

const stop = (): void => {
  void fc.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
