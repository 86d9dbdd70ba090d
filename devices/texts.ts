/**
 * What a device or a screen shows a citizen or staff member when something is refused: Vietnamese
 * first. The one table of these texts: devices get them in `res.error.text`, the API in
 * `error.text` (controller/http/errors.ts), screens show them as they are.
 */

/**
 * The engine's refusals a citizen or staff member meets at a device. The same list as
 * `RefusalReason` in controller/core/errors.ts: the core imports nothing from here, so
 * controller/device-service/refusals.ts fails to compile when the two differ.
 */
export type EngineRefusal =
  | 'unknownService'
  | 'alreadyHasTicket'
  | 'noStaff'
  | 'counterNotOpen'
  | 'counterBusy'
  | 'noCurrentTicket'
  | 'wrongTicketState'
  | 'nothingToRate'
  | 'alreadyRated'
  | 'bookingNotFound'
  | 'bookingCancelled'
  | 'bookingUsed'
  | 'bookingNotToday'
  | 'transferTarget';

/** Refusals met only by staff at a screen (`StaffRefusalReason` in controller/core/errors.ts). */
export type StaffRefusal = 'counterTaken' | 'staffServingElsewhere';

export type DeviceRefusal =
  | EngineRefusal
  | 'printerUnavailable'
  | 'unknownCode'
  | 'notHere'
  | 'invalid'
  | 'unavailable'
  | 'internal';

const TEXTS: Record<DeviceRefusal, string> = {
  unknownService: 'Dịch vụ không có tại trung tâm',
  alreadyHasTicket: 'Công dân đã có số thứ tự đang chờ',
  noStaff: 'Quầy chưa có cán bộ đăng nhập',
  counterNotOpen: 'Quầy đang đóng hoặc tạm nghỉ',
  counterBusy: 'Quầy đang phục vụ, hãy kết thúc hoặc chuyển trước',
  noCurrentTicket: 'Chưa gọi công dân nào',
  wrongTicketState: 'Thao tác không phù hợp với lượt hiện tại',
  nothingToRate: 'Không có lượt phục vụ nào để đánh giá',
  alreadyRated: 'Lượt phục vụ này đã được đánh giá. Xin cảm ơn!',
  bookingNotFound: 'Không tìm thấy lịch hẹn',
  bookingCancelled: 'Lịch hẹn đã bị hủy',
  bookingUsed: 'Lịch hẹn đã được xác nhận trước đó',
  bookingNotToday: 'Lịch hẹn không phải hôm nay',
  transferTarget: 'Không thể chuyển đến nơi đã chọn',
  printerUnavailable: 'Máy in tạm ngừng, vui lòng liên hệ quầy hướng dẫn',
  unknownCode: 'Không nhận dạng được mã vừa quét',
  notHere: 'Mã này không dùng được tại đây',
  invalid: 'Yêu cầu không hợp lệ',
  unavailable: 'Hệ thống tạm thời gián đoạn, vui lòng chờ',
  internal: 'Đã có lỗi, vui lòng liên hệ quầy hướng dẫn',
};

export function refusalText(reason: DeviceRefusal): string {
  return TEXTS[reason];
}

/** Whether a reason has a device text (staff-only reasons do not). */
export function isDeviceRefusal(reason: string): reason is DeviceRefusal {
  return Object.hasOwn(TEXTS, reason);
}

const STAFF_TEXTS: Record<StaffRefusal, string> = {
  counterTaken: 'Quầy đang có cán bộ khác đăng nhập',
  staffServingElsewhere: 'Cán bộ đang phục vụ công dân tại quầy khác, hãy kết thúc hoặc chuyển trước',
};

/** The error codes of the HTTP API (controller/http/), each with its text for people. */
export const API_ERROR_TEXTS = {
  unauthenticated: 'Vui lòng đăng nhập',
  forbidden: 'Tài khoản này không được phép làm việc này',
  badCredentials: 'Sai tên hoặc mật khẩu',
  badTicketLink: 'Đường dẫn không đúng với số thứ tự này, vui lòng quét lại mã QR trên vé',
  tooManyAttempts: 'Nhập sai quá nhiều lần, vui lòng chờ rồi thử lại',
  tooManyRequests: 'Quá nhiều yêu cầu, vui lòng chờ một lát rồi thử lại',
  notFound: 'Không tìm thấy',
  invalidRequest: 'Yêu cầu không hợp lệ',
  invalidJson: 'Yêu cầu không hợp lệ',
  tooLarge: 'Yêu cầu quá lớn',
  invalidPeriod: 'Kỳ báo cáo không hợp lệ (ngày YYYY-MM-DD hoặc tháng YYYY-MM, không ở tương lai)',
  periodPruned: 'Dữ liệu của kỳ này đã được xoá theo thời hạn lưu giữ của trung tâm',
  conflict: 'Không thực hiện được vì trạng thái đã thay đổi, vui lòng thử lại',
  invalid: 'Yêu cầu không hợp lệ',
  unavailable: 'Hệ thống tạm thời gián đoạn, vui lòng chờ',
  internal: 'Đã có lỗi, vui lòng liên hệ quầy hướng dẫn',
} as const satisfies Record<string, string>;
export type ApiErrorCode = keyof typeof API_ERROR_TEXTS;

/**
 * The text for people of any refusal: its reason when it has one (a device refusal or a staff
 * one), else its API error code. Total: an unknown code gets the general text.
 */
export function peopleText(code: string, reason?: string): string {
  const all: Record<string, string> = { ...API_ERROR_TEXTS, ...TEXTS, ...STAFF_TEXTS };
  return (reason !== undefined ? all[reason] : undefined) ?? all[code] ?? TEXTS.internal;
}
