/**
 * JSON calls that keep the error body. The shared `api.ts` helpers turn a refusal into one
 * message; review and setup forms also need the `errors` list (a JSON path per problem) and the
 * `unmapped` ids of a schema change, so a refusal here comes back as a `Refused` carrying the body.
 */

import { ApiError, csrfToken, errorMessage, parseJson } from "../api";

export interface ProblemItem {
  path: string;
  message: string;
}

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

/** Sends `body` as JSON; a non-2xx answer throws `Refused` with the parsed error body. */
export async function sendJson(method: string, url: string, body?: unknown): Promise<Sent> {
  const headers: Record<string, string> = { Accept: "application/json", "X-CSRFToken": csrfToken() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
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
