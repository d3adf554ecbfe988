/**
 * The DNS lookup of the upstream pools: the system resolver's, except for the reserved top-level
 * domain `.invalid`, which RFC 6761 §6.4 says name-resolution libraries should refuse at once.
 * glibc sends such names to the configured nameserver anyway; without network, that means waiting
 * for its time-outs before the gateway can answer `PP004`. A name under `.invalid` is a
 * configuration that can never work, so it fails immediately, as `ENOTFOUND`
 * (docs/adr/0086-dns-failure-end-to-end.md).
 */
import { lookup, type LookupAddress, type LookupOptions } from 'node:dns';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** `true` for `invalid` and any name under it (case-insensitive, trailing dot allowed). */
export function isReservedInvalidName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'invalid' || name.endsWith('.invalid');
}

/**
 * `net.connect`'s `lookup` option (undici passes its `connect` options through).
 * @example
 * new Pool(origin, { connect: { lookup: upstreamLookup } });
 */
export function upstreamLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (isReservedInvalidName(hostname)) {
    const error: NodeJS.ErrnoException = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', syscall: 'getaddrinfo', hostname });
    process.nextTick(callback, error, options.all === true ? [] : '', undefined);
    return;
  }
  lookup(hostname, options, callback);
}
