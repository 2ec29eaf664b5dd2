#!/usr/bin/env python3
"""review-report.py NDJSON OUT.html [--captures CAPTURES.ndjson]

One self-contained HTML page from the findings of tools/review.sh (or of
one `tshark -z portnote,findings` run with "capture" added) and its
captures.ndjson (every file given, with its status: reviewed, partial,
skipped, failed): the counts; per capture its packets, time span, findings by
risk and worst finding; per host (keyed by case: the same address in two
cases is two hosts) what it served and what it reached; a graph of the
flagged conversations, client to server; a timeline per capture; and a
sortable, filterable table of the findings, wrapping and scrolling inside
the page.  No network access: no external script, font or image.  The
findings are embedded as JSON in a <script type="application/json"> block
("</" written "<\\/" so that data cannot close the block) and the page's
script inserts every value with textContent, never as HTML.

The table's initial state comes from the URL's hash: #sort=COLUMN (descending:
#sort=-COLUMN) and #filter=TEXT (both: #sort=server_port&filter=telnet).  By
default rows with a payload finding come first, then by risk, worst first.
When rendered, <body> carries data-page-width and data-window-width (the
browser test checks that nothing overflows the window).
Standard library only.
"""
import datetime
import html
import ipaddress
import json
import os
import sys

RISKS = ["critical", "high", "medium", "low", "none"]
RISK_COLOURS = {"critical": "#7b1fa2", "high": "#d32f2f", "medium": "#f57c00",
                "low": "#fbc02d", "none": "#9e9e9e"}
STATUSES = ["reviewed", "partial", "skipped", "failed"]
# Conversations drawn in the graph: a payload finding, or a server risk of at least this.
FLAGGED_RISKS = ("critical", "high")
GRAPH_EDGES = 40
TIMELINES = 24


