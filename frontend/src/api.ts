/** JSON calls to the REST API with the session cookie and Django's CSRF token. */

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export function csrfToken(): string {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === "csrftoken") return decodeURIComponent(rest.join("="));
  }
  return "";
}

/**
 * A person-readable message from a DRF error body: `detail`, or each field's
 * errors ("name: This field is required."). Fields listed in `unlabelled`
 * are shown without their name because the context already says it.
 */
export function errorMessage(body: unknown, fallback: string, unlabelled: string[] = []): string {
  if (typeof body === "string" && body.trim()) return body.trim();
  if (Array.isArray(body)) return body.map((item) => errorMessage(item, fallback, unlabelled)).join(" ");
  if (body === null || typeof body !== "object") return fallback;
  const record = body as Record<string, unknown>;
  if (typeof record.detail === "string") return record.detail;
  const parts: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    const text = errorMessage(value, "", unlabelled);
    if (!text) continue;
    const quiet = field === "non_field_errors" || field === "detail" || unlabelled.includes(field);
    parts.push(quiet ? text : `${field}: ${text}`);
  }
  return parts.length ? parts.join(" ") : fallback;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** List endpoints may be paginated ({results: [...]}) or plain arrays; accept both. */
export function listOf<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  if (body && typeof body === "object" && Array.isArray((body as { results?: unknown }).results)) {
    return (body as { results: T[] }).results;
  }
  throw new ApiError("The server sent an unexpected answer.", 0);
}

export interface ProblemItem {
  path: string;
  message: string;
}

/**
 * A non-2xx answer. `message` is the one line the plain helpers below show; forms that point
 * at the faulty part (review verdicts, gold items, schema publishing) read the parsed `body`.
 */
export class Refused extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly body: unknown,
  ) {
    super(message, status);
    this.name = "Refused";
  }

  /** The `errors` list of the body (path + message per problem), or none. */
  get problems(): ProblemItem[] {
    const errors = (this.body as { errors?: unknown } | null)?.errors;
    if (!Array.isArray(errors)) return [];
    return errors
      .filter((e): e is Record<string, unknown> => e !== null && typeof e === "object")
      .map((e) => ({ path: String(e.path ?? ""), message: String(e.message ?? "") }));
  }

  /** Schema publishing: the removed or renamed ids that need a class mapping. */
  get unmapped(): string[] {
    const unmapped = (this.body as { unmapped?: unknown } | null)?.unmapped;
    return Array.isArray(unmapped) ? unmapped.map(String) : [];
  }
}

export interface Sent {
  status: number;
  body: unknown;
}

/**
 * Sends `body` as JSON. An empty answer reads as `null`; a non-2xx answer throws `Refused`
 * with one readable message and the parsed error body.
 */
export async function sendJson(method: string, url: string, body?: unknown): Promise<Sent> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError("Cannot reach the server. Check your connection.", 0);
  }
  const text = await response.text();
  const payload = text ? parseJson(text) : null;
  if (!response.ok) {
    throw new Refused(errorMessage(payload, `The server answered ${response.status}.`), response.status, payload);
  }
  return { status: response.status, body: payload };
}

/** A person-readable message for anything a call threw. */
export function failureText(caught: unknown, fallback: string): string {
  return caught instanceof ApiError ? caught.message : fallback;
}

async function request(method: string, url: string, body?: unknown): Promise<unknown> {
  return (await sendJson(method, url, body)).body;
}

export const getJson = (url: string): Promise<unknown> => request("GET", url);
export const postJson = (url: string, body: unknown): Promise<unknown> => request("POST", url, body);
export const patchJson = (url: string, body: unknown): Promise<unknown> => request("PATCH", url, body);
export const putJson = (url: string, body: unknown): Promise<unknown> => request("PUT", url, body);
