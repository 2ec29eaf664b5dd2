/* portnote-findings.c
 * Findings per conversation, for case review across many captures:
 *   tshark -r CAPTURE -q -z portnote,findings[,FILTER]
 * prints one JSON object per line for each conversation and note, between
 * "=== portnote findings ===" and "=== end ===": first and last time,
 * client and server, service, risk, categories, threats, what the payload
 * showed, packets and bytes, and the display filter that brings the
 * conversation's packets back.  scripts/review.sh runs it over whole
 * folders of captures.  Read with -2 so that each conversation's payload
 * verdict is the final one (the last packet's view is kept).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "portnote-glue.h"

#define FINDINGS_CLI "portnote,findings"

/* One conversation and note. */
typedef struct {
    const void *conversation;
    guint32 port_key;       /* transport and port */
    pn_note_t note;         /* as the conversation's latest packet saw it */
    nstime_t first_abs, last_abs, first_rel, last_rel;
    char *server, *client;  /* addresses, as text */
    port_type ptype;
    address_type atype;
    guint16 client_port;
    guint32 first_frame, last_frame;
    guint64 packets, bytes;
} finding_t;

typedef struct {
    GHashTable *by_key;     /* "conversation/port" -> finding_t (owned by rows) */
    GPtrArray *rows;        /* in the order first seen */
} findings_t;

static void finding_free(gpointer data)
{
    finding_t *f = data;

    g_free(f->server);
    g_free(f->client);
    g_free(f);
}

static void findings_reset(void *tapdata)
{
    findings_t *fs = tapdata;

    g_hash_table_remove_all(fs->by_key);
    g_ptr_array_set_size(fs->rows, 0);
}

/** The finding of one note in this packet's conversation, created when new. */
static finding_t *finding_for(findings_t *fs, packet_info *pinfo, const void *conversation,
                              const pn_note_t *note)
{
    char *key = g_strdup_printf("%p/%u/%u", conversation, note->transport, note->port);
    finding_t *f = g_hash_table_lookup(fs->by_key, key);
    gboolean from_server = note->is_src;

    if (f) {
        g_free(key);
        return f;
    }
    f = g_new0(finding_t, 1);
    f->conversation = conversation;
    f->first_abs = pinfo->abs_ts;
    f->first_rel = pinfo->rel_ts;
    f->first_frame = pinfo->num;
    f->server = address_to_str(NULL, from_server ? &pinfo->net_src : &pinfo->net_dst);
    f->client = address_to_str(NULL, from_server ? &pinfo->net_dst : &pinfo->net_src);
    f->atype = pinfo->net_src.type;
    f->ptype = pn_port_type((pn_transport_t)note->transport);
    /* The other end's port, when the note is about the packet's own (innermost) layer. */
    if (pinfo->ptype == f->ptype && (from_server ? pinfo->srcport : pinfo->destport) == note->port)
        f->client_port = (guint16)(from_server ? pinfo->destport : pinfo->srcport);
    g_hash_table_insert(fs->by_key, key, f);
    g_ptr_array_add(fs->rows, f);
    return f;
}

static tap_packet_status findings_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                         const void *data, tap_flags_t flags _U_)
{
    findings_t *fs = tapdata;
    const pn_tap_notes_t *pkt = data;

    for (guint i = 0; i < pkt->count; i++) {
        const pn_note_t *note = &pkt->notes[i];
        finding_t *f = finding_for(fs, pinfo, pkt->conversation, note);
        f->note = *note;
        f->last_abs = pinfo->abs_ts;
        f->last_rel = pinfo->rel_ts;
        f->last_frame = pinfo->num;
        f->packets++;
        f->bytes += pinfo->fd->pkt_len;
    }
    return TAP_PACKET_DONT_REDRAW;
}

/* ---- JSON output ----------------------------------------------------------- */

