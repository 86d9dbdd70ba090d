/**
 * The engine's refusals as devices are told them. The texts live in devices/texts.ts (the bottom
 * layer, also bundled into the kiosk page); the reasons are the core's: the two checks below stop
 * the build when one list gains a reason the other does not know.
 */
import {
  type DeviceRefusal,
  type EngineRefusal,
  isDeviceRefusal,
  type StaffRefusal,
} from '../../devices/texts.ts';
import type { CommandError, RefusalReason, StaffRefusalReason } from '../core/errors.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const engineReasonsAgree: Same<RefusalReason, EngineRefusal> = true;
const staffReasonsAgree: Same<StaffRefusalReason, StaffRefusal> = true;
void engineReasonsAgree;
void staffReasonsAgree;

/** The refusal a device is told: staff-only reasons become the general one for their code. */
export function reasonOf(error: CommandError): DeviceRefusal {
  if (error.reason && isDeviceRefusal(error.reason)) return error.reason;
  return error.code === 'conflict' ? 'wrongTicketState' : 'invalid';
}
