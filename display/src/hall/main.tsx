import { render } from 'preact';
import '../shared/base.css';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';

render(
  <>
    <ConnectionBanner />
    <main>Màn hình sảnh chờ</main>
  </>,
  document.getElementById('app') as HTMLElement,
);
