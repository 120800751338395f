-- The token history (contract §12). Applied once, in a transaction, and recorded in
-- tokengraph_migrations (src/history/database.ts). The same SQL runs on PGlite and on a
-- PostgreSQL server (15 or later).

-- Every event tokengraph recorded, newest first by (at, id). `event_key` makes an event that
-- several replicas derive from the same part transition one row: INSERT … ON CONFLICT DO NOTHING.
CREATE TABLE token_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_key text NOT NULL,
  at timestamptz NOT NULL,
  kind text NOT NULL,
  source text NOT NULL,
  -- The token's global id; a Crafter ticket's is made from its fingerprint (its id is a session credential).
  token text NOT NULL,
  -- The id as shown: masked for Crafter access tokens and tickets.
  token_id text NOT NULL,
  name text,
  owner text,
  detail text,
  actor text,
  CONSTRAINT token_events_once UNIQUE (event_key)
);
CREATE INDEX token_events_newest ON token_events (at DESC, id DESC);
CREATE INDEX token_events_of_token ON token_events (token, at DESC, id DESC);

-- The last complete read of each inventory part: what the next read is compared with. `version`
-- goes up by one at each change; a replica moves a part on only from the version it compared
-- with (UPDATE … WHERE version = $from), so each transition, and its events, happens once.
CREATE TABLE token_part_states (
  part text PRIMARY KEY,
  source text NOT NULL,
  version bigint NOT NULL,
  read_at timestamptz NOT NULL,
  -- JSON: { "<token>": [tokenId as shown, name, owner, expiresAt, status] }
  tokens text NOT NULL
);
CREATE INDEX token_part_states_source ON token_part_states (source);

-- When each token was first seen (Token.firstSeenAt), kept while the token is listed, and for
-- TOKENGRAPH_HISTORY_DAYS after it is gone.
CREATE TABLE token_first_seen (
  token text PRIMARY KEY,
  source text NOT NULL,
  first_seen_at timestamptz NOT NULL,
  gone_at timestamptz
);
