/**
 * The audit log as a manager reads it: what was done, by whom, to what, in Vietnamese — not the
 * raw request ("POST /api/follow-ups/2026-12-05%3A0002%3Arating/close" is "Xử lý phản ánh
 * “Không hài lòng” · số 0002"). Pure; names come from the centre and the accounts.
 */
import type { AuditEntry } from '../../../controller/accounts/audit-log.ts';

export interface AuditNames {
  counters: ReadonlyMap<string, string>;
  staff: ReadonlyMap<string, string>;
  services: ReadonlyMap<string, string>;
  accounts: ReadonlyMap<string, string>;
}

export interface AuditLine {
  /** What was done. */
  what: string;
  /** To what (a counter, a ticket, a person…), '' when nothing in particular. */
  target: string;
  /** Who did it: the account's name, else its user name. */
  by: string;
  ok: boolean;
  /** The outcome in words. */
  result: string;
}

type Verb = readonly [RegExp, string, (m: RegExpMatchArray, names: AuditNames, e: AuditEntry) => string];

/**
 * The ticket a request was about, as people know it. Ticket ids are `<day>:<service>:<n>` (the
 * n-th ticket of that service that day; journals before that used `<day>:<label>`); a follow-up's
 * id is its ticket's with `:rating`.
 */
const label = (id: string, n: AuditNames) => {
  const parts = id.split(':');
  if (parts.at(-1) === 'rating') parts.pop();
  const [, service, number] = parts;
  if (service !== undefined && number !== undefined && /^\d+$/.test(number))
    return `${n.services.get(service) ?? service} · vé thứ ${Number(number)} trong ngày`;
  return `số ${service ?? id}`;
};
const counter = (id: string, n: AuditNames) => n.counters.get(id) ?? `quầy ${id}`;
const staff = (id: string, n: AuditNames) => n.staff.get(id) ?? id;
const detail = (e: AuditEntry, key: string) => {
  const v = e.details?.[key];
  return typeof v === 'string' ? v : undefined;
};

const COUNTER_ACTIONS: Record<string, string> = {
  open: 'Mở quầy',
  close: 'Đóng quầy',
  next: 'Gọi số tiếp theo',
  recall: 'Gọi lại',
  skip: 'Đánh dấu vắng mặt',
  start: 'Bắt đầu phục vụ',
  finish: 'Hoàn thành lượt phục vụ',
  transfer: 'Chuyển công dân',
  pause: 'Tạm dừng quầy',
  resume: 'Cho quầy tiếp tục',
  login: 'Đăng nhập cán bộ vào quầy',
  logout: 'Đăng xuất cán bộ khỏi quầy',
  rate: 'Ghi đánh giá',
  link: 'Gắn hồ sơ vào lượt phục vụ',
};

const VERBS: readonly Verb[] = [
  [
    /^sign in$/,
    'Đăng nhập',
    (_m, n, e) => (detail(e, 'counterId') ? counter(detail(e, 'counterId') as string, n) : ''),
  ],
  [/^sign out$/, 'Đăng xuất', () => ''],
  // Failed sign-ins are summed up (issue 13): how many, from which machine.
  [
    /^sign in failed$/,
    'Đăng nhập sai',
    (_m, _n, e) =>
      `${typeof e.details?.count === 'number' ? e.details.count : '?'} lần${detail(e, 'address') ? ` từ ${detail(e, 'address')}` : ''}`,
  ],
  [/^POST \/api\/kiosk-pairings\/confirm$/, 'Ghép nối máy lấy số', () => ''],
  [/^DELETE \/api\/kiosk-credentials\/([^/]+)$/, 'Thu hồi máy lấy số', (m) => `máy ${m[1]}`],
  [
    /^POST \/api\/counters\/([^/]+)\/(\w+)$/,
    '',
    (m, n, e) => {
      const at = counter(m[1] as string, n);
      const who = detail(e, 'staffId');
      return m[2] === 'login' && who ? `${staff(who, n)} · ${at}` : at;
    },
  ],
  [/^PUT \/api\/staff\/([^/]+)\/services$/, 'Phân công dịch vụ', (m, n) => staff(m[1] as string, n)],
  [
    /^POST \/api\/follow-ups\/([^/]+)\/close$/,
    'Xử lý phản ánh “Không hài lòng”',
    (m, n) => label(m[1] as string, n),
  ],
  [
    /^POST \/api\/tickets$/,
    'Cấp số thứ tự',
    (_m, n, e) => n.services.get(detail(e, 'serviceId') ?? '') ?? detail(e, 'serviceId') ?? '',
  ],
  [/^POST \/api\/tickets\/([^/]+)\/cancel$/, 'Hủy số thứ tự', (m, n) => label(m[1] as string, n)],
  [/^POST \/api\/tickets\/([^/]+)\/reprint$/, 'In lại số thứ tự', (m, n) => label(m[1] as string, n)],
  [
    /^POST \/api\/tickets\/([^/]+)\/return$/,
    'Cho công dân vắng mặt quay lại',
    (m, n) => label(m[1] as string, n),
  ],
  [/^POST \/api\/appointments$/, 'Đặt lịch hẹn', () => ''],
  [/^POST \/api\/appointments\/([^/]+)\/check-in$/, 'Xác nhận lịch hẹn', () => ''],
  [/^POST \/api\/appointments\/([^/]+)\/cancel$/, 'Hủy lịch hẹn', () => ''],
  [
    /^PUT \/api\/accounts\/([^/]+)$/,
    'Tạo hoặc đổi tài khoản',
    (m, n) => n.accounts.get(m[1] as string) ?? (m[1] as string),
  ],
  [
    /^DELETE \/api\/accounts\/([^/]+)$/,
    'Xóa tài khoản',
    (m, n) => n.accounts.get(m[1] as string) ?? (m[1] as string),
  ],
  [/^POST \/api\/devices\/([^/]+)\/(\w+)$/, 'Cấp lại mã bí mật thiết bị', (m) => `thiết bị ${m[1]}`],
];

function decode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function auditLine(entry: AuditEntry, names: AuditNames): AuditLine {
  const [method = '', rawPath = ''] = entry.action.split(' ');
  const action = method === 'sign' ? entry.action : `${method} ${decode(rawPath.split('?')[0] ?? '')}`;
  let what = 'Thao tác khác';
  let target = action;
  for (const [pattern, verb, describe] of VERBS) {
    const m = action.match(pattern);
    if (!m) continue;
    what = verb || (COUNTER_ACTIONS[m[2] ?? ''] ?? 'Thao tác tại quầy');
    target = describe(m, names, entry);
    break;
  }
  const ok = entry.status < 400;
  const result = ok
    ? 'Thành công'
    : entry.status === 401
      ? 'Sai tên hoặc mật khẩu'
      : entry.status === 403
        ? 'Không được phép'
        : `Bị từ chối (${entry.status})`;
  return { what, target, by: names.accounts.get(entry.by) ?? entry.by, ok, result };
}
