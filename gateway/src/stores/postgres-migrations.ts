/**
 * PostgreSQL schema versions, oldest first; the same tables and columns as SQLite's, so rows copy
 * between backends unchanged. Never edit a shipped entry: append one. Times are milliseconds since
 * the epoch as `double precision`, which reads back as a JavaScript number.
 */
export const postgresMigrations: string[] = [
  `
  CREATE TABLE images (
    sha256 text PRIMARY KEY,
    media_type text NOT NULL,
    bytes bytea NOT NULL,
    created_at double precision NOT NULL
  );

  CREATE TABLE cache_entries (
    key text NOT NULL,
    sample integer NOT NULL,
    answer text NOT NULL,
    provider text NOT NULL,
    model text NOT NULL,
    template_id text NOT NULL,
    template_version integer NOT NULL,
    template_sha256 text NOT NULL,
    components text NOT NULL,
    image_sha256 text,
    request_id text NOT NULL,
    run text,
    created_at double precision NOT NULL,
    PRIMARY KEY (key, sample)
  );
  CREATE INDEX cache_entries_run ON cache_entries (run);
  CREATE INDEX cache_entries_template ON cache_entries (template_id, created_at DESC);

  CREATE TABLE requests (
    id text PRIMARY KEY,
    time double precision NOT NULL,
    run text,
    tags text,
    template text,
    template_sha256 text,
    provider text,
    model text,
    cache text,
    cache_key text,
    method text,
    latency_ms double precision NOT NULL,
    input_tokens integer NOT NULL DEFAULT 0,
    output_tokens integer NOT NULL DEFAULT 0,
    upstream_calls integer NOT NULL DEFAULT 0,
    status integer NOT NULL,
    error_code text,
    error_message text,
    token_name text,
    prompt text,
    image_sha256 text,
    result text
  );
  CREATE INDEX requests_time ON requests (time DESC, id DESC);
  CREATE INDEX requests_run ON requests (run, time DESC);
  CREATE INDEX requests_provider ON requests (provider, time DESC);
  CREATE INDEX requests_prompt_by_cache_key ON requests (cache_key) WHERE prompt IS NOT NULL;

  CREATE TABLE upstream_calls (
    id bigserial PRIMARY KEY,
    request_id text NOT NULL,
    attempt integer NOT NULL,
    provider text NOT NULL,
    model text NOT NULL,
    started_at double precision NOT NULL,
    duration_ms double precision NOT NULL,
    url text,
    request_body text,
    status integer,
    headers text,
    response_body text,
    error_kind text,
    error_message text
  );
  CREATE INDEX upstream_calls_request ON upstream_calls (request_id);
  `,
  // 2: as SQLite's migration 4: a hit's row references the entry it served.
  `
  ALTER TABLE requests ADD COLUMN served_sample integer;
  `,
];
