import { render } from 'preact';
import '../shared/base.css';
import './ticket.css';
import { TicketPage } from './TicketPage.tsx';
import { ticketIdFromPath } from './ticket-status.ts';

render(
  <TicketPage ticketId={ticketIdFromPath(location.pathname)} />,
  document.getElementById('app') as HTMLElement,
);
