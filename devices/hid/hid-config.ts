/**
 * How a device on USB HID is found and read: the `hid` block of a device with `transport: "hid"`.
 * `lsusb` prints the ids in hex ("ID 0c2e:0b8f"); they may be written as such ("0c2e", "0x0c2e")
 * or as numbers (3118).
 */
import { z } from 'zod';

const usbId = z.union([
  z.number().int().min(0).max(0xffff),
  z
    .string()
    .regex(/^(0x)?[0-9a-fA-F]{4}$/, 'must be 4 hex digits as lsusb prints them (e.g. "0c2e"), or a number')
    .transform((hex) => Number.parseInt(hex.replace(/^0x/i, ''), 16)),
]);

export const hidConfigSchema = z.strictObject({
  vendorId: usbId,
  productId: usbId,
  /** Tells apart two devices of the same model (`lsusb -v`: iSerial). */
  serialNumber: z.string().min(1).max(126).optional(),
  /** The HID interface to open when the device has several (scanners: 0x8C, HID POS, by default). */
  usagePage: usbId.optional(),
  /** Rating keypads: the key code of each level, best first (keys[0] is level 1). */
  keys: z
    .array(z.number().int().min(1).max(255))
    .min(1)
    .max(5)
    .refine((keys) => new Set(keys).size === keys.length, 'a key code is listed twice')
    .optional(),
});

export type HidDeviceConfig = z.output<typeof hidConfigSchema>;

/** The device's `hid` block, checked; null when it has none or it is not valid. */
export function hidConfigOf(device: { hid?: unknown }): HidDeviceConfig | null {
  const parsed = hidConfigSchema.safeParse(device.hid);
  return parsed.success ? parsed.data : null;
}
