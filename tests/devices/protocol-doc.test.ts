/**
 * docs/protocol.md is generated from the protocol code: it must be up to date, its examples must be
 * payloads the controller accepts, it must cover every device type and schema, and the limits it
 * quotes from constants the code does not export must still be the code's.
 */
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AuthenticateError, Client } from 'aedes';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEMO_CENTRE_FILE, loadCentreConfigFile } from '../../controller/centre/load.ts';
import { DEVICE_TYPES, type Device } from '../../controller/centre/schema.ts';
import { EventDedupe } from '../../controller/device-service/event-dedupe.ts';
import { KioskSessions } from '../../controller/device-service/kiosk-sessions.ts';
import { silentLogger } from '../../controller/logger.ts';
import { hashSecret } from '../../controller/security/secret-hash.ts';
import { DeviceAccess } from '../../controller/transports/mqtt/device-access.ts';
import { DEVICE_DEFINITIONS } from '../../devices/protocol/definitions.ts';
import * as messages from '../../devices/protocol/messages.ts';
import { CODE_LIMITS, EXAMPLES } from '../../scripts/protocol-doc/doc-text.ts';
import {
  DOC_FILE,
  messageSchemas,
  renderProtocolDoc,
  SCHEMAS,
  schemaEntryOf,
} from '../../scripts/protocol-doc/render-doc.ts';

const doc = renderProtocolDoc();

describe('docs/protocol.md', () => {
  it('is what render-doc.ts generates', () => {
    expect(readFileSync(DOC_FILE, 'utf8'), 'docs/protocol.md is out of date: run npm run docs:protocol').toBe(
      doc,
    );
  });

  it('is generated the same way every time', () => {
    expect(renderProtocolDoc()).toBe(doc);
  });

  it('has a section for every device type', () => {
    const headings = doc.split('\n').filter((line) => line.startsWith('#'));
    for (const type of DEVICE_TYPES) {
      expect(
        headings.some((h) => h.startsWith('### ') && h.endsWith(`(\`${type}\`)`)),
        type,
      ).toBe(true);
      expect(DEVICE_DEFINITIONS[type]).toBeDefined();
    }
  });

  it('documents every schema messages.ts exports', () => {
    const schemas = messageSchemas();
    // the records of schemas are walked too, not only the top-level exports
    expect(schemas.map((s) => s.name)).toEqual(expect.arrayContaining(['birthSchema', 'eventSchemas.scan']));
    for (const name of Object.keys(messages.eventSchemas))
      expect(doc).toContain(`### \`eventSchemas.${name}\``);
    for (const name of Object.keys(messages.commandSchemas))
      expect(doc).toContain(`### \`commandSchemas.${name}\``);
    for (const { name } of schemas) {
      expect(doc, name).toContain(`### \`${name}\``);
      expect(SCHEMAS.find((s) => s.name === name)?.summary, name).not.toBe(
        'Not described in render-doc.ts yet.',
      );
    }
  });

  it('lists every field of every schema in its table', () => {
    for (const { name, schema } of SCHEMAS) {
      const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, unknown> };
      const section = doc.slice(doc.indexOf(`### \`${name}\``));
      for (const field of Object.keys(json.properties ?? {}))
        expect(section, `${name}.${field}`).toContain(`| \`${field}\` |`);
    }
  });
});

describe('the example payloads of docs/protocol.md', () => {
  it('are accepted by their schemas', () => {
    for (const example of EXAMPLES) {
      const result = example.schema.safeParse(example.payload);
      expect(result.error?.issues ?? [], example.title).toEqual([]);
    }
  });

  it("use the demo centre's MQTT devices, each of the type its section is about", async () => {
    const demo = await loadCentreConfigFile(DEMO_CENTRE_FILE);
    for (const example of EXAMPLES) {
      if (!('deviceId' in example.topic)) continue;
      const device = demo.devices.find((d) => d.id === (example.topic as { deviceId: string }).deviceId);
      expect(device, example.title).toBeDefined();
      expect(device?.transport, `${example.title}: ${device?.id}`).toBe('mqtt');
      expect(example.devices, example.title).toContain(device?.type);
    }
  });

  it('name only refusal codes the controller really sends', () => {
    // Every code in the doc's table must be produced by some controller code path, not only named.
    const sources = execSync('grep -rhoE "\'[a-zA-Z]+\'" controller --include=*.ts --exclude=texts.ts', {
      encoding: 'utf8',
    });
    const used = new Set(sources.split('\n').map((l) => l.replaceAll("'", '')));
    const doc = readFileSync('docs/protocol.md', 'utf8');
    const section = doc.slice(
      doc.indexOf('### Refusal codes'),
      doc.indexOf('\n## ', doc.indexOf('### Refusal codes')),
    );
    const documented = [...section.matchAll(/^\| `([a-zA-Z]+)` \|/gm)];
    expect(documented.length).toBeGreaterThan(10);
    for (const [, code] of documented) expect(used, `refusal code ${code}`).toContain(code);
  });

  it('are accepted on the topic they are shown on', () => {
    const byTopic: Record<string, z.ZodType> = {
      evt: messages.deviceEventSchema,
      cmd: messages.deviceCommandSchema,
      birth: messages.birthSchema,
      avail: messages.availabilitySchema,
      state: messages.deviceStateSchema,
      reply: messages.commandReplySchema,
      res: messages.eventResponseSchema,
      display: z.union([messages.counterDisplaySchema, messages.hallDisplaySchema]),
      time: messages.timeSchema,
    };
    for (const example of EXAMPLES) {
      const topic = 'kind' in example.topic ? example.topic.kind : example.topic.broadcast;
      const entry = schemaEntryOf(example.schema);
      expect(
        entry.topics.map((t) => t.replace('broadcast/', '')),
        example.title,
      ).toContain(topic);
      expect(byTopic[topic]?.safeParse(example.payload).success, example.title).toBe(true);
    }
  });

  it('are shown only for device types that send or receive them', () => {
    for (const example of EXAMPLES) {
      const payload = example.payload as { type?: string };
      for (const type of example.devices) {
        const definition = DEVICE_DEFINITIONS[type];
        if ('kind' in example.topic && example.topic.kind === 'evt')
          expect(definition.events, `${example.title} (${type})`).toContain(payload.type);
        if ('kind' in example.topic && example.topic.kind === 'cmd')
          expect(definition.commands, `${example.title} (${type})`).toContain(payload.type);
        if ('kind' in example.topic && example.topic.kind === 'state') expect(definition.state).toBe(true);
        if ('kind' in example.topic && example.topic.kind === 'display')
          expect(definition.display).not.toBeNull();
      }
    }
  });

  it('include a print job the printer schema accepts', () => {
    const print = EXAMPLES.find((e) => e.schema === messages.commandSchemas.print);
    const ticket = (print?.payload as { ticket?: unknown } | undefined)?.ticket;
    expect(messages.printJobSchema.safeParse(ticket).success).toBe(true);
  });
});

