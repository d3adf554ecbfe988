/**
 * What the runner and both servers share: the request shape, the bare route's body and the IPC
 * messages between the runner and its server children.
 */

export const ROUTE_PATH = '/v3/dss/complementaire_sante_solidaire/identite';

/** A civil status that validates (born in France, commune by its code) and yields a 200. */
export const QUERY =
  'recipient=13002526500013&nomNaissance=MOREAU&prenoms[]=CAMILLE&anneeDateNaissance=1987&moisDateNaissance=3' +
  '&jourDateNaissance=14&sexeEtatCivil=F&codeCogInseePaysNaissance=99100&codeCogInseeCommuneNaissance=69123';

export const REQUEST_PATH = `${ROUTE_PATH}?${QUERY}`;

/** The bare route answers this body, the size of the gateway's 200 for the request above. */
export const BARE_BODY = {
  data: { est_beneficiaire: true, avec_participation: false, date_debut_droit: '2024-02-01' },
  links: {},
  meta: {},
};

/** Child → runner. */
export type ChildMessage =
  | { type: 'ready'; port: number; tokensFile?: string; engine?: string; startupMs: number }
  | { type: 'stats'; httpRequests: number; journalRows?: number; journalQueue?: number; rssMb: number }
  | { type: 'stopped'; httpRequests: number; journalRows?: number; journalRowsAtStart?: number; rssMb: number }
  | { type: 'error'; message: string };

/** Runner → child. */
export type ParentMessage = { type: 'stats' } | { type: 'stop' };

/** Resolves once the message is handed to the IPC channel, so that `process.exit()` may follow. */
export function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve) => {
    if (process.send === undefined || !process.connected) {
      process.stdout.write(`${JSON.stringify(message)}\n`, () => resolve());
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

/** Children exit when the runner goes away, whatever the reason: no orphan server keeps a port. */
export function exitWithParent(stop: () => void = () => process.exit(0)): void {
  process.on('disconnect', stop);
}

export function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / 1048576);
}
