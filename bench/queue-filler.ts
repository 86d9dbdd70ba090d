/**
 * Tickets issued the cheap way: the first ticket of each service by a real issue command, every later
 * one as a copy of that ticketIssued event with the next number, seq and times, applied with
 * engine.replay(). The state is what the engine would have built, except the two numbers printed on the
 * ticket (place in line and wait estimate), which are the template's. It saves the per-issue scan of the
 * whole day (benchmark 1 measures that) when a benchmark needs thousands of tickets as a backdrop.
 */
import type { CentreConfig } from '../controller/centre/schema.ts';
import type { Command } from '../controller/core/commands.ts';
import type { QueueEngine } from '../controller/core/engine.ts';
import type { EventOf, QueueEvent } from '../controller/core/events.ts';
import type { Ticket } from '../controller/core/types.ts';
import { must } from './centre.ts';

export class QueueFiller {
  readonly #engine: QueueEngine;
  readonly #config: CentreConfig;
  readonly #templates = new Map<string, EventOf<'ticketIssued'>>();

  constructor(engine: QueueEngine, config: CentreConfig) {
    this.#engine = engine;
    this.#config = config;
  }

  /** Issues one ticket; returns the events applied, as the journal would hold them. */
  add(command: Extract<Command, { type: 'issueTicket' }>, now: number): QueueEvent[] {
    const template = this.#templates.get(command.serviceId);
    if (!template) {
      const { events } = must(this.#engine, { ...command, priorityClassId: undefined }, now);
      const issued = events.find((e): e is EventOf<'ticketIssued'> => e.type === 'ticketIssued');
      if (!issued) throw new Error('bench: no ticketIssued event');
      this.#templates.set(command.serviceId, issued);
      return events;
    }
    const state = this.#engine.state;
    const service = this.#config.services.find((s) => s.id === command.serviceId);
    const number = (state.lastNumber[command.serviceId] ?? 0) + 1;
    const label = `${service?.prefix ?? ''}${String(number).padStart(this.#config.queue.numberDigits, '0')}`;
    const seq = state.seq + 1;
    const ticket: Ticket = {
      ...template.ticket,
      id: `${state.day}:${label}`,
      label,
      day: state.day,
      number,
      issueSeq: seq,
      issuedAt: now,
      arrivedAt: now,
      queuedAt: now,
    };
    if (command.priorityClassId) ticket.priorityClassId = command.priorityClassId;
    const event: QueueEvent = { ...template, ticket, seq, at: now };
    this.#engine.replay([event]);
    return [event];
  }
}