def load(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def captures_from_rows(rows):
    """Captures as captures.ndjson would list them, for findings without one."""
    seen = {}
    for r in rows:
        c = seen.setdefault(r.get("capture"), {
            "case": r.get("case", ""), "capture": r.get("capture"), "status": "reviewed",
            "reason": "", "packets": None, "first_packet": r["first_seen"],
            "last_packet": r["last_seen"], "findings": 0, "provenance": {}})
        c["first_packet"] = min(c["first_packet"], r["first_seen"])
        c["last_packet"] = max(c["last_packet"], r["last_seen"])
        c["findings"] += 1
    return [seen[k] for k in sorted(seen, key=str)]


def e(text):
    return html.escape(str(text), quote=True)


def rank(risk):
    return RISKS.index(risk) if risk in RISKS else len(RISKS)


def risk_badge(risk):
    risk = risk if risk in RISKS else "none"
    return "<span class='risk %s'>%s</span>" % (risk, risk)


def utc(t, digits=3):
    if t is None:
        return ""
    text = datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return text[:len(text) - 6 + digits] if digits else text[:-7]


def duration(seconds):
    """A duration in the unit that reads best."""
    if seconds is None:
        return ""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        if seconds >= size:
            value = seconds / size
            return "%s %s" % ("%.3g" % value if value < 1000 else "{:,.0f}".format(value), unit)
    return "%.3g ms" % (seconds * 1000) if seconds > 0 else "0 s"


def short_path(path):
    """The capture's file name and its folder's name: enough to tell them apart."""
    path = str(path)
    return os.path.join(os.path.basename(os.path.dirname(path)), os.path.basename(path))


# ---- Counts -----------------------------------------------------------------

def summary_html(rows, captures):
    """The counts, one id per figure (the tests compare them with review.sh's)."""
    counts = {s: sum(1 for c in captures if c["status"] == s) for s in STATUSES}
    packets = sum(c.get("packets") or 0 for c in captures if c["status"] in ("reviewed", "partial"))
    cases = sorted({c.get("case") or "" for c in captures})
    parts = ["<p class='summary'><strong id='count-files'>%d</strong> files: " % len(captures)]
    parts.append(", ".join("<strong id='count-%s'>%d</strong> %s" % (s, counts[s], s) for s in STATUSES))
    parts.append("; <strong id='count-packets'>%d</strong> packets, <strong id='count-findings'>%d</strong> findings"
                 % (packets, len(rows)))
    if any(cases):
        parts.append("; case%s %s" % ("s" if len(cases) > 1 else "",
                                     ", ".join("<strong>%s</strong>" % e(c) for c in cases)))
    parts.append(".</p>")
    setups = {json.dumps(c.get("provenance") or {}, sort_keys=True) for c in captures}
    for setup in sorted(setups):
        p = json.loads(setup)
        if p:
            parts.append("<p class='setup'>Read with portnote %s on Wireshark %s, notes %s, "
                         "%s pass%s, preferences: %s.</p>"
                         % (e(p.get("plugin")), e(p.get("wireshark")),
                            e(str(p.get("notes_sha256"))[:12]), e(p.get("passes")),
                            "es" if p.get("passes") != 1 else "",
                            e(" ".join(p.get("preferences") or []) or "defaults")))
    if len(setups) > 1:
        parts.append("<p class='warning' id='mixed-setups'>These parts were made with %d different "
                     "set-ups: run the review again to read every capture with one.</p>" % len(setups))
    return "".join(parts)


def totals_table(rows):
    out = ["<table class='small'><tr><th>risk</th><th>findings</th><th>packets</th>"
           "<th>bytes</th><th>servers</th></tr>"]
    for risk in RISKS:
        sel = [r for r in rows if r["risk"] == risk]
        out.append("<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td><td>%d</td></tr>"
                   % (risk_badge(risk), len(sel), sum(r["packets"] for r in sel),
                      sum(r["bytes"] for r in sel),
                      len({(r.get("case", ""), r["server"]) for r in sel})))
    out.append("</table>")
    return "".join(out)


# ---- Per capture --------------------------------------------------------------

def worst(rows):
    """The worst finding: payload finding first, then risk, then packets."""
    if not rows:
        return None
    return min(rows, key=lambda r: (0 if r.get("finding") else 1, rank(r["risk"]), -r["packets"]))


def finding_text(r):
    text = "%s %s/%s on %s" % (r["service"], r["server_port"], r["transport"], r["server"])
    return text + (": " + r["finding"] if r.get("finding") else "")


def capture_order(capture, mine):
    """What needs a look first: failed, partial, then the worst findings; skipped last."""
    status = {"failed": 0, "partial": 1, "reviewed": 2}.get(capture["status"], 3)
    w = worst(mine)
    return (status, 0 if w and w.get("finding") else 1, rank(w["risk"]) if w else len(RISKS),
            str(capture.get("case")), str(capture["capture"]))


def captures_table(rows, captures):
    by_capture = {}
    for r in rows:
        by_capture.setdefault(r.get("capture"), []).append(r)
    out = ["<div class='scroll short'><table id='captures'><thead><tr><th>case</th><th>capture</th>"
           "<th>status</th><th>packets</th><th>first packet (UTC)</th><th>span</th>"
           + "".join("<th>%s</th>" % risk_badge(risk) for risk in RISKS)
           + "<th>worst finding</th></tr></thead><tbody>"]
    for c in sorted(captures, key=lambda c: capture_order(c, by_capture.get(c["capture"], []))):
        mine = by_capture.get(c["capture"], [])
        first, last = c.get("first_packet"), c.get("last_packet")
        w = worst(mine)
        status = c["status"]
        note = ("<br><small>%s</small>" % e(c["reason"])) if c.get("reason") and status != "reviewed" else ""
        out.append("<tr class='capture %s'><td>%s</td><td class='path' title='%s'>%s</td><td class='status'>%s%s</td><td>%s</td>"
                   "<td>%s</td><td>%s</td>%s<td>%s</td></tr>"
                   % (e(status), e(c.get("case") or ""), e(c["capture"]), e(short_path(c["capture"])),
                      e(status), note, "" if c.get("packets") is None else c["packets"],
                      e(utc(first)), e(duration(last - first) if first is not None and last is not None else ""),
                      "".join("<td>%s</td>" % (sum(1 for r in mine if r["risk"] == risk) or "")
                              for risk in RISKS),
                      (risk_badge(w["risk"]) + " " + e(finding_text(w))) if w else ""))
    out.append("</tbody></table></div>")
    return "".join(out)


# ---- Per host -------------------------------------------------------------------

def can_serve(address):
    """False for addresses that are no host's: broadcast, multicast, unspecified."""
    try:
        a = ipaddress.ip_address(address)
    except ValueError:
        return True
    return not (a.is_multicast or a.is_unspecified or a == ipaddress.ip_address("255.255.255.255"))


def hosts(rows):
    """{(case, address): {"served": {port text}, "reached": {(case, server)}, ...}}."""
    found = {}

    def host(case, address):
        return found.setdefault((case, address), {"served": set(), "clients": set(), "reached": set(),
                                                  "serve_rank": len(RISKS), "reach_rank": len(RISKS),
                                                  "findings": 0})
    for r in rows:
        case = r.get("case", "")
        if can_serve(r["server"]):
            h = host(case, r["server"])
            h["served"].add("%s/%s %s" % (r["server_port"], r["transport"], r["service"]))
            h["clients"].add(r["client"])
            h["serve_rank"] = min(h["serve_rank"], rank(r["risk"]))
            h["findings"] += 1 if r.get("finding") else 0
        c = host(case, r["client"])
        c["reached"].add((r["server"], r["server_port"], r["transport"]))
        c["reach_rank"] = min(c["reach_rank"], rank(r["risk"]))
    return found


def hosts_table(rows):
    found = hosts(rows)
    order = sorted(found.items(), key=lambda kv: (min(kv[1]["serve_rank"], kv[1]["reach_rank"]),
                                                  kv[0][0], kv[0][1]))
    out = ["<div class='scroll short'><table id='hosts'><thead><tr><th>case</th><th>host</th>"
           "<th>serves (worst risk)</th><th>services</th><th>clients</th>"
           "<th>reaches (worst risk)</th><th>servers reached</th></tr></thead><tbody>"]
    for (case, address), h in order:
        serve = risk_badge(RISKS[h["serve_rank"]]) if h["served"] else ""
        reach = risk_badge(RISKS[h["reach_rank"]]) if h["reached"] else ""
        out.append("<tr class='host'><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                   "<td>%s</td><td>%s</td></tr>"
                   % (e(case), e(address), serve, e(", ".join(sorted(h["served"]))),
                      len(h["clients"]) or "", reach, len({s for s, _, _ in h["reached"]}) or ""))
    out.append("</tbody></table></div>")
    dropped = sorted({r["server"] for r in rows if not can_serve(r["server"])})
    if dropped:
        out.append("<p>Not counted as servers (broadcast, multicast or unspecified): %s.</p>"
                   % e(", ".join(dropped)))
    return "".join(out)


def services_section(rows):
    """PLACEHOLDER for the per-service view (issue 22 item 2): the lead is adding
    `tshark -z portnote,services`; its table (server, port, service, exposure,
    clients, conversations, worst risk) and the "services by worst risk" picture
    go here, fed by a services.ndjson that review.sh will collect like findings."""
    return ("<!-- PER-SERVICE VIEW: the table of -z portnote,services goes here -->"
            "<p id='services-placeholder'><i>The per-service view comes with "
            "<code>-z portnote,services</code>.</i></p>")

# ---- Pictures -------------------------------------------------------------------

def flagged_edges(rows):
    """Client -> service edges of the flagged conversations (a payload finding or a
    risk in FLAGGED_RISKS), worst first: {(case, client, service key): [rank, count]}."""
    edges = {}
    for r in rows:
        if not (r.get("finding") or r["risk"] in FLAGGED_RISKS):
            continue
        service = (r["server"], r["server_port"], r["transport"], r["service"])
        edge = edges.setdefault((r.get("case", ""), r["client"], service), [len(RISKS), 0, False])
        edge[0] = min(edge[0], rank(r["risk"]))
        edge[1] += 1
        edge[2] = edge[2] or bool(r.get("finding"))
    order = sorted(edges.items(), key=lambda kv: (not kv[1][2], kv[1][0], -kv[1][1], kv[0]))
    return order[:GRAPH_EDGES], len(order)


def graph_svg(rows):
    """Clients on the left, the services they reached on the right, one line per
    flagged conversation pair coloured by risk (dashed: a payload finding)."""
    edges, total = flagged_edges(rows)
    if not edges:
        return "<p>No flagged conversations (payload finding, or risk %s).</p>" % " or ".join(FLAGGED_RISKS)
    multi_case = len({k[0] for k, _ in edges}) > 1
    clients = sorted({(k[0], k[1]) for k, _ in edges})
    services = sorted({(k[0],) + k[2] for k, _ in edges})
    row_h, top, width = 22, 20, 1000
    height = top * 2 + row_h * max(len(clients), len(services))
    cy = {c: top + row_h * (i + 0.5) for i, c in enumerate(clients)}
    sy = {v: top + row_h * (i + 0.5) for i, v in enumerate(services)}
    x1, x2 = 300, 560

    def label(case, text, limit=56):
        text = ("%s: %s" % (case, text)) if multi_case else text
        return text if len(text) <= limit else text[:limit - 1] + "\u2026"
    out = ["<svg id='graph' viewBox='0 0 %d %d' role='img' aria-label='flagged conversations, "
           "client to server'>" % (width, height)]
    for (case, client, service), (r, count, finding) in edges:
        out.append("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='%s' stroke-width='%.1f'%s>"
                   "<title>%s</title></line>"
                   % (x1, cy[(case, client)], x2, sy[(case,) + service], RISK_COLOURS[RISKS[r]],
                      min(1.5 + count / 2, 6), " stroke-dasharray='6 3'" if finding else "",
                      e("%s -> %s:%s/%s %s: %d conversation(s), %s"
                        % (client, service[0], service[1], service[2], service[3], count, RISKS[r]))))
    for (case, client), y in cy.items():
        out.append("<circle cx='%d' cy='%.1f' r='4' fill='#444'/><text x='%d' y='%.1f' "
                   "text-anchor='end' font-size='13'>%s</text>" % (x1, y, x1 - 8, y + 4, e(label(case, client))))
    for v, y in sy.items():
        case, server, port, transport, name = v
        out.append("<circle cx='%d' cy='%.1f' r='4' fill='#444'/><text x='%d' y='%.1f' "
                   "font-size='13'>%s<title>%s</title></text>"
                   % (x2, y, x2 + 8, y + 4, e(label(case, "%s %s/%s %s" % (server, port, transport, name))),
                      e("%s %s/%s %s" % (server, port, transport, name))))
    out.append("</svg>")
    more = "" if total <= len(edges) else " The %d worst of %d pairs." % (len(edges), total)
    return "".join(out) + ("<p>Clients (left) and the services they reached (right), "
                           "colour: risk, dashed: a payload finding.%s %s</p>" % (more, legend()))


def legend():
    return " ".join(risk_badge(r) for r in RISKS)


def nice_step(span, ticks=5):
    """A round tick step (1, 2 or 5 times a power of ten seconds, or minutes,
    hours, days) giving about `ticks` ticks over span."""
    raw = max(span / ticks, 1e-6)
    for size in (86400, 3600, 60, 1):
        if raw >= size:
            unit = size
            break
    else:
        unit = 1
    scaled = raw / unit
    power = 10 ** len(str(int(scaled))) / 10 if scaled >= 1 else 10 ** -len(str(int(1 / scaled)))
    for m in (1, 2, 5, 10):
        if scaled <= m * power:
            return m * power * unit
    return 10 * power * unit


def offset_text(seconds, step):
    """A tick's offset from the capture's start, in the unit of the step."""
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60)):
        if step >= size:
            return "+%g %s" % (round(seconds / size, 6), unit)
    digits = max(0, -int(f"{step:e}".split("e")[1]))
    return "+%.*f s" % (digits, seconds)


