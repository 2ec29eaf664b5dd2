#!/usr/bin/env bash
# The fields of a notes row are written once, in plugin/portnote-row.h; the
# places that must repeat them in prose agree with it, in order:
#   - the header of data/portnotes.csv ("#   N name ...")
#   - any "# ports, transport, ..." line in README.md and docs/*.md.
# Usage: row-fields-test.sh SOURCE_DIR
set -euo pipefail
src=${1:?usage: $0 SOURCE_DIR}
python3 -I -S - "$src" <<'PY'
import glob, os, re, sys
src = sys.argv[1]
header = open(os.path.join(src, "plugin/portnote-row.h"), encoding="utf-8").read()
fields = re.findall(r"^\s*X\((\w+),", header, re.M)
if len(fields) < 10:
    sys.exit("FAIL: found only %d fields in plugin/portnote-row.h" % len(fields))

problems = []
data = os.path.join(src, "data/portnotes.csv")
numbered = []
for line in open(data, encoding="utf-8"):
    if not line.startswith("#"):
        break
    m = re.match(r"#\s+(\d+) (\w+)\s", line)
    if m:
        numbered.append((int(m.group(1)), m.group(2)))
if numbered != list(enumerate(fields, 1)):
    problems.append("data/portnotes.csv's header lists %s" % numbered)

for path in [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs/*.md"))):
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.startswith("# ports, transport,"):
            listed = [f.strip() for f in line[1:].split(",")]
            if listed != fields:
                problems.append("%s:%d lists %s" % (os.path.relpath(path, src), n, listed))

for p in problems:
    print("FAIL: %s, not portnote-row.h's %s" % (p, fields), file=sys.stderr)
if problems:
    sys.exit(1)
print("# %d fields agree in portnote-row.h, data/portnotes.csv and the docs" % len(fields))
PY
