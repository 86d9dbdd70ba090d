import { render } from 'preact';
import '../shared/base.css';
import './ticket.css';
import { TicketPage } from './TicketPage.tsx';
import { ticketLinkFromPath } from './ticket-status.ts';

render(
  <TicketPage link={ticketLinkFromPath(location.pathname)} />,
  document.getElementById('app') as HTMLElement,
);
