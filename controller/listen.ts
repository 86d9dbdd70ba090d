/** Binding a server to its port, turning "address in use" into a message that names the setting. */
import type { Server } from 'node:net';

export class StartupError extends Error {
  override name = 'StartupError';
}

export function listen(server: Server, port: number, host: string, setting: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new StartupError(`port ${port} on ${host} is already in use; set ${setting} to a free port`));
      } else if (error.code === 'EACCES') {
        reject(
          new StartupError(`not allowed to listen on port ${port}; set ${setting} to a port above 1023`),
        );
      } else reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
