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
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <wsutil/json_dumper.h>

#include "portnote-glue.h"
#include "portnote-fields.h"

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

/** A member holding a string. */
static void json_member_string(json_dumper *out, const char *key, const char *value)
{
    json_dumper_set_member_name(out, key);
    json_dumper_value_string(out, value);
}

/** A member holding a number or a JSON literal (null). */
static void json_member_literal(json_dumper *out, const char *key, const char *format, ...) G_GNUC_PRINTF(3, 4);
static void json_member_literal(json_dumper *out, const char *key, const char *format, ...)
{
    va_list ap;

    json_dumper_set_member_name(out, key);
    va_start(ap, format);
    json_dumper_value_va_list(out, format, ap);
    va_end(ap);
}

/** A member holding a string, or null when there is none. */
static void json_member_string_or_null(json_dumper *out, const char *key, const char *value)
{
    if (value)
        json_member_string(out, key, value);
    else
        json_member_literal(out, key, "null");
}

/** The items of count NULL-terminated lists as one JSON array. */
static void json_member_lists(json_dumper *out, const char *key, char **const *lists, int count)
{
    json_dumper_set_member_name(out, key);
    json_dumper_begin_array(out);
    for (int l = 0; l < count; l++)
        for (char **item = lists[l]; item && *item; item++)
            json_dumper_value_string(out, *item);
    json_dumper_end_array(out);
}

/** A time in seconds, to the microsecond as the captures' timestamps mostly
 * are (json_dumper_value_double() would print 1735689600.3699999). */
static void json_member_time(json_dumper *out, const char *key, const nstime_t *t)
{
    json_member_literal(out, key, "%.6f", nstime_to_sec(t));
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

/** Writes one finding as a JSON object on one line. */
static void write_finding(FILE *file, const finding_t *f, gboolean reused_ports)
{
    const pn_note_t *n = &f->note;
    char **categories[PN_CATEGORY_LISTS], **threats[PN_THREAT_LISTS], **context[1];
    json_dumper out = { .output_file = file };
    char *filter = conversation_filter(f, reused_ports);

    pn_note_categories(n, categories);
    pn_note_threats(n, threats);
    context[0] = pn_note_context(n);

    json_dumper_begin_object(&out);
    json_member_time(&out, "first_seen", &f->first_abs);
    json_member_time(&out, "last_seen", &f->last_abs);
    json_member_time(&out, "rel_first", &f->first_rel);
    json_member_time(&out, "rel_last", &f->last_rel);
    json_member_string(&out, "client", f->client);
    json_member_literal(&out, "client_port", "%u", f->client_port);
    json_member_string(&out, "server", f->server);
    json_member_literal(&out, "server_port", "%u", n->port);
    json_member_string(&out, "transport", pn_transport_name((pn_transport_t)n->transport));
    json_member_string(&out, "service", portnote_note_service(n));
    json_member_string(&out, "risk", pn_risk_name(pn_note_risk(n)));
    json_member_string(&out, "exposure", pn_exposure_name((pn_exposure_t)n->exposure));
    json_member_lists(&out, "categories", categories, PN_CATEGORY_LISTS);
    json_member_lists(&out, "threats", threats, PN_THREAT_LISTS);
    json_member_lists(&out, "also_used_by", context, 1);
    json_member_string(&out, "evidence", n->verdict != PN_VERDICT_NONE ? "payload" : "port");
    json_member_string_or_null(&out, "observed",
                               n->observed != PN_PROTO_NONE ? pn_proto_name((pn_proto_t)n->observed) : NULL);
    json_member_string_or_null(&out, "tunnelled",
                               n->tunnelled != PN_PROTO_NONE ? pn_proto_name((pn_proto_t)n->tunnelled) : NULL);
    json_member_string_or_null(&out, "finding",
                               pn_note_is_finding(n) ? pn_verdict_name((pn_verdict_t)n->verdict) : NULL);
    json_member_literal(&out, "packets", "%" G_GUINT64_FORMAT, f->packets);
    json_member_literal(&out, "bytes", "%" G_GUINT64_FORMAT, f->bytes);
    json_member_string(&out, "filter", filter);
    json_dumper_end_object(&out);
    json_dumper_finish(&out);   /* ends the line */
    g_free(filter);
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
    for (guint i = 0; i < fs->rows->len; i++)
        write_finding(stdout, fs->rows->pdata[i], reused[i]);
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
static PN_TAP_INIT_RESULT findings_init(const char *opt_arg, void *userdata _U_)
{
    findings_t *fs = g_new0(findings_t, 1);

    fs->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    fs->rows = g_ptr_array_new_with_free_func(finding_free);
    PN_TAP_INIT_RETURN(pn_tap_listen(FINDINGS_CLI, opt_arg, fs, findings_reset, findings_packet,
                                     findings_draw, findings_finish));
}

void portnote_register_findings(void)
{
    static stat_tap_ui findings_ui = {
        REGISTER_STAT_GROUP_GENERIC, "PortNote findings per conversation", FINDINGS_CLI,
        findings_init, 0, NULL
    };

    register_stat_tap_ui(&findings_ui, NULL);
}
