/** A QR / barcode scanner, with sample codes to scan. */
import { APPOINTMENT_QR_PREFIX } from '../../devices/scan/classify.ts';
import { SimDevice } from '../sim-device.ts';

/** Made-up chip ID card QR codes (the real layout, fictitious people). */
export const SAMPLE_CCCD = {
  elderly:
    '049056001234|205123456|Trần Thị Bích|12031955|Nữ|Thôn 3, xã Tam Thanh, Tam Kỳ, Quảng Nam|10062021',
  adult: '049092004321||Nguyễn Văn Hùng|27091992|Nam|Số 12 Phan Bội Châu, Tam Kỳ, Quảng Nam|15042022',
  young: '049203007777|Lê Minh Khoa|05052003|Nam|Hội An, Quảng Nam|01012022',
} as const;

export const appointmentQr = (bookingId: string) => `${APPOINTMENT_QR_PREFIX}${bookingId}`;

export class SimScanner extends SimDevice {
  readonly type = 'scanner' as const;

  scan(data: string, symbology: 'qr' | 'code128' = 'qr') {
    return this.send({ type: 'scan', data, symbology });
  }

  protected override capabilities(): string[] {
    return ['qr', 'code128'];
  }
}
