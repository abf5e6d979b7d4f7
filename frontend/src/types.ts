/** The shapes the REST API returns, as far as the pages use them. */

export type Role = "owner" | "manager" | "annotator" | "reviewer";

export interface Project {
  id: number;
  name: string;
  description: string;
  created_at: string;
  role: Role | null;
  asset_count: number;
  auto_prelabelers: string[];
}

/** One entry of GET /api/prelabelers/. */
export interface Prelabeler {
  name: string;
  version: string;
  description: string;
  inputs: string[];
  produces: string[];
  wants_gpu: boolean;
}

export type JobState = "queued" | "running" | "succeeded" | "failed";

export interface PrelabelJob {
  id: number;
  asset: number;
  prelabeler: string;
  version: string;
  state: JobState;
  progress: number;
  error: string;
  device: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export type AssetStatus = "received" | "probing" | "normalising" | "ready" | "failed";

export interface Asset {
  id: number;
  kind: "unknown" | "video" | "audio" | "text";
  status: AssetStatus;
  progress: number;
  failure_reason: string;
  original_name: string;
  size_bytes: number;
  duration_seconds: number | null;
  files: Record<string, string>;
  text: string;
  metadata: Record<string, unknown>;
  created_at: string;
}

export const UPLOAD_ROLES: ReadonlySet<string> = new Set(["owner", "manager"]);
export const SETTLED: ReadonlySet<AssetStatus> = new Set(["ready", "failed"]);
export const ACTIVE_JOB_STATES: ReadonlySet<JobState> = new Set(["queued", "running"]);
