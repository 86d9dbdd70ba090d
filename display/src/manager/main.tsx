import { render } from 'preact';
import '../shared/base.css';
import { ConnectionBanner } from '../shared/ConnectionBanner.tsx';

render(
  <>
    <ConnectionBanner />
    <main>Bảng điều hành</main>
  </>,
  document.getElementById('app') as HTMLElement,
);
