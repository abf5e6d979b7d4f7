/** The shapes the REST API returns, as far as the pages use them. */

export type Role = "owner" | "manager" | "annotator" | "reviewer";

export interface Project {
  id: number;
  name: string;
  description: string;
  created_at: string;
  role: Role | null;
  asset_count: number;
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