def timeline_svg(capture, mine, bins=50, width=1000, height=70):
    """One capture's findings by first_seen over its own time span, stacked by risk."""
    t0 = capture.get("first_packet")
    t1 = capture.get("last_packet")
    if t0 is None or t1 is None:
        t0 = min(r["first_seen"] for r in mine)
        t1 = max(r["first_seen"] for r in mine)
    span = max(t1 - t0, 1e-3)
    counts = [{k: 0 for k in RISKS} for _ in range(bins)]
    for r in mine:
        i = min(max(int((r["first_seen"] - t0) / span * bins), 0), bins - 1)
        counts[i][r["risk"] if r["risk"] in RISKS else "none"] += 1
    peak = max(sum(c.values()) for c in counts) or 1
    left, right, top, plot_h = 30, 70, 4, height - 26
    bar_w = (width - left - right) / bins
    out = ["<svg class='timeline' viewBox='0 0 %d %d' role='img' aria-label='findings over the "
           "capture'>" % (width, height)]
    for i, c in enumerate(counts):
        y = top + plot_h
        for risk in reversed(RISKS):
            if c[risk]:
                h = c[risk] / peak * plot_h
                y -= h
                out.append("<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='%s'><title>"
                           "%d %s</title></rect>" % (left + i * bar_w, y, max(bar_w - 1, 1), h,
                                                     RISK_COLOURS[risk], c[risk], risk))
    out.append("<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#444'/>"
               % (left, top + plot_h, width - right, top + plot_h))
    step = nice_step(span)
    tick = 0.0
    while tick <= span + 1e-9:
        x = left + tick / span * (width - left - right)
        out.append("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#444'/><text x='%.1f' y='%d' "
                   "font-size='12' text-anchor='middle'>%s</text>"
                   % (x, top + plot_h, x, top + plot_h + 4, x, height - 4, e(offset_text(tick, step))))
        tick += step
    out.append("<text x='%d' y='%d' font-size='12'>peak %d</text>" % (width - right + 6, top + 12, peak))
    out.append("</svg>")
    return "".join(out)


