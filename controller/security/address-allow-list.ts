/**
 * Which network addresses may read something without signing in (GET /metrics): this machine
 * (127.0.0.1, ::1) and the addresses or subnets a centre lists (METRICS_ALLOW: the monitoring server).
 * Other loopback addresses (127.0.0.2…) are not "this machine": tests use them for other machines.
 */
import { BlockList, isIP } from 'node:net';

/** One entry of the list: an IPv4 or IPv6 address, or a subnet in CIDR form (192.168.1.0/24). */
export function parseAllowEntry(
  entry: string,
): { address: string; prefix: number | null; type: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, extra] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return null;
  const type = version === 4 ? 'ipv4' : 'ipv6';
  if (prefixText === undefined) return { address, prefix: null, type };
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  return prefix <= (version === 4 ? 32 : 128) ? { address, prefix, type } : null;
}

export class AddressAllowList {
  readonly #list = new BlockList();

  /** Entries as parseAllowEntry takes them; the caller has checked them (settings). */
  constructor(entries: readonly string[]) {
    for (const e of ['127.0.0.1', '::1', ...entries]) {
      const parsed = parseAllowEntry(e);
      if (!parsed) throw new Error(`not an address or subnet: "${e}"`);
      if (parsed.prefix === null) this.#list.addAddress(parsed.address, parsed.type);
      else this.#list.addSubnet(parsed.address, parsed.prefix, parsed.type);
    }
  }

  allows(address: string | undefined): boolean {
    if (!address) return false;
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    const plain = address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address;
    const version = isIP(plain);
    if (version === 0) return false;
    return this.#list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }
}
