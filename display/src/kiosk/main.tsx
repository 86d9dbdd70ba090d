import { render } from 'preact';
import '../shared/base.css';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';

render(
  <>
    <ConnectionBanner />
    <main>Lấy số thứ tự</main>
  </>,
  document.getElementById('app') as HTMLElement,
);
