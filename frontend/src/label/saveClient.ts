/** One PUT of an annotation revision, with its Idempotency-Key, reporting every outcome as data. */

import { csrfToken, errorMessage, parseJson } from "../api";
import type { Revision, Values } from "./types";

export interface SaveRequest {
  base: number | null;
  values: Values;
  submit: boolean;
  key: string;
}

export type SaveOutcome =
  | { kind: "saved"; revision: Revision; state: string }
  | { kind: "stale"; latest: Revision | null; message: string }
  | { kind: "rejected"; message: string; errors: { path: string; message: string }[] }
  | { kind: "refused"; message: string }
  | { kind: "retry"; message: string };

export function annotationUrl(assignmentId: number): string {
  return `/api/assignments/${assignmentId}/annotation/`;
}

export function newKey(): string {
  return crypto.randomUUID();
}

export async function putRevision(assignmentId: number, request: SaveRequest): Promise<SaveOutcome> {
  let response: Response;
  try {
    response = await fetch(annotationUrl(assignmentId), {
      method: "PUT",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/json",
        "X-CSRFToken": csrfToken(),
        "Idempotency-Key": request.key,
      },
      body: JSON.stringify({ base_revision: request.base, values: request.values, submit: request.submit }),
    });
  } catch {
    return { kind: "retry", message: "Cannot reach the server; your changes are kept and will be sent." };
  }
  const body = parseJson(await response.text()) as Record<string, unknown> | string;
  const record = typeof body === "object" && body !== null ? body : {};
  if (response.status === 200 || response.status === 201) {
    return { kind: "saved", revision: record.revision as Revision, state: String(record.assignment_state ?? "") };
  }
  const message = errorMessage(body, `The server answered ${response.status}.`);
  if (response.status === 409 && "latest" in record) {
    return { kind: "stale", latest: (record.latest as Revision | null) ?? null, message };
  }
  if (response.status === 400 && Array.isArray(record.errors)) {
    return { kind: "rejected", message, errors: record.errors as { path: string; message: string }[] };
  }
  if (response.status >= 500 || response.status === 429 || response.status === 408) {
    return { kind: "retry", message: "The server could not save just now; retrying." };
  }
  return { kind: "refused", message };
}
