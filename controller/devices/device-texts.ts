/** What a device shows a citizen or staff member when something is refused: Vietnamese first. */
import type { CommandError, RefusalReason } from '../core/errors.ts';

export type DeviceRefusal =
  | RefusalReason
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

export function reasonOf(error: CommandError): DeviceRefusal {
  return error.reason ?? (error.code === 'conflict' ? 'wrongTicketState' : 'invalid');
}
