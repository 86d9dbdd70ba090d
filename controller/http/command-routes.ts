/**
 * The command endpoints, as data: method + path → engine command, with the roles allowed.
 * Path parameters and the JSON body are merged into the command and validated by its schema.
 */
import type { CommandType } from '../core/commands.ts';
import type { Role } from './access.ts';

export interface CommandRoute {
  path: string;
  command: CommandType;
  roles: readonly Role[];
  /** 201 for commands that create something. */
  status?: number;
  /** Written to the audit log whoever calls (managers' actions always are). */
  audited?: boolean;
  summary: string;
}

const STAFF: readonly Role[] = ['staff', 'manager', 'device'];
const MANAGER: readonly Role[] = ['manager'];

export const COMMAND_ROUTES: readonly CommandRoute[] = [
  {
    path: '/tickets',
    command: 'issueTicket',
    roles: ['kiosk', 'device', 'staff', 'manager'],
    status: 201,
    summary: 'Issue a ticket',
  },
  {
    path: '/tickets/:ticketId/return',
    command: 'returnTicket',
    roles: STAFF,
    summary: 'A skipped citizen came back',
  },
  {
    path: '/tickets/:ticketId/reprint',
    command: 'reprint',
    roles: ['kiosk', ...STAFF],
    summary: 'Print a ticket again',
  },
  { path: '/tickets/:ticketId/cancel', command: 'cancel', roles: STAFF, summary: 'Cancel a ticket' },
  { path: '/counters/:counterId/next', command: 'callNext', roles: STAFF, summary: 'Call the next citizen' },
  {
    path: '/counters/:counterId/recall',
    command: 'recall',
    roles: STAFF,
    summary: 'Call the current citizen again',
  },
  {
    path: '/counters/:counterId/skip',
    command: 'skip',
    roles: STAFF,
    summary: 'The called citizen did not come',
  },
  {
    path: '/counters/:counterId/start',
    command: 'startService',
    roles: STAFF,
    summary: 'The citizen is at the counter',
  },
  {
    path: '/counters/:counterId/finish',
    command: 'finishService',
    roles: STAFF,
    summary: 'Finish the visit',
  },
  {
    path: '/counters/:counterId/transfer',
    command: 'transfer',
    roles: STAFF,
    summary: 'Send the citizen to another service, counter or person',
  },
  {
    path: '/counters/:counterId/pause',
    command: 'pauseCounter',
    roles: STAFF,
    summary: 'Pause with a reason',
  },
  { path: '/counters/:counterId/resume', command: 'resumeCounter', roles: STAFF, summary: 'End the pause' },
  {
    path: '/counters/:counterId/login',
    command: 'login',
    roles: STAFF,
    summary: 'A staff member takes the counter',
  },
  {
    path: '/counters/:counterId/logout',
    command: 'logout',
    roles: STAFF,
    summary: 'The staff member leaves the counter',
  },
  {
    path: '/counters/:counterId/rate',
    command: 'rateVisit',
    // The counter's keypad only (a registered device): staff may not rate their own visits, and the
    // citizen's own ticket page rates through its link (ticket-link-routes.ts).
    roles: ['device'],
    summary: 'Rate the visit just finished here',
  },
  {
    path: '/counters/:counterId/paper-rating',
    command: 'recordPaperRating',
    // A citizen's paper form, entered by staff at the counter that served the visit (or a manager):
    // marked as paper wherever it is counted, and written to the audit log with who entered it.
    roles: ['staff', 'manager'],
    audited: true,
    summary: 'Record the rating a citizen wrote on a paper form for a visit finished here today',
  },
  {
    path: '/counters/:counterId/link',
    command: 'linkVisit',
    roles: STAFF,
    summary: 'Link the visit to a citizen or dossier',
  },
  {
    path: '/appointments',
    command: 'bookAppointment',
    roles: ['staff', 'manager'],
    status: 201,
    summary: 'Record a booking',
  },
  {
    path: '/appointments/:bookingId/check-in',
    command: 'checkIn',
    roles: ['kiosk', ...STAFF],
    status: 201,
    summary: 'The citizen arrived for a booking',
  },
  {
    path: '/appointments/:bookingId/cancel',
    command: 'cancelAppointment',
    roles: ['staff', 'manager'],
    summary: 'Cancel a booking',
  },
  {
    path: '/follow-ups/:followUpId/close',
    command: 'closeFollowUp',
    roles: MANAGER,
    summary: 'Close a "not satisfied" follow-up',
  },
  { path: '/counters/:counterId/open', command: 'openCounter', roles: MANAGER, summary: 'Open the counter' },
  {
    path: '/counters/:counterId/close',
    command: 'closeCounter',
    roles: MANAGER,
    summary: 'Close the counter',
  },
  {
    path: '/clock/confirm',
    command: 'confirmClock',
    roles: MANAGER,
    summary: "Confirm the controller's clock after a jump: the queue follows it from now on",
  },
];

const AUDITED_PATHS = COMMAND_ROUTES.filter((r) => r.audited).map(
  (r) => new RegExp(`^${r.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`),
);

/** Whether a request path under /api is a command audited for every caller (paper ratings). */
export function auditedForEveryone(path: string): boolean {
  return AUDITED_PATHS.some((re) => re.test(path));
}
