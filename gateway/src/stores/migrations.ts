/**
 * Schema versions, oldest first. Never edit a shipped entry: append a new one, because
 * databases in the field are at every version and `user_version` says which have run.
 */
export const migrations: string[] = [
  `
  CREATE TABLE images (
    sha256 TEXT PRIMARY KEY,
    media_type TEXT NOT NULL,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE cache_entries (
    key TEXT NOT NULL,
    sample INTEGER NOT NULL,
    answer TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template_sha256 TEXT NOT NULL,
    components TEXT NOT NULL,
    image_sha256 TEXT,
    request_id TEXT NOT NULL,
    run TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (key, sample)
  ) WITHOUT ROWID;
  CREATE INDEX cache_entries_run ON cache_entries (run);
  CREATE INDEX cache_entries_template ON cache_entries (template_id, provider);

  CREATE TABLE requests (
    id TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    run TEXT,
    tags TEXT,
    template TEXT,
    template_sha256 TEXT,
    provider TEXT,
    model TEXT,
    cache TEXT,
    cache_key TEXT,
    method TEXT,
    latency_ms REAL NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    upstream_calls INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL,
    error_code TEXT,
    error_message TEXT,
    token_name TEXT,
    prompt TEXT,
    image_sha256 TEXT,
    result TEXT
  ) WITHOUT ROWID;
  CREATE INDEX requests_time ON requests (time DESC, id DESC);
  CREATE INDEX requests_run ON requests (run, time DESC);
  CREATE INDEX requests_provider ON requests (provider, time DESC);

  CREATE TABLE upstream_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    url TEXT,
    request_body TEXT,
    status INTEGER,
    headers TEXT,
    response_body TEXT,
    error_kind TEXT,
    error_message TEXT
  );
  CREATE INDEX upstream_calls_request ON upstream_calls (request_id);
  `,
  // 2: hits store no prompt; reading one looks up the prompt of the miss that filled its key.
  `
  CREATE INDEX requests_prompt_by_cache_key ON requests (cache_key) WHERE prompt IS NOT NULL;
  `,
  // 3: requests and cache entries become rowid tables. Their rows (1-3 KB: prompts, results,
  // answers) are larger than the ~1 KB a WITHOUT ROWID row keeps in its page, so each spilled
  // into an overflow page: the file grew by ~6.7 KB a request, two-thirds of it empty, and every
  // commit wrote those pages. A rowid table keeps up to ~4 KB in the page.
  `
  CREATE TABLE requests_v3 (
    id TEXT PRIMARY KEY,
    time INTEGER NOT NULL,
    run TEXT,
    tags TEXT,
    template TEXT,
    template_sha256 TEXT,
    provider TEXT,
    model TEXT,
    cache TEXT,
    cache_key TEXT,
    method TEXT,
    latency_ms REAL NOT NULL,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    upstream_calls INTEGER NOT NULL DEFAULT 0,
    status INTEGER NOT NULL,
    error_code TEXT,
    error_message TEXT,
    token_name TEXT,
    prompt TEXT,
    image_sha256 TEXT,
    result TEXT
  );
  INSERT INTO requests_v3 SELECT * FROM requests ORDER BY time, id;
  DROP TABLE requests;
  ALTER TABLE requests_v3 RENAME TO requests;
  CREATE INDEX requests_time ON requests (time DESC, id DESC);
  CREATE INDEX requests_run ON requests (run, time DESC);
  CREATE INDEX requests_provider ON requests (provider, time DESC);
  CREATE INDEX requests_prompt_by_cache_key ON requests (cache_key) WHERE prompt IS NOT NULL;

  CREATE TABLE cache_entries_v3 (
    key TEXT NOT NULL,
    sample INTEGER NOT NULL,
    answer TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    template_id TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template_sha256 TEXT NOT NULL,
    components TEXT NOT NULL,
    image_sha256 TEXT,
    request_id TEXT NOT NULL,
    run TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (key, sample)
  );
  INSERT INTO cache_entries_v3 SELECT * FROM cache_entries ORDER BY created_at;
  DROP TABLE cache_entries;
  ALTER TABLE cache_entries_v3 RENAME TO cache_entries;
  CREATE INDEX cache_entries_run ON cache_entries (run);
  CREATE INDEX cache_entries_template ON cache_entries (template_id, provider);
  `,
  // 4: a hit's row references the entry it served (cache_key, served_sample) instead of copying
  // the answer into result: ~1.2 KB a hit became a few hundred bytes.
  `
  ALTER TABLE requests ADD COLUMN served_sample INTEGER;
  `,
  // 5: GET /v1/cache/stats counted the whole table on every call, which a trainer polling it each
  // update made quadratic; triggers keep the totals in one row, in the same transaction as the
  // write. Writers upsert instead of INSERT OR REPLACE, whose implicit delete fires no trigger.
  `
  CREATE TABLE cache_totals (
    id INTEGER PRIMARY KEY CHECK (id = 0),
    entries INTEGER NOT NULL,
    keys INTEGER NOT NULL,
    bytes INTEGER NOT NULL
  );
  INSERT INTO cache_totals
    SELECT 0, count(*), count(DISTINCT key), coalesce(sum(length(answer) + length(components)), 0)
    FROM cache_entries;
  CREATE TRIGGER cache_totals_insert AFTER INSERT ON cache_entries BEGIN
    UPDATE cache_totals SET
      entries = entries + 1,
      keys = keys + NOT EXISTS (SELECT 1 FROM cache_entries WHERE key = NEW.key AND sample <> NEW.sample),
      bytes = bytes + length(NEW.answer) + length(NEW.components);
  END;
  CREATE TRIGGER cache_totals_delete AFTER DELETE ON cache_entries BEGIN
    UPDATE cache_totals SET
      entries = entries - 1,
      keys = keys - NOT EXISTS (SELECT 1 FROM cache_entries WHERE key = OLD.key),
      bytes = bytes - length(OLD.answer) - length(OLD.components);
  END;
  CREATE TRIGGER cache_totals_update AFTER UPDATE OF answer, components ON cache_entries BEGIN
    UPDATE cache_totals SET
      bytes = bytes - length(OLD.answer) - length(OLD.components) + length(NEW.answer) + length(NEW.components);
  END;
  `,
];
