/** The kiosk's calls to the controller (controller/http/kiosk-routes.ts). */
import type { KioskTicket } from '../../../controller/http/kiosk-routes.ts';
import { ApiError, api } from '../shared/api.ts';

export type { KioskTicket };

export interface KioskInfo {
  dispenserId: string;
  zoneId: string | null;
  zoneName: string | null;
  serviceIds: string[];
  canPrint: boolean;
  holdSeconds: number;
}

export type ScanResult =
  | { result: 'identified'; priorityClassId: string | null; ageKnown: boolean; holdSeconds: number }
  | { result: 'ticket'; ticket: KioskTicket };

const base = (dispenserId: string) => `/kiosks/${encodeURIComponent(dispenserId)}`;

export const kioskInfo = (dispenserId: string) => api<KioskInfo>('GET', base(dispenserId));

/**
 * Sends a request with its requestId, trying again (same id) while the link is down: the
 * controller answers a repeat with the first ticket, so a retry never issues or prints a second.
 */
async function withRetry<T>(call: () => Promise<T>, tries = 3, pauseMs = 1000): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 0 || attempt >= tries) throw error;
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}

export const scanCode = (dispenserId: string, code: string, requestId: string) =>
  withRetry(() => api<ScanResult>('POST', `${base(dispenserId)}/scan`, { code, requestId }));

export const takeTicket = (
  dispenserId: string,
  serviceId: string,
  priorityClassId: string | null,
  requestId: string,
) =>
  withRetry(() =>
    api<{ ticket: KioskTicket }>('POST', `${base(dispenserId)}/tickets`, {
      serviceId,
      ...(priorityClassId ? { priorityClassId } : {}),
      requestId,
    }),
  );

/** The ticket again, with what became of its paper since (the page asks while it is printing). */
export const kioskTicketNow = (dispenserId: string, ticketId: string) =>
  api<{ ticket: KioskTicket }>('GET', `${base(dispenserId)}/tickets/${encodeURIComponent(ticketId)}`);

export const releaseIdentity = (dispenserId: string) =>
  api<unknown>('DELETE', `${base(dispenserId)}/identity`);
