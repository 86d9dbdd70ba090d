/** What the kiosk reads once from GET /api/centre (the controller's centreView). */
import type { CentreView } from '../shared/types.ts';

export type CentreInfo = CentreView;
export type ServiceInfo = CentreView['services'][number];
export type PriorityClass = CentreView['priorityClasses'][number];
