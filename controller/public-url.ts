/**
 * The base of the link printed as a QR code on every ticket, when PUBLIC_URL is not set: an
 * address citizens' phones on the centre's Wi-Fi can reach. A host name (`http://vm:8080`) is
 * usually not resolvable from a phone, so a controller listening on every interface uses its LAN
 * IPv4 address (private ranges first), and says that it guessed.
 */
import { type NetworkInterfaceInfo, networkInterfaces } from 'node:os';

export interface GuessedUrl {
  url: string;
  /** Why this address, for the start-up warning; null when the bind address itself was used. */
  guess: string | null;
}

const PRIVATE = [/^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./];

export function defaultPublicUrl(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): GuessedUrl {
  if (host !== '0.0.0.0' && host !== '::') return { url: `http://${host}:${port}`, guess: null };
  const candidates = Object.entries(interfaces).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter((i) => i.family === 'IPv4' && !i.internal)
      .map((i) => ({ name, address: i.address })),
  );
  const lan = candidates.find((c) => PRIVATE.some((r) => r.test(c.address))) ?? candidates[0];
  if (!lan)
    return {
      url: `http://127.0.0.1:${port}`,
      guess: 'no network interface has an IPv4 address: ticket QR codes work on this machine only',
    };
  return {
    url: `http://${lan.address}:${port}`,
    guess: `address of interface ${lan.name}${candidates.length > 1 ? ` (one of ${candidates.length})` : ''}`,
  };
}
