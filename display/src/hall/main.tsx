import { render } from 'preact';
import '../shared/base.css';
import './hall.css';
import { HallScreen } from './HallScreen.tsx';

render(<HallScreen />, document.getElementById('app') as HTMLElement);
