import http, { type IncomingHttpHeaders } from 'node:http';

export interface THttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON when the response says it is JSON (undefined otherwise, or when it does not parse). */
  json: unknown;
}

export interface THttpRequest {
  method?: string;
  /** Sent as written: encode what needs encoding. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** The loopback address to connect from; by default each request takes the next one. */
  from?: string;
}

let nextAddress = 0;
/**
 * Each request comes from another loopback address (127.0.0.2 … 127.0.0.254), so per-address rate limits (600 a
 * minute on the dashboard, 10 on sign-in) do not turn a property run into 429s.
 */
const localAddress = (): string => `127.0.0.${2 + (nextAddress++ % 253)}`;

/** One HTTP/1.1 request on its own connection, with nothing done to the path or body (unlike fetch). */
export function httpRequest(baseUrl: string, request: THttpRequest): Promise<THttpResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method ?? 'GET',
        path: request.path,
        headers: {
          connection: 'close',
          ...request.headers,
          ...(request.body !== undefined ? { 'content-length': String(Buffer.byteLength(request.body)) } : {}),
        },
        localAddress: request.from ?? localAddress(),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          if (/json/.test(String(response.headers['content-type']))) {
            try {
              json = JSON.parse(text);
            } catch {
              json = undefined;
            }
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
      },
    );
    outgoing.on('error', reject);
    if (request.body !== undefined) outgoing.write(request.body);
    outgoing.end();
  });
}

/** `a=1&b=x&b=y` from a form: arrays repeat the field, as browsers send checkboxes. */
export function formBody(fields: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(name, String(item));
  }
  return params.toString();
}

/** Every route the server declares, as `METHOD /path` (HEAD left out), read from Fastify's route tree. */
export function declaredRoutes(printed: string): string[] {
  const routes: string[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│├└─\s]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line) ?? /^([│├└─\s]*)(\S.*)$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length;
    while (stack.length && stack.at(-1)!.depth >= depth) stack.pop();
    const path = `${stack.at(-1)?.path ?? ''}${match[2]!}`.replace(/^\/\//, '/');
    stack.push({ depth, path });
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter((m) => m && m !== 'HEAD')) {
      // `/:contractId|:id`: two routes share the segment under different parameter names.
      routes.push(`${method} ${path.replace(/:(\w+)\|:\w+/g, ':$1')}`);
    }
  }
  return [...new Set(routes)].sort();
}
