import { createServer } from 'node:net';

/**
 * A TCP port on `host` that nobody listens on right now (the kernel picks it).
 * Another process may take it before the caller binds it, so callers retry on
 * `EADDRINUSE`.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('freePort: no port was assigned'))));
    });
  });
}
