-- Province receiver, schema version 1: what the centres of one province report upstream
-- (docs/province-receiver.md). Times sent by centres are kept as they came (ms since the epoch,
-- bigint); times the receiver stamps itself are timestamptz.

CREATE TABLE centres (
  id                 text PRIMARY KEY,
  province_id        text NOT NULL,
  first_seen_at      timestamptz NOT NULL DEFAULT now(),
  last_seen_at       timestamptz NOT NULL DEFAULT now(),
  -- birth / death (the MQTT last will); null until a status message arrives
  status             text CHECK (status IN ('online', 'offline')),
  status_at          bigint,
  status_received_at timestamptz,
  software           text
);

CREATE TABLE visit_records (
  id                   text PRIMARY KEY,
  centre_id            text NOT NULL,
  province_id          text NOT NULL,
  seq                  bigint NOT NULL,
  day                  text NOT NULL,
  ticket_id            text NOT NULL,
  leg                  integer NOT NULL,
  service_id           text NOT NULL,
  priority_class_id    text,
  appointment          boolean NOT NULL,
  source               text NOT NULL,
  issued_at            bigint NOT NULL,
  queued_at            bigint NOT NULL,
  called_at            bigint,
  started_at           bigint,
  ended_at             bigint NOT NULL,
  wait_seconds         double precision,
  service_seconds      double precision,
  counter_id           text,
  staff                text,
  recalls              integer NOT NULL,
  skips                integer NOT NULL,
  rating_level         integer,
  rating_scale_size    integer,
  rating_not_satisfied boolean,
  outcome766           text NOT NULL,
  transfer_from        text,
  transfer_to          text,
  outcome              text NOT NULL,
  raw                  jsonb NOT NULL,
  received_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_records_centre_seq ON visit_records (centre_id, seq);
CREATE INDEX visit_records_day_centre ON visit_records (day, centre_id);

-- The latest live snapshot of each centre. fresh_at is when the receiver last had news of the
-- centre: the receive time, or the snapshot's own time when it came as a retained message.
CREATE TABLE live_snapshots (
  centre_id   text PRIMARY KEY,
  at          bigint NOT NULL,
  seq         bigint NOT NULL,
  day         text NOT NULL,
  waiting     integer NOT NULL,
  longest_wait_seconds double precision NOT NULL,
  within_target_share  double precision,
  rate766     double precision,
  backlog_records integer NOT NULL,
  backlog_oldest_ended_at bigint,
  raw         jsonb NOT NULL,
  fresh_at    timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

-- One row per centre and day: the highest revision received.
CREATE TABLE daily_summaries (
  centre_id   text NOT NULL,
  day         text NOT NULL,
  revision    integer NOT NULL,
  at          bigint NOT NULL,
  last_seq    bigint NOT NULL,
  target_minutes double precision NOT NULL,
  visits      integer NOT NULL,
  tickets     integer NOT NULL,
  served      integer NOT NULL,
  within_target_share double precision,
  rate766     double precision,
  raw         jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (centre_id, day)
);

-- Every message that could not be stored, with the reason; the same bytes on the same topic are
-- kept once (a redelivery counts in `times`).
CREATE TABLE dead_letters (
  id               bigserial PRIMARY KEY,
  received_at      timestamptz NOT NULL DEFAULT now(),
  last_received_at timestamptz NOT NULL DEFAULT now(),
  times            integer NOT NULL DEFAULT 1,
  topic            text NOT NULL,
  reason           text NOT NULL,
  payload          bytea NOT NULL,
  digest           text NOT NULL UNIQUE
);
CREATE INDEX dead_letters_received ON dead_letters (received_at);