def timelines_html(rows, captures):
    by_capture = {}
    for r in rows:
        by_capture.setdefault(r.get("capture"), []).append(r)
    shown = [c for c in captures if by_capture.get(c["capture"])]
    shown.sort(key=lambda c: (rank(worst(by_capture[c["capture"]])["risk"]), str(c["capture"])))
    if not shown:
        return "<p>No findings.</p>"
    out = ["<p>Each capture on its own time axis (offsets from its first packet), findings by "
           "first seen, stacked by risk. %s</p>" % legend()]
    for c in shown[:TIMELINES]:
        out.append("<div class='tl'><div class='tl-title'>%s <span title='%s'>%s</span>, from %s UTC, "
                   "%s</div>%s</div>"
                   % (e(c.get("case") or ""), e(c["capture"]), e(short_path(c["capture"])),
                      e(utc(c.get("first_packet") if c.get("first_packet") is not None
                            else min(r["first_seen"] for r in by_capture[c["capture"]]))),
                      e(duration((c.get("last_packet") or 0) - (c.get("first_packet") or 0))
                        if c.get("first_packet") is not None else ""),
                      timeline_svg(c, by_capture[c["capture"]])))
    if len(shown) > TIMELINES:
        out.append("<p>%d more captures with findings: see the table above.</p>" % (len(shown) - TIMELINES))
    return "".join(out)


