/**
 * What the screens receive, typed from the controller's own read models: one definition of each
 * message, on both sides of the wire (type-only imports, erased from the bundle).
 */
import type { DeviceAlert, DeviceHealth } from '../../../controller/device-service/device-registry.ts';
import type {
  centreView,
  counterQueueView,
  queueView,
  ticketHolderView,
  ticketView,
} from '../../../controller/queue/views.ts';

export type { QueueEvent } from '../../../controller/core/events.ts';
export type QueueView = ReturnType<typeof queueView>;
export type ServiceView = QueueView['services'][number];
export type CounterView = QueueView['counters'][number];
export type TicketSummary = QueueView['tickets'][number];
export type RecentCall = QueueView['recentCalls'][number];
export type TicketView = ReturnType<typeof ticketView>;
export type TicketHolderView = ReturnType<typeof ticketHolderView>;
export type CentreView = ReturnType<typeof centreView>;
export type CounterQueueEntry = ReturnType<typeof counterQueueView>[number];
export interface DevicesState {
  devices: DeviceHealth[];
  alerts: DeviceAlert[];
}
export type { DeviceAlert, DeviceHealth };
