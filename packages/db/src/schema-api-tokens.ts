// The API token table (migration 016).

export type ApiTokensTable = {
  id: string;
  user_id: string;
  name: string;
  role: string;
  /** `npt_` + the token's public id, unique: the console shows it, authentication finds the row by it. */
  prefix: string;
  /** HMAC-SHA-256 (hex) of the secret part; the secret itself is never stored. */
  hash: string;
  created_at: number;
  expires_at: number;
  last_used_at: number | null;
  last_used_ip: string | null;
  /** When the last `tokens.use` audit row was written (at most one per token per interval). */
  use_audited_at: number | null;
  revoked_at: number | null;
};

export type ApiTokenTables = { api_tokens: ApiTokensTable };
