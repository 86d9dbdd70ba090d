import { render } from 'preact';
import '../shared/base.css';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';

render(
  <>
    <ConnectionBanner />
    <main>Số thứ tự của tôi</main>
  </>,
  document.getElementById('app') as HTMLElement,
);
