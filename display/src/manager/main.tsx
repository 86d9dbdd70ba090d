import { render } from 'preact';
import '../shared/base.css';
import './manager.css';
import { App } from './App.tsx';

render(<App />, document.getElementById('app') as HTMLElement);
