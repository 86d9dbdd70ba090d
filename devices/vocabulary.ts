/**
 * The words the controller, the devices and the screens share: the device types and the reasons a
 * counter pauses. The bottom of the layering (it imports nothing): the centre's schema, the
 * protocol's schemas and the browser's pages take them from here.
 */
export const DEVICE_TYPES = [
  'dispenser',
  'callDisplay',
  'hallDisplay',
  'ratingKeypad',
  'scanner',
  'callPad',
] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export const PAUSE_REASONS = ['break', 'meeting', 'technical', 'other'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
