/** What the kiosk reads once from GET /api/centre: names of the centre, services and priority classes. */
import type { CentreConfig } from '../../../controller/centre/schema.ts';

export interface CentreInfo {
  centre: CentreConfig['centre'];
  services: CentreConfig['services'];
  priorityClasses: CentreConfig['queue']['priorityClasses'];
}

export type ServiceInfo = CentreInfo['services'][number];
export type PriorityClass = CentreInfo['priorityClasses'][number];
