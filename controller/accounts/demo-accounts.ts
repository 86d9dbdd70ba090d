/**
 * The demo centre (npm start with no configuration of one's own) comes with accounts whose
 * passwords are printed in the README, so the screens can be tried at once. Only for the demo
 * file, only into an empty accounts store: a real centre creates its own (npm run account).
 */
import type { CentreConfig } from '../centre/schema.ts';
import type { AccountStore } from './account-store.ts';

export const DEMO_MANAGER = { username: 'quanly', password: 'quanly-demo', name: 'Quản lý Trung tâm (demo)' };
export const DEMO_STAFF_PIN = '1234';

export async function seedDemoAccounts(store: AccountStore, config: CentreConfig): Promise<string[]> {
  if (!store.isEmpty) return [];
  await store.put({ ...DEMO_MANAGER, role: 'manager', cost: 'published' });
  for (const s of config.staff) {
    await store.put({
      username: s.id,
      name: s.name,
      role: 'staff',
      staffId: s.id,
      password: DEMO_STAFF_PIN,
      cost: 'published',
    });
  }
  return [DEMO_MANAGER.username, ...config.staff.map((s) => s.id)];
}
