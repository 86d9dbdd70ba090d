import { render } from 'preact';
import '../shared/base.css';
import './staff.css';
import { StaffApp } from './StaffApp.tsx';

render(<StaffApp />, document.getElementById('app') as HTMLElement);