/** Appends text as a JSON string (quotes, backslashes and control bytes escaped). */
static void json_string(GString *out, const char *text)
{
    g_string_append_c(out, '"');
    for (const char *p = text; p && *p; p++) {
        guchar c = (guchar)*p;
        if (c == '"' || c == '\\')
            g_string_append_printf(out, "\\%c", c);
        else if (c < 0x20)
            g_string_append_printf(out, "\\u%04x", c);
        else
            g_string_append_c(out, (char)c);
    }
    g_string_append_c(out, '"');
}

static void json_key(GString *out, const char *key)
{
    g_string_append(out, out->len > 1 ? ", " : "");
    json_string(out, key);
    g_string_append(out, ": ");
}

/** The items of count NULL-terminated lists as one JSON array. */
static void json_list(GString *out, const char *key, char **const *lists, int count)
{
    gboolean first = TRUE;

    json_key(out, key);
    g_string_append_c(out, '[');
    for (int l = 0; l < count; l++) {
        for (char **item = lists[l]; item && *item; item++) {
            g_string_append(out, first ? "" : ", ");
            json_string(out, *item);
            first = FALSE;
        }
    }
    g_string_append_c(out, ']');
}

static void json_time(GString *out, const char *key, const nstime_t *t)
{
    json_key(out, key);
    g_string_append_printf(out, "%.6f", nstime_to_sec(t));
}

/** The display filter of the conversation: both addresses and both ports
 * (and its frames, when its ports were reused: reused_ports). */
static char *conversation_filter(const finding_t *f, gboolean reused_ports)
{
    const char *addr = f->atype == AT_IPv6 ? "ipv6.addr" : f->atype == AT_IPv4 ? "ip.addr" : NULL;
    const char *transport = pn_transport_name((pn_transport_t)f->note.transport);
    GString *filter = g_string_new(NULL);

    if (addr)
        g_string_append_printf(filter, "%s == %s && %s == %s && ", addr, f->client, addr, f->server);
    if (f->client_port)
        g_string_append_printf(filter, "%s.port == %u && ", transport, f->client_port);
    g_string_append_printf(filter, "%s.port == %u", transport, f->note.port);
    if (reused_ports)
        g_string_append_printf(filter, " && frame.number >= %u && frame.number <= %u",
                               f->first_frame, f->last_frame);
    return g_string_free(filter, FALSE);
}

/** One finding as a JSON object on one line. */
static char *finding_json(const finding_t *f, gboolean reused_ports)
{
    const pn_note_t *n = &f->note;
    char **categories[PN_CATEGORY_LISTS], **threats[PN_THREAT_LISTS], **context[1];
    GString *out = g_string_new("{");
    char *filter = conversation_filter(f, reused_ports);

    pn_note_categories(n, categories);
    pn_note_threats(n, threats);
    context[0] = pn_note_context(n);

    json_time(out, "first_seen", &f->first_abs);
    json_time(out, "last_seen", &f->last_abs);
    json_time(out, "rel_first", &f->first_rel);
    json_time(out, "rel_last", &f->last_rel);
    json_key(out, "client"); json_string(out, f->client);
    json_key(out, "client_port"); g_string_append_printf(out, "%u", f->client_port);
    json_key(out, "server"); json_string(out, f->server);
    json_key(out, "server_port"); g_string_append_printf(out, "%u", n->port);
    json_key(out, "transport"); json_string(out, pn_transport_name((pn_transport_t)n->transport));
    json_key(out, "service"); json_string(out, portnote_note_service(n));
    json_key(out, "risk"); json_string(out, pn_risk_name(pn_note_risk(n)));
    json_list(out, "categories", categories, PN_CATEGORY_LISTS);
    json_list(out, "threats", threats, PN_THREAT_LISTS);
    json_list(out, "also_used_by", context, 1);
    json_key(out, "evidence"); json_string(out, n->verdict != PN_VERDICT_NONE ? "payload" : "port");
    json_key(out, "observed");
    if (n->observed != PN_PROTO_NONE)
        json_string(out, pn_proto_name((pn_proto_t)n->observed));
    else
        g_string_append(out, "null");
    json_key(out, "finding");
    if (pn_note_is_finding(n))
        json_string(out, pn_verdict_name((pn_verdict_t)n->verdict));
    else
        g_string_append(out, "null");
    json_key(out, "packets"); g_string_append_printf(out, "%" G_GUINT64_FORMAT, f->packets);
    json_key(out, "bytes"); g_string_append_printf(out, "%" G_GUINT64_FORMAT, f->bytes);
    json_key(out, "filter"); json_string(out, filter);
    g_string_append_c(out, '}');
    g_free(filter);
    return g_string_free(out, FALSE);
}

