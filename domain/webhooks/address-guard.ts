import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/** Resolves a host name to its addresses (dns.lookup: the system resolver, /etc/hosts included). */
export type HostLookup = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A delivery refused before any connection was made. */
export class AddressRefused extends Error {}

/**
 * The range an address belongs to, IPv4-mapped IPv6 (::ffff:10.0.0.1) judged as the IPv4 address it
 * maps. Only `unicast` is public: loopback, private, link-local (cloud metadata at 169.254.169.254),
 * CGNAT, multicast, unique-local (fd00:ec2::254), NAT64, 6to4, Teredo, reserved ranges are not.
 */
export function rangeOf(address: string): string {
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range();
}

/** The host of a URL as the resolver and ipaddr want it ("[::1]" → "::1"). */
export function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/**
 * Resolves the URL's host at delivery time and checks every address it has: unless private
 * targets are allowed, one non-public address refuses the delivery (a name that also resolves to an
 * internal address is not "probably fine"). Answers the address to connect to, so the connection
 * goes exactly where was checked (no second lookup a rebinding DNS could answer differently).
 */
export async function checkedAddress(url: URL, allowPrivate: boolean, lookup: HostLookup): Promise<{ address: string; family: number }> {
  const host = hostOf(url);
  const addresses = ipaddr.isValid(host) ? [{ address: host, family: host.includes(':') ? 6 : 4 }] : await resolve(host, lookup);
  if (addresses.length === 0) throw new AddressRefused(`${host} does not resolve`);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const range = rangeOf(address);
      if (range !== 'unicast') throw new AddressRefused(`refused: ${host} resolves to ${address} (${range}), not a public address`);
    }
  }
  return addresses[0];
}

async function resolve(host: string, lookup: HostLookup): Promise<Array<{ address: string; family: number }>> {
  try {
    return await lookup(host);
  } catch (err) {
    throw new AddressRefused(`${host} does not resolve (${(err as { code?: string }).code ?? (err as Error).message})`);
  }
}
