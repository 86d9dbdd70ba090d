/**
 * Which services a staff member covers, most preferred first: the centre's services as ordered
 * checkboxes. Saved with PUT /api/staff/:staffId/services {services} → {staff}.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../shared/api.ts';
import { localName, useLang } from '../shared/i18n.ts';
import type { CentreView } from '../shared/types.ts';
import type { Actions } from './actions.ts';

type CentreInfo = Pick<CentreView, 'services' | 'staff'>;

export function StaffServicesDialog(props: {
  initialStaffId: string | null;
  actions: Actions;
  onClose: () => void;
}) {
  const { t, lang } = useLang();
  const dialog = useRef<HTMLDialogElement>(null);
  const [centre, setCentre] = useState<CentreInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [staffId, setStaffId] = useState(props.initialStaffId ?? '');
  /** Every service id: the chosen ones first, in preference order. */
  const [order, setOrder] = useState<string[]>([]);
  const [chosen, setChosen] = useState<string[]>([]);

  useEffect(() => {
    dialog.current?.showModal();
    api<CentreInfo>('GET', '/centre')
      .then((c) => {
        setCentre(c);
        setStaffId((id) => id || c.staff[0]?.id || '');
      })
      .catch((e: Error) => setLoadError(e.message));
  }, []);

  useEffect(() => {
    const person = centre?.staff.find((s) => s.id === staffId);
    if (!centre || !person) return;
    setChosen(person.services);
    setOrder([
      ...person.services,
      ...centre.services.map((s) => s.id).filter((id) => !person.services.includes(id)),
    ]);
  }, [centre, staffId]);

  const toggle = (id: string) => {
    const next = chosen.includes(id) ? chosen.filter((s) => s !== id) : [...chosen, id];
    setChosen(next);
    // Keep the chosen ones on top, in their order; a newly chosen service goes last among them.
    setOrder([...next, ...order.filter((s) => !next.includes(s))]);
  };
  const move = (id: string, by: -1 | 1) => {
    const i = chosen.indexOf(id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= chosen.length) return;
    const next = [...chosen];
    [next[i], next[j]] = [next[j] as string, next[i] as string];
    setChosen(next);
    setOrder([...next, ...order.filter((s) => !next.includes(s))]);
  };
  const [tried, setTried] = useState(false);
  const person = centre?.staff.find((s) => s.id === staffId);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!person) return;
    setTried(true);
    if (await props.actions.setStaffServices(person.id, person.name, chosen)) props.onClose();
  };
  const serviceById = new Map(centre?.services.map((s) => [s.id, s]));

  return (
    <dialog ref={dialog} class="mg-dialog" onClose={props.onClose} data-testid="staff-dialog">
      <form onSubmit={save}>
        <h2>{t('Phân công dịch vụ cho cán bộ', 'Services a staff member covers')}</h2>
        {loadError && <p class="mg-error">{loadError}</p>}
        <label>
          {t('Cán bộ', 'Staff member')}
          <select
            value={staffId}
            onChange={(e) => setStaffId(e.currentTarget.value)}
            data-testid="staff-select"
          >
            {centre?.staff.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <p class="mg-muted mg-small">
          {t(
            'Đánh dấu các dịch vụ cán bộ phụ trách; thứ tự từ trên xuống là thứ tự ưu tiên khi gọi số.',
            'Tick the services this person covers; top to bottom is the order of preference when calling.',
          )}
        </p>
        <ol class="mg-order" data-scrolls>
          {order.map((id) => {
            const s = serviceById.get(id);
            const rank = chosen.indexOf(id);
            return (
              <li key={id} class={rank >= 0 ? 'chosen' : ''}>
                <label>
                  <input type="checkbox" checked={rank >= 0} onChange={() => toggle(id)} value={id} />
                  <span class="mg-rank">{rank >= 0 ? rank + 1 : ''}</span>
                  {s ? localName(lang, s) : id}
                </label>
                {rank >= 0 && (
                  <span class="mg-order-buttons">
                    <button
                      type="button"
                      disabled={rank === 0}
                      onClick={() => move(id, -1)}
                      aria-label={t('Lên', 'Up')}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      disabled={rank === chosen.length - 1}
                      onClick={() => move(id, 1)}
                      aria-label={t('Xuống', 'Down')}
                    >
                      ↓
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ol>
        {chosen.length === 0 && (
          <p class="mg-error">{t('Chọn ít nhất một dịch vụ.', 'Choose at least one service.')}</p>
        )}
        {tried && props.actions.notice && !props.actions.notice.ok && (
          <p class="mg-error" role="alert" data-testid="staff-dialog-error">
            {props.actions.notice.text}
          </p>
        )}
        <div class="mg-row mg-end">
          <button type="button" onClick={props.onClose}>
            {t('Huỷ', 'Cancel')}
          </button>
          <button
            type="submit"
            class="mg-primary"
            disabled={!person || chosen.length === 0 || props.actions.busy}
          >
            {t('Lưu', 'Save')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
