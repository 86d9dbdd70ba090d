/**
 * A ticket dispenser: service buttons and a thermal printer whose paper runs out. Printed tickets
 * are kept as the text a citizen would read, with the QR link.
 */
import type { CommandReply, DeviceCommand, DeviceState, PrintJob } from '../../devices/protocol/messages.ts';
import { SimDevice, type SimOptions } from '../sim-device.ts';

export interface PrintedTicket {
  job: PrintJob;
  text: string;
}

export class SimDispenser extends SimDevice {
  readonly type = 'dispenser' as const;
  readonly printed: PrintedTicket[] = [];
  paper: number;
  coverOpen = false;
  readonly lowAt: number;
  services: { id: string; name: string; prefix: string }[] = [];

  constructor(options: SimOptions & { paper?: number; lowAt?: number }) {
    super(options);
    this.paper = options.paper ?? 500;
    this.lowAt = options.lowAt ?? 20;
  }

  /** A citizen presses a service button. */
  press(serviceId: string, priorityClassId?: string) {
    return this.send({ type: 'button', serviceId, ...(priorityClassId ? { priorityClassId } : {}) });
  }

  async refill(sheets = 500): Promise<void> {
    this.paper = sheets;
    await this.reportState();
  }

  async openCover(open: boolean): Promise<void> {
    this.coverOpen = open;
    await this.reportState();
  }

  reportState(): Promise<void> {
    const state: DeviceState = {
      printer: {
        paper: this.paper === 0 ? 'out' : this.paper <= this.lowAt ? 'low' : 'ok',
        cover: this.coverOpen ? 'open' : 'closed',
        online: true,
      },
    };
    return this.publish(this.topic('state'), JSON.stringify(state), true);
  }

  protected override capabilities(): string[] {
    return ['printer', 'qr', 'buttons'];
  }

  protected override async afterBirth(): Promise<void> {
    await this.reportState();
  }

  protected override async handleCommand(command: DeviceCommand): Promise<Omit<CommandReply, 'tx'>> {
    if (command.type === 'setup') {
      this.services = command.services;
      return { status: 'ok' };
    }
    if (command.type !== 'print') return super.handleCommand(command);
    if (this.coverOpen)
      return { status: 'error', error: { code: 'coverOpen', message: 'printer cover is open' } };
    if (this.paper === 0) return { status: 'error', error: { code: 'paperOut', message: 'no paper' } };
    this.paper--;
    const printed = { job: command.ticket, text: renderTicket(command.ticket) };
    this.printed.push(printed);
    this.emit('printed', printed);
    if (this.paper <= this.lowAt) await this.reportState();
    return { status: 'ok', data: { paperLeft: this.paper } };
  }
}

/** The ticket as printed, line by line (what the citizen holds). */
export function renderTicket(job: PrintJob): string {
  const time = new Date(job.issuedAt).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  return [
    job.centreName,
    job.serviceName,
    `SỐ THỨ TỰ: ${job.label}`,
    ...(job.priority ? [`Ưu tiên: ${job.priority}`] : []),
    `Số người đang chờ trước: ${job.peopleAhead}`,
    job.estimatedWaitMinutes === null
      ? 'Thời gian chờ dự kiến: đang cập nhật'
      : `Thời gian chờ dự kiến: ${job.estimatedWaitMinutes} phút`,
    time,
    `[QR] ${job.qrUrl}`,
    job.footer,
  ].join('\n');
}
