#!/usr/bin/env python3
"""review-postgres.py REVIEW_DIR WORK_DIR: checks a review's outputs and
prepares their load into PostgreSQL for tools/review-postgres.sh.

Reads REVIEW_DIR/captures.ndjson and REVIEW_DIR/findings.ndjson (written by
tools/review.sh) and writes into WORK_DIR captures.csv and findings.csv (for
COPY) and load.sql (the statements that replace the cases' captures, run after
review-postgres.sql in one transaction).

Every line must be a whole JSON object with exactly the known columns and
values of the right type; the first bad line stops everything with
"FILE:LINE: reason" on stderr and exit status 1, so a load is never partial.
Standard library only.
"""
import datetime
import json
import os
import sys

NUMBER = (int, float)
TEXT_LIST = "list of text"
# Column name -> (accepted types, required).  None is accepted where the
# review writes null (a finding with no anomaly, a capture with no packets).
CAPTURE_COLUMNS = {
    "case": (str, True), "capture": (str, True), "sha256": (str, True),
    "size": (int, True), "status": (str, True), "reason": ((str, type(None)), True),
    "file_type": ((str, type(None)), True), "packets": ((int, type(None)), True),
    "first_packet": (NUMBER + (type(None),), True), "last_packet": (NUMBER + (type(None),), True),
    "findings": (int, True), "provenance": (dict, True)}
FINDING_COLUMNS = {
    "case": (str, True), "capture": (str, True),
    "first_seen": (NUMBER, True), "last_seen": (NUMBER, True),
    "rel_first": (NUMBER, True), "rel_last": (NUMBER, True),
    "client": (str, True), "client_port": ((int, type(None)), True),
    "server": (str, True), "server_port": ((int, type(None)), True),
    "transport": (str, True), "service": ((str, type(None)), True), "risk": (str, True),
    "exposure": ((str, type(None)), False), "categories": (TEXT_LIST, True),
    "threats": (TEXT_LIST, True), "also_used_by": (TEXT_LIST, True),
    "evidence": ((str, type(None)), True), "observed": ((str, type(None)), True),
    "tunnelled": ((str, type(None)), False),
    "finding": ((str, type(None)), True), "packets": (int, True), "bytes": (int, True),
    "filter": ((str, type(None)), True)}
FINDINGS_COPY = ["case", "sha256", "capture", "first_seen", "last_seen", "rel_first", "rel_last",
                 "client", "client_port", "server", "server_port", "transport", "service",
                 "risk", "exposure", "categories", "threats", "also_used_by", "evidence",
                 "observed", "tunnelled", "finding", "packets", "bytes", "filter"]
CAPTURES_COPY = ["case", "sha256", "capture", "size", "status", "reason", "file_type",
                 "packets", "first_packet", "last_packet", "findings", "provenance"]
TIMES = {"first_seen", "last_seen", "first_packet", "last_packet"}


class BadInput(Exception):
    """A line that cannot be loaded, as "FILE:LINE: reason"."""


def type_ok(value, accepted):
    if accepted == TEXT_LIST:
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if isinstance(value, bool):      # JSON true/false is not a number here
        return False
    return isinstance(value, accepted)


def read_rows(path, columns):
    """The file's rows, each checked against columns; raises BadInput."""
    rows = []
    with open(path, encoding="utf-8", errors="strict") as f:
        for number, line in enumerate(f, 1):
            where = "%s:%d" % (path, number)
            if not line.strip():
                continue
            if not line.endswith("\n"):
                raise BadInput("%s: the last line is cut off (no end of line)" % where)
            try:
                row = json.loads(line)
            except ValueError as e:
                raise BadInput("%s: not a JSON object (%s)" % (where, e))
            if not isinstance(row, dict):
                raise BadInput("%s: not a JSON object" % where)
            unknown = sorted(set(row) - set(columns))
            if unknown:
                raise BadInput("%s: unknown column %s (expected: %s)"
                               % (where, ", ".join(unknown), ", ".join(columns)))
            missing = [c for c, (_, required) in columns.items() if required and c not in row]
            if missing:
                raise BadInput("%s: missing column %s" % (where, ", ".join(missing)))
            for name, value in row.items():
                accepted = columns[name][0]
                if not type_ok(value, accepted):
                    raise BadInput("%s: column %s has %s, not %s"
                                   % (where, name, json.dumps(value)[:60], type_name(accepted)))
            rows.append(row)
    return rows


def type_name(accepted):
    if accepted == TEXT_LIST:
        return accepted
    names = [t.__name__ for t in (accepted if isinstance(accepted, tuple) else (accepted,))]
    return " or ".join({"str": "text", "int": "integer", "float": "number",
                        "NoneType": "null", "dict": "object"}.get(n, n) for n in names)