describe('the limits docs/protocol.md quotes from the code', () => {
  const device = async (): Promise<Device> => ({
    id: 'kiosk-a',
    type: 'dispenser',
    transport: 'mqtt',
    installed: true,
    secretHash: await hashSecret('right'),
  });

  function connect(access: DeviceAccess, secret: string): Promise<number> {
    const client = { id: 'kiosk-a' } as Client;
    return new Promise((resolve) =>
      access.authenticate(client, 'kiosk-a', Buffer.from(secret), (error: AuthenticateError | null, ok) =>
        resolve(ok ? 0 : (error?.returnCode ?? -1)),
      ),
    );
  }

  it(`lock a device out for ${CODE_LIMITS.lockoutSeconds} s after ${CODE_LIMITS.failuresBeforeLockout} wrong secrets`, async () => {
    const devices = [await device()];
    let now = 1_000_000;
    const access = new DeviceAccess({
      centreId: () => 'c',
      devices: () => devices,
      logger: silentLogger,
      clock: () => now,
    });
    for (let i = 0; i < CODE_LIMITS.failuresBeforeLockout; i++)
      expect(await connect(access, 'wrong')).toBe(4);
    expect(await connect(access, 'right')).toBe(3);
    now += CODE_LIMITS.lockoutSeconds * 1000 - 1;
    expect(await connect(access, 'right')).toBe(3);
    now += 1;
    expect(await connect(access, 'right')).toBe(0);
  });

  it(`refuse more than ${CODE_LIMITS.connectsPerWindow} connects within ${CODE_LIMITS.connectWindowSeconds} s`, async () => {
    const devices = [await device()];
    const now = 1_000_000;
    const access = new DeviceAccess({
      centreId: () => 'c',
      devices: () => devices,
      logger: silentLogger,
      clock: () => now,
    });
    for (let i = 0; i < CODE_LIMITS.connectsPerWindow; i++) expect(await connect(access, 'right')).toBe(0);
    expect(await connect(access, 'right')).toBe(3);
  });

  it(`remember ${CODE_LIMITS.rememberedAnswers} answers in a window of ${CODE_LIMITS.dedupeWindow} events`, () => {
    const dedupe = new EventDedupe();
    for (let seq = 0; seq <= CODE_LIMITS.rememberedAnswers; seq++) {
      expect(dedupe.classify('d', 'boot', seq)).toBe('new');
      dedupe.remember('d', seq, { seq });
    }
    expect(dedupe.answerTo('d', 0)).toBeUndefined();
    expect(dedupe.answerTo('d', 1)).toEqual({ seq: 1 });

    const highest = 1000;
    expect(dedupe.classify('d', 'boot', highest)).toBe('new');
    expect(dedupe.classify('d', 'boot', highest - CODE_LIMITS.dedupeWindow)).toBe('duplicate');
    expect(dedupe.classify('d', 'boot', highest - CODE_LIMITS.dedupeWindow + 1)).toBe('outOfOrder');
  });

  it(`hold a kiosk identity for ${CODE_LIMITS.kioskHoldSeconds} s`, () => {
    let now = 0;
    const kiosk = new KioskSessions(() => now);
    kiosk.hold('zone', { citizenKey: 'k', ageKnown: true });
    now = CODE_LIMITS.kioskHoldSeconds * 1000;
    expect(kiosk.peek('zone')).toBeDefined();
    now += 1;
    expect(kiosk.peek('zone')).toBeUndefined();
  });
});
