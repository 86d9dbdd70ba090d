/**
 * The audit log: what managers did and who signed in, newest first (GET /api/audit), as a manager
 * reads it — what was done, by whom, to what, in Vietnamese (audit-text.ts), not raw requests.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AuditEntry } from '../../../controller/accounts/audit-log.ts';
import { api, errorSaid } from '../shared/api.ts';
import { clockTime } from '../shared/format.ts';
import { useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';
import { type AuditNames, auditLine } from './audit-text.ts';

const LIMIT = 100;

async function loadNames(): Promise<AuditNames> {
  const [centre, accounts] = await Promise.all([
    api<CentreView>('GET', '/centre'),
    api<{ accounts: { username: string; name: string }[] }>('GET', '/accounts').catch(() => ({
      accounts: [],
    })),
  ]);
  return {
    counters: new Map(centre.counters.map((c) => [c.id, c.name])),
    staff: new Map(centre.staff.map((s) => [s.id, s.name])),
    services: new Map(centre.services.map((s) => [s.id, s.name])),
    accounts: new Map(accounts.accounts.map((a) => [a.username, a.name])),
  };
}

export function AuditDialog(props: { onClose: () => void }) {
  const { t } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [names, setNames] = useState<AuditNames | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    dialog.current?.showModal();
    Promise.all([api<{ entries: AuditEntry[] }>('GET', `/audit?limit=${LIMIT}`), loadNames()])
      .then(([r, n]) => {
        setEntries(r.entries);
        setNames(n);
      })
      .catch((e: unknown) => setError(errorSaid(e, t)));
  }, []);

  return (
    <dialog ref={dialog} class="mg-dialog mg-audit" onClose={props.onClose} data-testid="audit-dialog">
      <h2>{t('Nhật ký thao tác', 'Audit log')}</h2>
      <p class="mg-muted mg-small">
        {t(
          `Các thao tác của quản lý và các lần đăng nhập, mới nhất trước (${LIMIT} mục gần nhất).`,
          `Managers' actions and sign-ins, newest first (latest ${LIMIT}).`,
        )}
      </p>
      {error && <p class="mg-error">{error}</p>}
      <div class="mg-audit-list" data-scrolls>
        <table>
          <thead>
            <tr>
              <th>{t('Lúc', 'At')}</th>
              <th>{t('Người thực hiện', 'By')}</th>
              <th>{t('Thao tác', 'Action')}</th>
              <th>{t('Đối tượng', 'On')}</th>
              <th>{t('Kết quả', 'Result')}</th>
            </tr>
          </thead>
          <tbody>
            {names &&
              entries?.map((e) => {
                const line = auditLine(e, names);
                return (
                  <tr key={`${e.at}-${e.action}`} data-testid="audit-entry" title={e.action}>
                    <td>{clockTime(Date.parse(e.at), true)}</td>
                    <td>{line.by}</td>
                    <td class="mg-audit-what">{line.what}</td>
                    <td>{line.target}</td>
                    <td class={line.ok ? 'ok' : 'bad'}>{line.result}</td>
                  </tr>
                );
              })}
          </tbody>
        </table>
        {entries?.length === 0 && <p class="mg-muted">{t('Chưa có mục nào.', 'Nothing yet.')}</p>}
      </div>
      <div class="mg-row mg-end">
        <button type="button" onClick={props.onClose}>
          {t('Đóng', 'Close')}
        </button>
      </div>
    </dialog>
  );
}
