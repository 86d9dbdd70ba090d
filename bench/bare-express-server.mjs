/**
 * The HTTP benchmark's floor (bench/http-issue.ts), in its own process as the controller is: an
 * express 5 app parsing the same JSON body and answering 201 with a ticket-sized JSON reply (no
 * validation, no engine, no disk). Prints its port on stdout once it listens; stops on SIGTERM.
 */
import express from 'express';

const app = express();
app.use(express.json());
let n = 0;
app.post('/api/tickets', (req, res) => {
  n++;
  res.status(201).json({ ticket: { id: `2026-12-05:${n}`, serviceId: req.body?.serviceId } });
});
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
