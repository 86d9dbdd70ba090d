/** JSON calls to the controller's API, with its error shape turned into one exception type. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Vietnamese, for people: what the controller says to show (every refusal has one). */
    readonly text: string | null = null,
  ) {
    super(message);
  }

  /** What to show a person: the controller's Vietnamese text, or the English message in English. */
  said(lang: 'vi' | 'en'): string {
    return lang === 'vi' && this.text ? this.text : this.message;
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
    throw new ApiError(0, 'offline', 'no connection to the controller', 'Mất kết nối với máy chủ');
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) {
    const error = (json.error ?? {}) as { code?: string; message?: string; text?: string };
    throw new ApiError(
      res.status,
      error.code ?? 'error',
      error.message ?? res.statusText,
      error.text ?? null,
    );
  }
  return json as T;
}

/** What to show a person for a failed call: the controller's Vietnamese text, English on request. */
export function errorSaid(error: unknown, t: (vi: string, en: string) => string): string {
  if (!(error instanceof ApiError)) return String(error);
  return t(error.text ?? error.message, error.message);
}

/**
 * A request id for commands, so a retried click never does the thing twice. crypto.randomUUID
 * exists only on secure pages (HTTPS or localhost); screens on the centre's LAN are plain HTTP.
 */
export function requestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
