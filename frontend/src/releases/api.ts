/** Calls to the release API: list, create and read versions, and fetch a version's report. */

import { ApiError, csrfToken, getJson, listOf, parseJson } from "../api";
import type { AgreementReport, DatasetVersion } from "./types";

export interface CreateRequest {
  version?: string;
  bump?: "major" | "minor" | "patch";
  notes?: string;
  filters: { item_ids?: number[]; annotator_ids?: number[]; review_states?: string[] };
  include_media: "none" | "original" | "proxy";
  seed: number;
  dawid_skene: boolean;
}

/** A refused creation keeps the server's error body so the form can put each message beside its field. */
export class CreateRefused extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly body: unknown,
  ) {
    super(message, status);
    this.name = "CreateRefused";
  }
}

export const versionsUrl = (projectId: string): string => `/api/projects/${projectId}/versions/`;

export async function listVersions(projectId: string): Promise<DatasetVersion[]> {
  return listOf<DatasetVersion>(await getJson(versionsUrl(projectId)));
}

export async function getVersion(versionId: string): Promise<DatasetVersion> {
  return (await getJson(`/api/versions/${versionId}/`)) as DatasetVersion;
}

export async function getReport(version: DatasetVersion): Promise<AgreementReport> {
  return (await getJson(version.report_url || `/api/versions/${version.id}/report/`)) as AgreementReport;
}

/** POST a new version; a 4xx answer becomes CreateRefused carrying the parsed body. */
export async function createVersion(projectId: string, body: CreateRequest): Promise<DatasetVersion> {
  let response: Response;
  try {
    response = await fetch(versionsUrl(projectId), {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError("Cannot reach the server. Check your connection.", 0);
  }
  const payload = parseJson(await response.text());
  if (!response.ok) {
    throw new CreateRefused(`The server answered ${response.status}.`, response.status, payload);
  }
  return payload as DatasetVersion;
}
