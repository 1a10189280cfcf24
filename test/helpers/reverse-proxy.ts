import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TReverseProxy {
  /** Where clients reach the proxy. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A reverse proxy on 127.0.0.1 in front of `upstream`, as the district's TLS proxy sits in front of the server: it
 * appends the client's address to X-Forwarded-For, sets X-Forwarded-Proto, and replaces Host with the upstream's
 * (nginx's default), so the server sees every request come from 127.0.0.1 for its own address.
 */
export async function startReverseProxy(upstream: string): Promise<TReverseProxy> {
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const forwardedFor = [request.headers['x-forwarded-for'], request.socket.remoteAddress].filter(Boolean).join(', ');
    const outgoing = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: { ...request.headers, host: target.host, 'x-forwarded-for': forwardedFor, 'x-forwarded-proto': 'http' },
        localAddress: '127.0.0.1',
        agent: false,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    outgoing.on('error', () => response.writeHead(502).end('Bad gateway'));
    request.pipe(outgoing);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