def pg_array(values):
    """A PostgreSQL text[] literal."""
    return "{" + ",".join('"%s"' % v.replace("\\", "\\\\").replace('"', '\\"')
                          for v in values) + "}"


def csv_value(name, value):
    """One value as PostgreSQL reads it (None stays None: NULL)."""
    if value is None:
        return None
    if name in TIMES:
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).isoformat()
    if isinstance(value, list):
        return pg_array(value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True)
    return value


def csv_field(value):
    """A CSV field for COPY ... (FORMAT csv, NULL '\\N'): text always quoted,
    so only an unquoted \\N is NULL."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return repr(value)


def write_csv(path, rows, columns):
    with open(path, "w", encoding="utf-8", newline="") as f:
        for row in rows:
            f.write(",".join(csv_field(csv_value(c, row.get(c))) for c in columns) + "\n")


def sql_text(text):
    return "'" + text.replace("'", "''") + "'"


def load_sql(work):
    """Replaces the loaded captures' rows: the stage tables, the deletes by
    (case, capture hash), the inserts and the derived services."""
    columns = ("case_id, capture_sha256, capture, first_seen, last_seen, rel_first, rel_last, "
               "client, client_port, server, server_port, transport, service, risk, exposure, "
               "categories, threats, also_used_by, evidence, observed, tunnelled, finding, packets, bytes, "
               "filter")
    capture_columns = ("case_id, capture_sha256, capture, size, status, reason, file_type, "
                       "packets, first_packet, last_packet, findings, provenance")
    return """\
LOCK TABLE portnote.captures IN SHARE ROW EXCLUSIVE MODE;
CREATE TEMP TABLE stage_captures (LIKE portnote.captures INCLUDING DEFAULTS) ON COMMIT DROP;
CREATE TEMP TABLE stage_findings (LIKE portnote.findings INCLUDING DEFAULTS) ON COMMIT DROP;
\\copy stage_captures (%(capture_columns)s) FROM %(captures)s WITH (FORMAT csv, NULL '\\N')
\\copy stage_findings (%(columns)s) FROM %(findings)s WITH (FORMAT csv, NULL '\\N')
DELETE FROM portnote.captures c USING (SELECT DISTINCT case_id, capture_sha256 FROM stage_captures) s
    WHERE c.case_id = s.case_id AND c.capture_sha256 = s.capture_sha256;
INSERT INTO portnote.captures (%(capture_columns)s)
    SELECT %(capture_columns)s FROM stage_captures;
INSERT INTO portnote.findings (%(columns)s) SELECT %(columns)s FROM stage_findings;
INSERT INTO portnote.services
SELECT f.case_id, f.capture_sha256, f.capture, f.server, f.transport, f.server_port, f.service,
       f.exposure, count(DISTINCT f.client), count(*), sum(f.packets), sum(f.bytes),
       min(f.first_seen), max(f.last_seen),
       (array_agg(f.risk ORDER BY r.rank DESC))[1],
       coalesce(array_agg(DISTINCT f.observed) FILTER (WHERE f.observed IS NOT NULL), '{}')
FROM stage_findings f JOIN portnote.risks r ON r.risk = f.risk
GROUP BY f.case_id, f.capture_sha256, f.capture, f.server, f.transport, f.server_port,
         f.service, f.exposure;
SELECT (SELECT count(*) FROM stage_captures) AS captures,
       (SELECT count(*) FROM stage_findings) AS findings;
""" % {"columns": columns, "capture_columns": capture_columns,
       "captures": sql_text(os.path.join(work, "captures.csv")),
       "findings": sql_text(os.path.join(work, "findings.csv"))}


def prepare(review, work):
    captures = read_rows(os.path.join(review, "captures.ndjson"), CAPTURE_COLUMNS)
    findings = read_rows(os.path.join(review, "findings.ndjson"), FINDING_COLUMNS)
    sha = {}
    for row in captures:
        sha[(row["case"], row["capture"])] = row["sha256"]
    for number, row in enumerate(findings, 1):
        key = (row["case"], row["capture"])
        if key not in sha:
            raise BadInput("%s: finding %d: capture %s of case %s is not in captures.ndjson"
                           % (os.path.join(review, "findings.ndjson"), number, key[1], key[0]))
        row["sha256"] = sha[key]
    write_csv(os.path.join(work, "captures.csv"), captures, CAPTURES_COPY)
    write_csv(os.path.join(work, "findings.csv"), findings, FINDINGS_COPY)
    with open(os.path.join(work, "load.sql"), "w", encoding="utf-8") as f:
        f.write(load_sql(work))
    return len(captures), len(findings)


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    try:
        prepare(argv[1], argv[2])
    except (BadInput, OSError, UnicodeDecodeError) as e:
        print("review-postgres: %s; nothing loaded" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
