#!/usr/bin/env bash
# Prints an Elasticsearch/OpenSearch mapping for every portnote.* field, for
# indexing `tshark -T ek` output.  tshark's own `-G elastic-mapping` (4.0)
# leaves string fields out, and its mapping is "dynamic": false, so they
# would not be searchable; this adds them as keyword fields.
#   usage: tools/elastic-mapping.sh [FIELDS_FILE]
# FIELDS_FILE is saved `tshark -G fields` output (default: run tshark now).
set -euo pipefail

if [ $# -gt 0 ]; then cat "$1"; else tshark -G fields; fi | awk -F'\t' '
    $1 == "F" && $3 ~ /^portnote\./ && $4 != "FT_NONE" {   # not the Expert Info markers
        name = $3; gsub(/\./, "_", name)
        type = ($4 == "FT_UINT16") ? "integer" : ($4 == "FT_UINT8") ? "short" : "keyword"
        props = props (props ? "," : "") "\n            \"portnote_" name "\": {\"type\": \"" type "\"}"
    }
    END {
        print "{\n  \"mappings\": {\n    \"dynamic\": false,\n    \"properties\": {"
        print "      \"timestamp\": {\"type\": \"date\"},"
        print "      \"layers\": {\"properties\": {\"portnote\": {\"properties\": {" props
        print "      }}}}\n    }\n  }\n}"
    }'
