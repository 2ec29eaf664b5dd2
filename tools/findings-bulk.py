#!/usr/bin/env python3
"""findings-bulk.py: findings.ndjson (tools/review.sh) for Elasticsearch or
OpenSearch.

  findings-bulk.py [--index NAME] FINDINGS.ndjson > bulk.ndjson
      the bulk API's format: per finding an action line
      {"index": {"_index": NAME, "_id": ID}} and the document line.  ID is a
      hash of the case, the capture, the conversation's filter, transport, server port,
      service and first_seen (a port reused later is another conversation with
      the same filter), so loading the same case twice replaces, not duplicates.
  findings-bulk.py --mapping
      the index mapping of these documents ("dynamic": "strict": a field the
      mapping does not know is refused, not guessed).

A document is the finding as review.sh wrote it plus "@timestamp" (first_seen
as an ISO 8601 date, for Kibana/OpenSearch Dashboards time pickers) and
"risk_level" (0 none ... 4 critical, for range queries).  Epoch seconds are
"double": a "float" (32 bits) would round today's epochs to about 2 minutes.
Standard library only.
"""
import datetime
import hashlib
import json
import sys

DEFAULT_INDEX = "portnote-findings"
RISK_LEVEL = {"none": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
# field -> Elasticsearch type; lists (categories...) are keyword arrays.
FIELDS = {
    "@timestamp": "date",
    "case": "keyword", "capture": "keyword",
    "first_seen": "double", "last_seen": "double",
    "rel_first": "double", "rel_last": "double",
    "client": "ip", "client_port": "long",
    "server": "ip", "server_port": "long",
    "transport": "keyword", "service": "keyword",
    "risk": "keyword", "risk_level": "long", "exposure": "keyword",
    "categories": "keyword", "threats": "keyword", "also_used_by": "keyword",
    "evidence": "keyword", "observed": "keyword", "tunnelled": "keyword", "finding": "keyword",
    "packets": "long", "bytes": "long",
    "filter": "keyword",
}


def mapping():
    return {"mappings": {"dynamic": "strict",
                         "properties": {name: {"type": kind} for name, kind in FIELDS.items()}}}


def document(row):
    doc = dict(row)
    doc["@timestamp"] = datetime.datetime.fromtimestamp(
        row["first_seen"], datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    doc["risk_level"] = RISK_LEVEL[row["risk"]]
    unknown = set(doc) - set(FIELDS)
    if unknown:
        sys.exit("findings-bulk: fields the mapping does not know: %s" % ", ".join(sorted(unknown)))
    return doc


def doc_id(row):
    key = "\0".join(str(row.get(k)) for k in ("case", "capture", "filter", "transport", "server_port", "service", "first_seen"))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def main(argv):
    args = argv[1:]
    if args == ["--mapping"]:
        print(json.dumps(mapping(), indent=2))
        return
    index = DEFAULT_INDEX
    if len(args) == 3 and args[0] == "--index":
        index, args = args[1], args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    out = sys.stdout
    with open(args[0], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            out.write(json.dumps({"index": {"_index": index, "_id": doc_id(row)}}) + "\n")
            out.write(json.dumps(document(row), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv)