def embed_json(data):
    """JSON for a <script> block: "</" cannot end the block."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


CSS = """
body { font-family: sans-serif; margin: 1.5em; color: #222; max-width: 100%; }
h2 { margin-top: 1.4em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #ccc; padding: 2px 6px; font-size: 13px; text-align: left; vertical-align: top; }
.scroll { max-width: 100%; overflow: auto; max-height: 75vh; border: 1px solid #ddd; }
.scroll.short { max-height: 45vh; }
.scroll thead th { position: sticky; top: 0; background: #eee; z-index: 1; }
#findings { width: 100%; }
#findings td { overflow-wrap: anywhere; max-width: 16em; }
#findings td[data-col=filter] { font-family: monospace; font-size: 11px; min-width: 18em; max-width: 30em; }
#findings td[data-col=capture] { min-width: 10em; }
#findings th { cursor: pointer; background: #eee; user-select: none; white-space: nowrap; }
#findings th.sorted-asc::after { content: " \\25B2"; }
#findings th.sorted-desc::after { content: " \\25BC"; }
#captures td, #hosts td { overflow-wrap: break-word; max-width: 40em; }
#captures td.path { overflow-wrap: anywhere; }
#captures td.status { overflow-wrap: normal; min-width: 6em; }
tr.finding td { background: #fff3e0; }
tr.capture.partial td { background: #fff8e1; } tr.capture.failed td { background: #ffebee; }
tr.capture.skipped td { color: #666; }
.risk { padding: 0 4px; border-radius: 3px; color: #fff; white-space: nowrap; }
.risk.critical { background: #7b1fa2; } .risk.high { background: #d32f2f; }
.risk.medium { background: #f57c00; } .risk.low { background: #fbc02d; color: #222; }
.risk.none { background: #9e9e9e; }
.warning { color: #b71c1c; font-weight: bold; }
svg { max-width: 100%; height: auto; display: block; }
#graph { max-width: 1000px; }
.timeline { max-width: 1000px; }
.tl { margin: 0.3em 0 0.8em 0; } .tl-title { font-size: 13px; }
#filter { width: 30em; max-width: 90%; }
"""

# The page's script: builds the findings table from the embedded JSON.  Every
# value goes in with textContent.
JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("findings-data").textContent);
  var COLUMNS = ["finding", "risk", "server", "server_port", "transport", "service",
                 "observed", "tunnelled", "evidence", "client", "client_port", "first_seen_utc",
                 "last_seen_utc", "packets", "bytes", "categories", "threats", "case", "capture", "filter"];
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
  // For the browser test: the page must fit its window (tables scroll inside it).
  document.body.dataset.pageWidth = document.documentElement.scrollWidth;
  document.body.dataset.windowWidth = window.innerWidth;
  document.body.dataset.rendered = "yes";
})();
"""


def page(rows, captures):
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>portnote case review</title><style>%s</style></head>
<body>
<h1>portnote case review</h1>
%s
<h2>Captures</h2>%s
<h2>Totals by risk</h2>%s
<h2>Services</h2>%s
<h2>Hosts, by case: what each served and reached</h2>%s
<h2>Flagged conversations</h2>%s
<h2>Findings over time, per capture</h2>%s
<h2>Findings</h2>
<p>Rows with a payload finding come first; click a header to sort, type to filter.
The filter column is the Wireshark display filter of the conversation.</p>
<p><input id="filter" type="search" placeholder="filter: any text (host, port, service, capture...)">
<span id="shown"></span></p>
<div class="scroll"><table id="findings"></table></div>
<script type="application/json" id="findings-data">%s</script>
<script>%s</script>
</body></html>
""" % (CSS, summary_html(rows, captures), captures_table(rows, captures), totals_table(rows),
       services_section(rows), hosts_table(rows), graph_svg(rows),
       timelines_html(rows, captures), embed_json(rows), JS)


def main(argv):
    args = argv[1:]
    captures_path = None
    if "--captures" in args:
        i = args.index("--captures")
        captures_path = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    rows = load(args[0])
    captures = load(captures_path) if captures_path else captures_from_rows(rows)
    with open(args[1] + ".tmp", "w", encoding="utf-8") as f:
        f.write(page(rows, captures))
    os.replace(args[1] + ".tmp", args[1])


if __name__ == "__main__":
    main(sys.argv)
