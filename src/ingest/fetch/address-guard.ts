// Which addresses feedrelay may connect to. Checked on the address actually dialled (see
// guardedLookup), so a hostname that resolves differently a second time cannot slip past.
import { BlockList, isIP } from 'node:net';
import dns from 'node:dns';
import type { LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network, unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64 can reach private v4
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** IPv4-mapped and -compatible IPv6 addresses carry a v4 address that must be checked as one. */
function embeddedV4(ip: string): string | null {
  const m = /^::(?:ffff:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (m) return m[1]!;
  const h = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ip);
  if (h) {
    const a = parseInt(h[1]!, 16);
    const b = parseInt(h[2]!, 16);
    return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
  }
  return null;
}

export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 6) {
    const v4 = embeddedV4(ip.toLowerCase());
    if (v4) return !blocked.check(v4, 'ipv4');
    return !blocked.check(ip, 'ipv6');
  }
  return !blocked.check(ip, 'ipv4');
}

export class RefusedAddressError extends Error {
  override name = 'RefusedAddressError';
  readonly code = 'ERR_REFUSED_ADDRESS';
}

/** What may be fetched besides the public internet: everything (allowPrivateNetworks), or
 * listed CIDRs, addresses and host names (an entry "*.corp.example" covers its subdomains). */
export interface AddressPolicy {
  allows(address: string, hostname: string): boolean;
}

export function addressPolicy(allowPrivateNetworks: boolean, allow: string[] = []): AddressPolicy {
  if (allowPrivateNetworks) return { allows: () => true };
  const nets = new BlockList();
  const hosts: string[] = [];
  for (const entry of allow) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr ?? '');
    if (family) {
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) nets.addAddress(addr!, type);
      else nets.addSubnet(addr!, Number(bits), type);
    } else hosts.push(entry.toLowerCase());
  }
  const hostAllowed = (h: string) => hosts.some((x) => (x.startsWith('*.') ? h.endsWith(x.slice(1)) : h === x));
  return {
    allows(address, hostname) {
      if (isPublicAddress(address) || hostAllowed(hostname.toLowerCase())) return true;
      const v4 = isIP(address) === 6 ? embeddedV4(address.toLowerCase()) : null;
      return v4 ? nets.check(v4, 'ipv4') : nets.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** A `lookup` for net/tls.connect that refuses addresses the policy does not allow. The
 * address checked is the address dialled: a DNS answer cannot change between check and use. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 4);
      const list = addresses as dns.LookupAddress[];
      const ok = list.filter((a) => policy.allows(a.address, hostname));
      if (ok.length === 0) {
        const seen = list.map((a) => a.address).join(', ');
        return callback(new RefusedAddressError(`${hostname} resolves only to non-public addresses (${seen})`), '', 4);
      }
      if ((options as dns.LookupOptions).all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, ok);
      callback(null, ok[0]!.address, ok[0]!.family);
    });
  };
}
