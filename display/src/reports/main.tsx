import { render } from 'preact';
import '../shared/base.css';
import './reports.css';
import { ReportsApp } from './ReportsApp.tsx';

render(<ReportsApp />, document.getElementById('app') as HTMLElement);
