export interface HttpResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A tiny JSON client for tests: real HTTP against the app's ephemeral port. The base URL may be a
 * function, read at each request, for a client made before its instance has started.
 */
export function httpClient(baseUrl: string | (() => string)) {
  const base = typeof baseUrl === 'string' ? () => baseUrl : baseUrl;
  async function request<T = any>(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string | Buffer } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | Buffer | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const res = await fetch(base() + path, { method, headers, body });
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, headers: res.headers, body: (type.includes('json') && text ? JSON.parse(text) : text) as T };
  }
  return {
    request,
    get: <T = any>(path: string, token?: string, headers?: Record<string, string>) => request<T>('GET', path, { token, headers }),
    post: <T = any>(path: string, body?: unknown, token?: string, headers?: Record<string, string>) => request<T>('POST', path, { body, token, headers }),
    put: <T = any>(path: string, body?: unknown, token?: string) => request<T>('PUT', path, { body, token }),
    patch: <T = any>(path: string, body?: unknown, token?: string) => request<T>('PATCH', path, { body, token }),
    delete: <T = any>(path: string, token?: string) => request<T>('DELETE', path, { token }),
  };
}
export type HttpClient = ReturnType<typeof httpClient>;
