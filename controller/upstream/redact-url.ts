/**
 * Broker URLs in logs and the API: without credentials. Its own module so the publisher does not load
 * mqtt.js (only a configured upstream link does).
 */
/** The broker's address without any user name (for logs and the API). */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
}
