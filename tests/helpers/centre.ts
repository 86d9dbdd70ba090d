/** A small centre for engine tests: three services, three counters, three staff. */
import {
  type CentreConfig,
  type CentreConfigInput,
  centreConfigSchema,
} from '../../controller/centre/schema.ts';

export function smallCentre(overrides: Partial<CentreConfigInput> = {}): CentreConfig {
  return centreConfigSchema.parse({
    schemaVersion: 1,
    centre: { id: 'test-centre', name: 'Bộ phận Một cửa thử nghiệm', level: 'district' },
    services: [
      { id: 'dat-dai', name: 'Đất đai', prefix: '1', expectedServiceMinutes: 15 },
      { id: 'ho-tich', name: 'Tư pháp – Hộ tịch', prefix: '2', expectedServiceMinutes: 8 },
      { id: 'tra-kq', name: 'Trả kết quả', prefix: '3', expectedServiceMinutes: 4 },
    ],
    counters: [
      { id: 'c1', number: 1, name: 'Quầy 1' },
      { id: 'c2', number: 2, name: 'Quầy 2' },
      { id: 'c3', number: 3, name: 'Quầy 3', services: ['tra-kq'] },
    ],
    staff: [
      { id: 'ha', name: 'Nguyễn Thị Thu Hà', services: ['dat-dai', 'ho-tich'] },
      { id: 'minh', name: 'Trần Văn Minh', services: ['ho-tich', 'dat-dai', 'tra-kq'] },
      { id: 'lan', name: 'Lê Thị Lan', services: ['tra-kq', 'ho-tich'] },
    ],
    queue: {
      priorityClasses: [
        { id: 'nguoi-cao-tuoi', name: 'Người cao tuổi', creditMinutes: 10 },
        { id: 'khuyet-tat', name: 'Người khuyết tật', creditMinutes: 10 },
      ],
    },
    ...overrides,
  });
}

/** 2026-11-23 08:00 in Hà Nội / Hồ Chí Minh time (UTC+7). */
export const MORNING = Date.UTC(2026, 10, 23, 1, 0, 0);
export const MIN = 60_000;
