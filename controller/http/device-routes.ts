/** Device health, alerts and provisioning over HTTP. */
import express, { type Request, type Router } from 'express';
import type { CentreStore } from '../centre/centre-store.ts';
import type { DeviceRegistry } from '../device-service/device-registry.ts';
import { hashSecret, newSecret } from '../security/secret-hash.ts';
import type { Guard } from './api.ts';
import { HttpError } from './errors.ts';

export interface DeviceRoutesOptions {
  registry: DeviceRegistry;
  centre: CentreStore;
  guard: Guard;
  /** Closes a device's MQTT connection (after its secret was replaced). */
  disconnectDevice?: (deviceId: string) => void;
}

export function createDeviceRouter({
  registry,
  centre,
  guard,
  disconnectDevice,
}: DeviceRoutesOptions): Router {
  const router = express.Router();
  /** Configuration saves one after another, so two rotations cannot overwrite each other. */
  let saving: Promise<unknown> = Promise.resolve();
  const READ = guard(['staff', 'manager']);

  router.get('/devices', READ, (_req, res) => {
    res.json({ devices: registry.all(), alerts: registry.alerts() });
  });

  router.get('/devices/:deviceId', READ, (req: Request<{ deviceId: string }>, res) => {
    const health = registry.get(req.params.deviceId);
    if (!health) throw new HttpError(404, 'notFound', `device "${req.params.deviceId}" not found`);
    res.json(health);
  });

  /** The dispensers a kiosk page can be bound to (the front page lists them); no health details. */
  router.get('/kiosks', guard(['public', 'kiosk', 'staff', 'manager']), (_req, res) => {
    res.json({
      dispensers: centre.config.devices
        .filter((d) => d.type === 'dispenser')
        .map((d) => ({ id: d.id, zoneId: d.zoneId ?? null, transport: d.transport })),
    });
  });

  router.get('/alerts', READ, (req, res) => {
    res.json({ alerts: registry.alerts(req.query.all !== 'true') });
  });

  /**
   * A new secret for a device: stored only as a hash, shown once in this answer to be put into
   * the device. The old secret stops working at once.
   */
  router.post(
    '/devices/:deviceId/secret',
    guard(['manager']),
    async (req: Request<{ deviceId: string }>, res) => {
      const config = centre.config;
      const device = config.devices.find((d) => d.id === req.params.deviceId);
      if (!device) throw new HttpError(404, 'notFound', `device "${req.params.deviceId}" not found`);
      if (device.transport !== 'mqtt') {
        throw new HttpError(
          409,
          'conflict',
          `device "${device.id}" is on ${device.transport}, not MQTT: it needs no secret`,
        );
      }
      const secret = newSecret();
      const secretHash = await hashSecret(secret);
      const save = saving.then(() => {
        const latest = centre.config; // as it is after any save queued before this one
        return centre.save({
          ...latest,
          devices: latest.devices.map((d) => (d.id === device.id ? { ...d, secretHash } : d)),
        });
      });
      saving = save.catch(() => undefined);
      await save;
      // A device connected with the old secret does not stay connected until it reconnects (issue 13).
      disconnectDevice?.(device.id);
      res.status(201).json({ deviceId: device.id, username: device.id, secret });
    },
  );

  return router;
}
