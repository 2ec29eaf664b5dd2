#!/usr/bin/env python3
"""review-report.py NDJSON OUT.html [--failures FAILURES.tsv]

One self-contained HTML page from the findings of tools/review.sh (or of
one `tshark -z portnote,findings` run with "capture" added): totals by risk,
the riskiest servers and their ports, findings over time (an inline SVG drawn
here), and a sortable, filterable table of the findings.  No network access:
no external script, font or image.  The findings are embedded as JSON in a
<script type="application/json"> block ("</" written "<\\/" so that data
cannot close the block) and the page's script inserts every value with
textContent, never as HTML.

The table's initial state comes from the URL's hash: #sort=COLUMN (descending:
#sort=-COLUMN) and #filter=TEXT (both: #sort=server_port&filter=telnet).  By
default rows with a payload finding come first, then by risk, worst first.
Standard library only.
"""
import datetime
import html
import json
import sys

RISKS = ["critical", "high", "medium", "low", "none"]
RISK_COLOURS = {"critical": "#7b1fa2", "high": "#d32f2f", "medium": "#f57c00",
                "low": "#fbc02d", "none": "#9e9e9e"}


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_failures(path):
    failures = []
    if path:
        try:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    capture, _, reason = line.rstrip("\n").partition("\t")
                    failures.append({"capture": capture, "reason": reason})
        except FileNotFoundError:
            pass
    return failures


def e(text):
    return html.escape(str(text), quote=True)


def totals_table(rows):
    out = ["<table class='small'><tr><th>risk</th><th>findings</th><th>packets</th>"
           "<th>bytes</th><th>servers</th></tr>"]
    for risk in RISKS:
        sel = [r for r in rows if r["risk"] == risk]
        out.append("<tr><td><span class='risk %s'>%s</span></td><td>%d</td><td>%d</td>"
                   "<td>%d</td><td>%d</td></tr>"
                   % (risk, risk, len(sel), sum(r["packets"] for r in sel),
                      sum(r["bytes"] for r in sel), len({r["server"] for r in sel})))
    mismatches = sum(1 for r in rows if r.get("finding"))
    out.append("</table><p>%d findings in %d captures; %d with a payload finding "
               "(protocol mismatch or non-standard port).</p>"
               % (len(rows), len({r.get("capture") for r in rows}), mismatches))
    return "".join(out)


def top_servers(rows, limit=15):
    """Servers by their worst risk, then findings: ports with service names."""
    servers = {}
    for r in rows:
        s = servers.setdefault(r["server"], {"rank": 99, "ports": {}, "findings": 0, "packets": 0})
        s["rank"] = min(s["rank"], RISKS.index(r["risk"]) if r["risk"] in RISKS else 98)
        s["ports"]["%s/%s %s" % (r["server_port"], r["transport"], r["service"])] = True
        s["findings"] += 1
        s["packets"] += r["packets"]
    order = sorted(servers.items(), key=lambda kv: (kv[1]["rank"], -kv[1]["findings"], kv[0]))
    out = ["<table class='small' id='servers'><tr><th>server</th><th>worst risk</th>"
           "<th>findings</th><th>packets</th><th>ports</th></tr>"]
    for server, s in order[:limit]:
        risk = RISKS[s["rank"]] if s["rank"] < len(RISKS) else "?"
        out.append("<tr><td>%s</td><td><span class='risk %s'>%s</span></td><td>%d</td>"
                   "<td>%d</td><td>%s</td></tr>"
                   % (e(server), e(risk), e(risk), s["findings"], s["packets"],
                      e(", ".join(sorted(s["ports"])))))
    out.append("</table>")
    if len(order) > limit:
        out.append("<p>%d more servers in the table below.</p>" % (len(order) - limit))
    return "".join(out)


