import { render } from 'preact';
import '../shared/base.css';
import './kiosk.css';
import { KioskApp } from './KioskApp.tsx';
import { readSettings } from './kiosk-settings.ts';

render(<KioskApp settings={readSettings(location.search)} />, document.getElementById('app') as HTMLElement);