/**
 * Which rows' ends (addresses, ports) other conversations share: TCP
 * ports reused by a later connection.  Their filters also name their
 * frames, or they would select both connections.
 */
static gboolean *rows_with_reused_ports(const findings_t *fs)
{
    GHashTable *conversation_of = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    GHashTable *shared = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    gboolean *reused = g_new0(gboolean, fs->rows->len + 1);
    char **ends = g_new0(char *, fs->rows->len + 1);

    for (guint i = 0; i < fs->rows->len; i++) {
        const finding_t *f = fs->rows->pdata[i];
        const void *first;
        ends[i] = conversation_filter(f, FALSE);
        first = g_hash_table_lookup(conversation_of, ends[i]);
        if (!first)
            g_hash_table_insert(conversation_of, g_strdup(ends[i]), (gpointer)f->conversation);
        else if (first != f->conversation)
            g_hash_table_add(shared, g_strdup(ends[i]));
    }
    for (guint i = 0; i < fs->rows->len; i++)
        reused[i] = g_hash_table_contains(shared, ends[i]);
    g_strfreev(ends);
    g_hash_table_destroy(conversation_of);
    g_hash_table_destroy(shared);
    return reused;
}

static void findings_draw(void *tapdata)
{
    findings_t *fs = tapdata;
    gboolean *reused = rows_with_reused_ports(fs);

    printf("=== portnote findings ===\n");
    for (guint i = 0; i < fs->rows->len; i++) {
        char *line = finding_json(fs->rows->pdata[i], reused[i]);
        printf("%s\n", line);
        g_free(line);
    }
    printf("=== end ===\n");
    g_free(reused);
}

static void findings_finish(void *tapdata)
{
    findings_t *fs = tapdata;

    g_hash_table_destroy(fs->by_key);
    g_ptr_array_free(fs->rows, TRUE);
    g_free(fs);
}

/* ---- Registration ------------------------------------------------------ */

/** tshark's -z portnote,findings[,FILTER]. */
#ifdef PORTNOTE_TAP_INIT_RETURNS_BOOL
static bool findings_init(const char *opt_arg, void *userdata _U_)
#else
static void findings_init(const char *opt_arg, void *userdata _U_)
#endif
{
    findings_t *fs = g_new0(findings_t, 1);
    const char *filter = NULL;
    GString *error;

    if (g_str_has_prefix(opt_arg, FINDINGS_CLI ","))
        filter = opt_arg + strlen(FINDINGS_CLI ",");
    fs->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    fs->rows = g_ptr_array_new_with_free_func(finding_free);
    error = register_tap_listener(PN_TAP_NAME, fs, filter, TL_REQUIRES_PROTO_TREE, findings_reset,
                                  findings_packet, findings_draw, findings_finish);
    if (error) {
        fprintf(stderr, "tshark: Couldn't register portnote,findings tap: %s\n", error->str);
        g_string_free(error, TRUE);
        findings_finish(fs);
#ifdef PORTNOTE_TAP_INIT_RETURNS_BOOL
        return false;
#else
        return;
#endif
    }
#ifdef PORTNOTE_TAP_INIT_RETURNS_BOOL
    return true;
#endif
}

void portnote_register_findings(void)
{
    static stat_tap_ui findings_ui = {
        REGISTER_STAT_GROUP_GENERIC, "PortNote findings per conversation", FINDINGS_CLI,
        findings_init, 0, NULL
    };

    register_stat_tap_ui(&findings_ui, NULL);
}