def timeline_svg(rows, width=1000, height=220, bins=60):
    """Findings by first_seen, stacked by risk, as an inline SVG."""
    if not rows:
        return "<p>No findings.</p>"
    t0 = min(r["first_seen"] for r in rows)
    t1 = max(r["first_seen"] for r in rows)
    span = max(t1 - t0, 1e-6)
    counts = [{k: 0 for k in RISKS} for _ in range(bins)]
    for r in rows:
        i = min(int((r["first_seen"] - t0) / span * bins), bins - 1)
        counts[i][r["risk"] if r["risk"] in RISKS else "none"] += 1
    peak = max(sum(c.values()) for c in counts) or 1
    left, bottom, top = 40, 30, 10
    plot_h = height - bottom - top
    bar_w = (width - left - 10) / bins
    parts = ["<svg id='timeline' xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
             "role='img' aria-label='findings over time'>" % (width, height)]
    for i, c in enumerate(counts):
        y = top + plot_h
        for risk in reversed(RISKS):
            if c[risk]:
                h = c[risk] / peak * plot_h
                y -= h
                parts.append("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'>"
                             "<title>%d %s</title></rect>"
                             % (left + i * bar_w, y, max(bar_w - 1, 1), h,
                                RISK_COLOURS[risk], c[risk], risk))
    fmt = lambda t: datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%d %H:%M:%S UTC")
    parts.append("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#444'/>"
                 % (left, top + plot_h, width - 10, top + plot_h))
    parts.append("<text x='%d' y='%d' font-size='12'>%s</text>" % (left, height - 8, e(fmt(t0))))
    parts.append("<text x='%d' y='%d' font-size='12' text-anchor='end'>%s</text>"
                 % (width - 10, height - 8, e(fmt(t1))))
    parts.append("<text x='%d' y='%d' font-size='12' text-anchor='end'>%d</text>"
                 % (left - 4, top + 10, peak))
    parts.append("<text x='%d' y='%d' font-size='12' text-anchor='end'>0</text>"
                 % (left - 4, top + plot_h))
    parts.append("</svg>")
    legend = " ".join("<span class='risk %s'>%s</span>" % (r, r) for r in RISKS)
    return "".join(parts) + "<p>Findings by first seen, %d bins of %.3g s. %s</p>" % (
        bins, span / bins, legend)


def failures_html(failures):
    if not failures:
        return ""
    items = "".join("<li><code>%s</code>: %s</li>" % (e(f["capture"]), e(f["reason"]))
                    for f in failures)
    return "<h2>Captures tshark could not read (%d)</h2><ul id='failures'>%s</ul>" % (
        len(failures), items)


def embed_json(data):
    """JSON for a <script> block: "</" cannot end the block."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #222; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 6px; font-size: 13px; text-align: left; vertical-align: top; }
#findings th { cursor: pointer; background: #eee; user-select: none; }
#findings th.sorted-asc::after { content: " \\25B2"; }
#findings th.sorted-desc::after { content: " \\25BC"; }
#findings td.filter { font-family: monospace; font-size: 11px; }
tr.finding td { background: #fff3e0; }
.risk { padding: 0 4px; border-radius: 3px; color: #fff; }
.risk.critical { background: #7b1fa2; } .risk.high { background: #d32f2f; }
.risk.medium { background: #f57c00; } .risk.low { background: #fbc02d; color: #222; }
.risk.none { background: #9e9e9e; }
#filter { width: 30em; }
"""

