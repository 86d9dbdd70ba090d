/** What the citizen's ticket page makes of its ticket: which id the address names, and when to alert. Pure. */
import type { TicketView } from '../shared/types.ts';

/**
 * The ticket id from the page's path, `/t/<ticket id>`. Ids hold ':' (2026-11-23:dat-dai:1), which the
 * printed QR code encodes as %3A; either form is accepted. Null for anything else.
 */
export function ticketIdFromPath(pathname: string): string | null {
  const match = /^\/t\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    const id = decodeURIComponent(match[1] as string).trim();
    return id && id.length <= 120 ? id : null;
  } catch {
    return null; // a broken %-escape
  }
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
