/** Manager actions over the API, each answered with a notice the page shows until the next one. */
import { useState } from 'preact/hooks';
import { api, errorSaid, requestId } from '../shared/api.ts';
import type { Translate } from '../shared/i18n.ts';

export interface Notice {
  ok: boolean;
  text: string;
}

export function useActions(t: Translate, after: () => void) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(done: string, call: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    try {
      await call();
      setNotice({ ok: true, text: done });
      return true;
    } catch (e) {
      setNotice({ ok: false, text: `${t('Không thực hiện được', 'Not done')}: ${errorSaid(e, t)}` });
      return false;
    } finally {
      setBusy(false);
      after();
    }
  }

  return {
    notice,
    busy,
    dismiss: () => setNotice(null),
    openCounter: (id: string, number: number) =>
      run(t(`Đã mở quầy ${number}`, `Counter ${number} opened`), () =>
        api('POST', `/counters/${id}/open`, { requestId: requestId() }),
      ),
    closeCounter: (id: string, number: number) =>
      run(t(`Đã đóng quầy ${number}`, `Counter ${number} closed`), () =>
        api('POST', `/counters/${id}/close`, { requestId: requestId() }),
      ),
    closeFollowUp: (id: string, label: string, note: string) =>
      run(t(`Đã đóng phản ánh của số ${label}`, `Follow-up of number ${label} closed`), () =>
        api('POST', `/follow-ups/${encodeURIComponent(id)}/close`, {
          requestId: requestId(),
          ...(note ? { note } : {}),
        }),
      ),
    /** After a clock jump: the queue follows the controller's clock as it reads now. */
    confirmClock: () =>
      run(t('Đã xác nhận giờ của máy chủ', "The controller's clock is confirmed"), () =>
        api('POST', '/clock/confirm', { requestId: requestId() }),
      ),
    setStaffServices: (staffId: string, name: string, services: string[]) =>
      run(t(`Đã cập nhật dịch vụ của ${name}`, `Services of ${name} updated`), () =>
        api('PUT', `/staff/${encodeURIComponent(staffId)}/services`, { services }),
      ),
  };
}

export type Actions = ReturnType<typeof useActions>;