# The page's script: builds the findings table from the embedded JSON.  Every
# value goes in with textContent.
JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var COLUMNS = ["finding", "risk", "server", "server_port", "transport", "service",
                 "observed", "evidence", "client", "client_port", "first_seen_utc",
                 "last_seen_utc", "packets", "bytes", "categories", "threats", "capture", "filter"];
  var RISK_RANK = {critical: 4, high: 3, medium: 2, low: 1, none: 0};
  var NUMERIC = {server_port: 1, client_port: 1, packets: 1, bytes: 1};
  var state = {sort: null, desc: false, filter: ""};

  function utc(t) { return new Date(t * 1000).toISOString().replace("T", " ").replace("Z", ""); }
  function text(row, col) {
    if (col === "first_seen_utc") return utc(row.first_seen);
    if (col === "last_seen_utc") return utc(row.last_seen);
    var v = row[col];
    if (v === null || v === undefined) return "";
    if (Array.isArray(v)) return v.join("; ");
    return String(v);
  }
  function key(row, col) {
    if (col === "risk") return RISK_RANK[row.risk] || 0;
    if (col === "first_seen_utc") return row.first_seen;
    if (col === "last_seen_utc") return row.last_seen;
    if (NUMERIC[col]) return Number(row[col]);
    return text(row, col).toLowerCase();
  }
  function cmp(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
  // Default order: payload findings first, then risk (worst first), then time.
  function defaultOrder(a, b) {
    return cmp(b.finding ? 1 : 0, a.finding ? 1 : 0) || cmp(key(b, "risk"), key(a, "risk"))
        || cmp(a.first_seen, b.first_seen) || cmp(a.index, b.index);
  }
  data.forEach(function (row, i) { row.index = i; });

  function readHash() {
    var h = location.hash.replace(/^#/, "");
    h.split("&").forEach(function (part) {
      var eq = part.indexOf("=");
      if (eq < 0) return;
      var name = part.slice(0, eq), value = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, " "));
      if (name === "sort" && value) {
        state.desc = value.charAt(0) === "-";
        state.sort = state.desc ? value.slice(1) : value;
        if (COLUMNS.indexOf(state.sort) < 0) state.sort = null;
      } else if (name === "filter") {
        state.filter = value;
      }
    });
  }

  var table = document.getElementById("findings");
  var thead = table.createTHead().insertRow();
  COLUMNS.forEach(function (col) {
    var th = document.createElement("th");
    th.textContent = col;
    th.dataset.col = col;
    th.addEventListener("click", function () {
      if (state.sort === col) state.desc = !state.desc; else { state.sort = col; state.desc = false; }
      render();
    });
    thead.appendChild(th);
  });
  var tbody = table.createTBody();
  var box = document.getElementById("filter");
  box.addEventListener("input", function () { state.filter = box.value; render(); });

  function render() {
    var needle = state.filter.toLowerCase();
    var rows = data.filter(function (row) {
      if (!needle) return true;
      return COLUMNS.some(function (col) { return text(row, col).toLowerCase().indexOf(needle) >= 0; });
    });
    if (state.sort) {
      var col = state.sort, sign = state.desc ? -1 : 1;
      rows.sort(function (a, b) { return sign * cmp(key(a, col), key(b, col)) || cmp(a.index, b.index); });
    } else {
      rows.sort(defaultOrder);
    }
    Array.prototype.forEach.call(thead.children, function (th) {
      th.className = th.dataset.col === state.sort ? (state.desc ? "sorted-desc" : "sorted-asc") : "";
    });
    while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
    rows.forEach(function (row) {
      var tr = tbody.insertRow();
      tr.className = "row" + (row.finding ? " finding" : "");
      COLUMNS.forEach(function (col) {
        var td = tr.insertCell();
        td.dataset.col = col;
        if (col === "risk") {
          var span = document.createElement("span");
          span.className = "risk " + (RISK_RANK.hasOwnProperty(row.risk) ? row.risk : "none");
          span.textContent = text(row, col);
          td.appendChild(span);
        } else {
          td.textContent = text(row, col);
        }
        if (col === "filter") td.className = "filter";
      });
    });
    document.getElementById("shown").textContent = rows.length + " of " + data.length + " findings shown";
  }

  readHash();
  box.value = state.filter;
  render();
  // A link or an edited URL (#sort=...&filter=...) re-sorts without reloading.
  window.addEventListener("hashchange", function () {
    state.sort = null; state.desc = false; state.filter = "";
    readHash();
    box.value = state.filter;
    render();
  });
  document.body.dataset.rendered = "yes";
})();
"""


def page(rows, failures):
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>portnote case review</title><style>%s</style></head>
<body>
<h1>portnote case review</h1>
<h2>Totals by risk</h2>%s
<h2>Servers with the highest risk</h2>%s
<h2>Findings over time</h2>%s
%s
<h2>Findings</h2>
<p>Rows with a payload finding come first; click a header to sort, type to filter.
The filter column is the Wireshark display filter of the conversation.</p>
<p><input id="filter" type="search" placeholder="filter: any text (host, port, service, capture...)">
<span id="shown"></span></p>
<table id="findings"></table>
<script type="application/json" id="findings-data">%s</script>
<script>%s</script>
</body></html>
""" % (CSS, totals_table(rows), top_servers(rows), timeline_svg(rows),
       failures_html(failures), embed_json(rows), JS)


def main(argv):
    args = argv[1:]
    failures_path = None
    if "--failures" in args:
        i = args.index("--failures")
        failures_path = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    rows = load(args[0])
    with open(args[1] + ".tmp", "w", encoding="utf-8") as f:
        f.write(page(rows, load_failures(failures_path)))
    import os
    os.replace(args[1] + ".tmp", args[1])


if __name__ == "__main__":
    main(sys.argv)
