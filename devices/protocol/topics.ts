/**
 * The MQTT topic tree of protocol v1 (docs/protocol.md). Every topic of a centre lives under
 * `qms/v1/<centreId>/`; a device owns `qms/v1/<centreId>/dev/<deviceId>/…`.
 */
export const PROTOCOL_VERSION = 1;

/** Topics a device publishes on (its own only). */
export const DEVICE_OUT = ['birth', 'avail', 'evt', 'state', 'reply'] as const;
/** Topics the controller publishes on for one device. */
export const DEVICE_IN = ['cmd', 'res', 'display'] as const;
export type DeviceOutKind = (typeof DEVICE_OUT)[number];
export type DeviceInKind = (typeof DEVICE_IN)[number];
export type DeviceTopicKind = DeviceOutKind | DeviceInKind;

export const BROADCASTS = ['time'] as const;
export type BroadcastKind = (typeof BROADCASTS)[number];

export function centreRoot(centreId: string): string {
  return `qms/v${PROTOCOL_VERSION}/${centreId}`;
}

export function deviceTopic(centreId: string, deviceId: string, kind: DeviceTopicKind): string {
  return `${centreRoot(centreId)}/dev/${deviceId}/${kind}`;
}

export function broadcastTopic(centreId: string, kind: BroadcastKind): string {
  return `${centreRoot(centreId)}/broadcast/${kind}`;
}

/** `qms/v1/<centre>/dev/<device>/<kind>` → its parts, or null for any other topic. */
export function parseDeviceTopic(
  centreId: string,
  topic: string,
): { deviceId: string; kind: DeviceTopicKind } | null {
  const prefix = `${centreRoot(centreId)}/dev/`;
  if (!topic.startsWith(prefix)) return null;
  const rest = topic.slice(prefix.length).split('/');
  if (rest.length !== 2) return null;
  const [deviceId, kind] = rest as [string, string];
  if (!deviceId || !isKind(kind)) return null;
  return { deviceId, kind };
}

function isKind(kind: string): kind is DeviceTopicKind {
  return (DEVICE_OUT as readonly string[]).includes(kind) || (DEVICE_IN as readonly string[]).includes(kind);
}
