-- review-postgres.sql: the schema tools/review-postgres.sh loads a case
-- review into (run in the load's transaction; every statement may run again).
--
-- A capture is one row of portnote.captures, keyed by the case (review.sh
-- --case), the capture's SHA-256 and its path; its findings and services hang
-- off it (ON DELETE CASCADE), so loading a case again replaces its captures'
-- rows instead of adding a second copy.

CREATE SCHEMA IF NOT EXISTS portnote;

-- Risk levels in order (data/RUBRIC.md), for "worst" and for sorting.
CREATE TABLE IF NOT EXISTS portnote.risks (
    risk text PRIMARY KEY,
    rank smallint NOT NULL UNIQUE
);
INSERT INTO portnote.risks VALUES ('none', 0), ('low', 1), ('medium', 2), ('high', 3), ('critical', 4)
    ON CONFLICT DO NOTHING;

CREATE TABLE IF NOT EXISTS portnote.captures (
    case_id text NOT NULL,
    capture_sha256 text NOT NULL CHECK (capture_sha256 ~ '^[0-9a-f]{64}$'),
    capture text NOT NULL,
    size bigint,
    status text NOT NULL CHECK (status IN ('reviewed', 'partial', 'skipped', 'failed')),
    reason text,
    file_type text,
    packets bigint,
    first_packet timestamptz,
    last_packet timestamptz,
    findings integer,
    provenance jsonb,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, capture_sha256, capture)
);

CREATE TABLE IF NOT EXISTS portnote.findings (
    id bigserial PRIMARY KEY,
    case_id text NOT NULL,
    capture_sha256 text NOT NULL,
    capture text NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    rel_first double precision,
    rel_last double precision,
    client text NOT NULL,
    client_port integer,
    server text NOT NULL,
    server_port integer,
    transport text NOT NULL,
    service text,
    risk text NOT NULL REFERENCES portnote.risks,
    exposure text,
    categories text[] NOT NULL,
    threats text[] NOT NULL,
    also_used_by text[] NOT NULL,
    evidence text,
    observed text,
    tunnelled text,
    finding text,
    packets bigint NOT NULL,
    bytes bigint NOT NULL,
    filter text,
    FOREIGN KEY (case_id, capture_sha256, capture)
        REFERENCES portnote.captures ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS findings_capture ON portnote.findings (case_id, capture_sha256, capture);
CREATE INDEX IF NOT EXISTS findings_server ON portnote.findings (server);
CREATE INDEX IF NOT EXISTS findings_client ON portnote.findings (client);

-- One row per server service and capture, derived from the capture's
-- findings at load time (the review does not collect -z portnote,services yet).
CREATE TABLE IF NOT EXISTS portnote.services (
    case_id text NOT NULL,
    capture_sha256 text NOT NULL,
    capture text NOT NULL,
    server text NOT NULL,
    transport text NOT NULL,
    server_port integer,
    service text,
    exposure text,
    clients integer NOT NULL,
    conversations integer NOT NULL,
    packets bigint NOT NULL,
    bytes bigint NOT NULL,
    first_seen timestamptz NOT NULL,
    last_seen timestamptz NOT NULL,
    worst_risk text NOT NULL REFERENCES portnote.risks,
    observed text[] NOT NULL,
    FOREIGN KEY (case_id, capture_sha256, capture)
        REFERENCES portnote.captures ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS services_capture ON portnote.services (case_id, capture_sha256, capture);

-- The first questions across cases.
-- Worst services: one row per case and server service, worst risk first.
CREATE OR REPLACE VIEW portnote.worst_services AS
SELECT s.case_id, s.server, s.transport, s.server_port, s.service,
       (array_agg(s.worst_risk ORDER BY r.rank DESC))[1] AS worst_risk,
       max(r.rank) AS risk_rank,
       string_agg(DISTINCT s.exposure, ',') AS exposure,
       sum(s.clients)::bigint AS clients, sum(s.conversations)::bigint AS conversations,
       count(DISTINCT s.capture) AS captures,
       min(s.first_seen) AS first_seen, max(s.last_seen) AS last_seen
FROM portnote.services s JOIN portnote.risks r ON r.risk = s.worst_risk
GROUP BY s.case_id, s.server, s.transport, s.server_port, s.service
ORDER BY risk_rank DESC, conversations DESC, s.case_id, s.server, s.server_port;

-- Hosts seen in more than one case, as server or client.
CREATE OR REPLACE VIEW portnote.hosts_in_cases AS
WITH seen AS (
    SELECT case_id, server AS host, true AS as_server, false AS as_client FROM portnote.findings
    UNION
    SELECT case_id, client, false, true FROM portnote.findings)
SELECT host, count(DISTINCT case_id) AS cases,
       array_agg(DISTINCT case_id ORDER BY case_id) AS case_ids,
       bool_or(as_server) AS as_server, bool_or(as_client) AS as_client
FROM seen
GROUP BY host
HAVING count(DISTINCT case_id) > 1
ORDER BY cases DESC, host;

-- Protocol mismatches: the payload was another protocol than the port's.
CREATE OR REPLACE VIEW portnote.protocol_mismatches AS
SELECT case_id, capture, first_seen, client, server, server_port, transport,
       service, observed, risk, exposure, filter
FROM portnote.findings
WHERE finding = 'protocol-mismatch'
ORDER BY case_id, capture, first_seen, server, server_port;
