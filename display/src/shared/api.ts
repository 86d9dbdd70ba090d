/** JSON calls to the controller's API, with its error shape turned into one exception type. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'offline', 'no connection to the controller');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const error = (json.error ?? {}) as { code?: string; message?: string };
    throw new ApiError(res.status, error.code ?? 'error', error.message ?? res.statusText);
  }
  return json as T;
}

/**
 * A request id for commands, so a retried click never does the thing twice. crypto.randomUUID
 * exists only on secure pages (HTTPS or localhost); screens on the centre's LAN are plain HTTP.
 */
export function requestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
