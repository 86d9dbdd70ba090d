import { render } from 'preact';
import '../shared/base.css';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';

render(
  <>
    <ConnectionBanner />
    <main>Trung tâm Phục vụ hành chính công</main>
  </>,
  document.getElementById('app') as HTMLElement,
);
