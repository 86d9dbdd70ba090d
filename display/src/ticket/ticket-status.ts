/** What the citizen's ticket page makes of its ticket: which id the address names, and when to alert. Pure. */
import type { TicketView } from '../shared/types.ts';

/** What the page's address names: the ticket, and the key of its own link when the address has one. */
export interface TicketLink {
  id: string;
  /** The unguessable key printed in the ticket's QR code (`/t/<id>/<key>`); null on an id-only link. */
  key: string | null;
}

/**
 * The ticket from the page's path: `/t/<ticket id>/<key>` (the QR code printed on the ticket), or
 * `/t/<ticket id>` (links printed before keys existed, which show the public place in line only).
 * Ids hold ':' (2026-11-23:dat-dai:1), which the printed QR code encodes as %3A; either form is
 * accepted. Null for anything else.
 */
export function ticketLinkFromPath(pathname: string): TicketLink | null {
  const match = /^\/t\/([^/]+)(?:\/([A-Za-z0-9_-]{22}))?\/?$/.exec(pathname);
  if (!match) return null;
  try {
    const id = decodeURIComponent(match[1] as string).trim();
    return id && id.length <= 120 ? { id, key: match[2] ?? null } : null;
  } catch {
    return null; // a broken %-escape
  }
}

/** The ticket id alone from the page's path (see ticketLinkFromPath). */
export function ticketIdFromPath(pathname: string): string | null {
  return ticketLinkFromPath(pathname)?.id ?? null;
}

/**
 * Whether this view is a call the citizen has not been alerted to: called, at a time other than
 * the call already alerted (a recall moves calledAt, and alerts again).
 */
export function isNewCall(
  view: Pick<TicketView, 'status' | 'calledAt'>,
  alertedCalledAt: number | null,
): boolean {
  return view.status === 'called' && view.calledAt !== null && view.calledAt !== alertedCalledAt;
}

export type Tone = 'wait' | 'call' | 'serve' | 'warn' | 'over';

/** How each status looks: waiting, called (act now), at the counter, missed, finished. */
export function toneOf(status: TicketView['status']): Tone {
  switch (status) {
    case 'waiting':
      return 'wait';
    case 'called':
      return 'call';
    case 'serving':
      return 'serve';
    case 'skipped':
      return 'warn';
    default:
      return 'over';
  }
}
