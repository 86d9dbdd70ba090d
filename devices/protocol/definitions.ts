/**
 * What each device type may say and hear: data, not code paths. The broker's ACL and the
 * controller's message handling both read it.
 */
import type { DeviceType } from '../vocabulary.ts';
import type { DeviceCommandType, DeviceEventType } from './messages.ts';

export interface DeviceDefinition {
  description: string;
  /** Event types it may send on `evt`. */
  events: readonly DeviceEventType[];
  /** Whether it reports retained `state`. */
  state: boolean;
  /** Commands it may receive on `cmd`. */
  commands: readonly DeviceCommandType[];
  /** What it shows from its retained `display` topic, if anything. */
  display: 'counter' | 'hall' | null;
}

export const DEVICE_DEFINITIONS: Record<DeviceType, DeviceDefinition> = {
  dispenser: {
    description: 'Ticket dispenser (kiosk) with service buttons and a thermal printer',
    events: ['button'],
    state: true,
    commands: ['setup', 'print', 'message'],
    display: null,
  },
  callDisplay: {
    description: 'Counter call display: the number being served at its counter',
    events: [],
    state: false,
    commands: ['setup', 'message'],
    display: 'counter',
  },
  hallDisplay: {
    description: 'Hall display (LED board or TV box): latest calls of its zone',
    events: [],
    state: false,
    commands: ['setup', 'message'],
    display: 'hall',
  },
  ratingKeypad: {
    description: "Citizen satisfaction keypad at a counter (3-5 keys, the centre's scale)",
    events: ['rate'],
    state: false,
    commands: ['setup', 'message', 'ratePrompt'],
    display: null,
  },
  scanner: {
    description: 'QR / barcode scanner at a kiosk (zone) or a counter',
    events: ['scan'],
    state: false,
    commands: ['setup', 'message'],
    display: null,
  },
  callPad: {
    description: 'Staff call pad at a counter: next, recall, skip, start, finish, pause, resume, transfer',
    events: ['key'],
    state: false,
    commands: ['setup', 'message'],
    display: null,
  },
};

/**
 * Whether a device of this type may publish on its own `kind` topic: the broker's ACL and
 * docs/protocol.md both ask here. `evt` only for types that send events, `state` only for types
 * that report it; every type announces itself (`birth`, `avail`) and replies to commands.
 */
export function mayPublish(type: DeviceType, kind: string): boolean {
  const d = DEVICE_DEFINITIONS[type];
  switch (kind) {
    case 'birth':
    case 'avail':
    case 'reply':
      return true;
    case 'evt':
      return d.events.length > 0;
    case 'state':
      return d.state;
    default:
      return false;
  }
}
