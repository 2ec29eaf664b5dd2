/* portnote-services-view.c
 * The per-service view, for case review across many captures:
 *   tshark -r CAPTURE -2 -q -z portnote,services[,FILTER]
 * prints one JSON object per line for each server service, between
 * "=== portnote services ===" and "=== end ===": server, transport, port,
 * service, exposure, how many clients and conversations, first and last
 * seen, the worst risk, what the evidence was, and the display filter that
 * brings the service's packets back.  Findings stay per conversation
 * (portnote-findings.c); this is what an analyst reads first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <epan/to_str.h>
#include <wsutil/json_dumper.h>

#include "portnote-fields.h"
#include "portnote-glue.h"

#define SERVICES_CLI "portnote,services"

/* One server service. */
typedef struct {
    char *server;
    address_type atype;
    guint16 port;
    guint8 transport;
    guint8 exposure;
    const char *service;
    pn_risk_t worst;
    guint32 verdicts;           /* bit per pn_verdict_t seen */
    pn_proto_set_t observed;    /* the protocols the payload showed */
    GHashTable *clients;        /* client address text -> itself */
    GHashTable *conversations;  /* conversation -> itself */
    nstime_t first_abs, last_abs;
    guint64 packets;
} service_row_t;

typedef struct {
    GHashTable *by_key;     /* "server/transport/port/exposure" -> row (owned by rows) */
    GPtrArray *rows;        /* in the order first seen */
} services_t;

static void row_free(gpointer data)
{
    service_row_t *r = data;

    g_free(r->server);
    g_hash_table_destroy(r->clients);
    g_hash_table_destroy(r->conversations);
    g_free(r);
}

static void services_reset(void *tapdata)
{
    services_t *ss = tapdata;

    g_hash_table_remove_all(ss->by_key);
    g_ptr_array_set_size(ss->rows, 0);
}

/** The row of a note's service, created when new. */
static service_row_t *row_for(services_t *ss, const packet_info *pinfo, const pn_note_t *n)
{
    const address *server = portnote_note_server(pinfo, n);
    char *server_text = address_to_str(NULL, server);
    char *key = g_strdup_printf("%s/%u/%u/%u", server_text, n->transport, n->port, n->exposure);
    service_row_t *r = g_hash_table_lookup(ss->by_key, key);

    if (r) {
        g_free(key);
        wmem_free(NULL, server_text);
        return r;
    }
    r = g_new0(service_row_t, 1);
    r->server = g_strdup(server_text);
    wmem_free(NULL, server_text);
    r->atype = server->type;
    r->port = n->port;
    r->transport = n->transport;
    r->exposure = n->exposure;
    r->service = portnote_note_service(n);
    r->clients = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    r->conversations = g_hash_table_new(g_direct_hash, g_direct_equal);
    r->first_abs = pinfo->abs_ts;
    g_hash_table_insert(ss->by_key, key, r);
    g_ptr_array_add(ss->rows, r);
    return r;
}

static tap_packet_status services_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                         const void *data, tap_flags_t flags _U_)
{
    services_t *ss = tapdata;
    const pn_tap_notes_t *pkt = data;

    for (guint i = 0; i < pkt->count; i++) {
        const pn_note_t *n = &pkt->notes[i];
        service_row_t *r;
        char *client;

        if (n->role == PN_ROLE_CLIENT)
            continue;
        r = row_for(ss, pinfo, n);
        client = address_to_str(NULL, portnote_note_client(pinfo, n));
        if (!g_hash_table_contains(r->clients, client))
            g_hash_table_add(r->clients, g_strdup(client));
        wmem_free(NULL, client);
        g_hash_table_add(r->conversations, (gpointer)pkt->conversation);
        r->worst = MAX(r->worst, pn_note_risk(n));
        r->verdicts |= 1u << n->verdict;
        if (n->observed != PN_PROTO_NONE)
            r->observed |= PN_PROTO_BIT(n->observed);
        r->last_abs = pinfo->abs_ts;
        r->packets++;
    }
    return TAP_PACKET_DONT_REDRAW;
}

/* ---- Output ----------------------------------------------------------------- */

static void member_string(json_dumper *d, const char *name, const char *value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_string(d, value);
}

static void member_uint(json_dumper *d, const char *name, guint64 value)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_anyf(d, "%" G_GUINT64_FORMAT, value);
}

static void member_time(json_dumper *d, const char *name, const nstime_t *t)
{
    json_dumper_set_member_name(d, name);
    json_dumper_value_anyf(d, "%.6f", nstime_to_sec(t));
}

/** What the service's notes rest on: the payload verdicts seen, else the port. */
static void member_evidence(json_dumper *d, const service_row_t *r)
{
    json_dumper_set_member_name(d, "evidence");
    json_dumper_begin_array(d);
    for (int v = PN_VERDICT_CONFIRMED; v <= PN_VERDICT_NON_STANDARD; v++)
        if (r->verdicts & (1u << v))
            json_dumper_value_string(d, pn_verdict_name((pn_verdict_t)v));
    if (!(r->verdicts & ~1u))
        json_dumper_value_string(d, "port");
    json_dumper_end_array(d);
    json_dumper_set_member_name(d, "observed");
    json_dumper_begin_array(d);
    for (int p = PN_PROTO_NONE + 1; p < PN_PROTO_COUNT; p++)
        if (r->observed & PN_PROTO_BIT(p))
            json_dumper_value_string(d, pn_proto_name((pn_proto_t)p));
    json_dumper_end_array(d);
}

/** The display filter that brings the service's packets back. */
static char *service_filter(const service_row_t *r)
{
    const char *addr = r->atype == AT_IPv6 ? "ipv6.addr" : r->atype == AT_IPv4 ? "ip.addr" : NULL;
    const char *transport = pn_transport_name((pn_transport_t)r->transport);

    return addr ? g_strdup_printf("%s == %s && %s.port == %u", addr, r->server, transport, r->port)
                : g_strdup_printf("%s.port == %u", transport, r->port);
}

/** One service as a JSON object on one line. */
static void print_row(const service_row_t *r)
{
    json_dumper d = { .output_file = stdout };
    char *filter = service_filter(r);

    json_dumper_begin_object(&d);
    member_string(&d, "server", r->server);
    member_uint(&d, "server_port", r->port);
    member_string(&d, "transport", pn_transport_name((pn_transport_t)r->transport));
    member_string(&d, "service", r->service);
    member_string(&d, "exposure", pn_exposure_name((pn_exposure_t)r->exposure));
    member_uint(&d, "clients", g_hash_table_size(r->clients));
    member_uint(&d, "conversations", g_hash_table_size(r->conversations));
    member_uint(&d, "packets", r->packets);
    member_time(&d, "first_seen", &r->first_abs);
    member_time(&d, "last_seen", &r->last_abs);
    member_string(&d, "worst_risk", pn_risk_name(r->worst));
    member_evidence(&d, r);
    member_string(&d, "filter", filter);
    json_dumper_end_object(&d);
    json_dumper_finish(&d);
    g_free(filter);
}

static void services_draw(void *tapdata)
{
    services_t *ss = tapdata;

    printf("=== portnote services ===\n");
    for (guint i = 0; i < ss->rows->len; i++)
        print_row(ss->rows->pdata[i]);
    printf("=== end ===\n");
}

static void services_finish(void *tapdata)
{
    services_t *ss = tapdata;

    g_hash_table_destroy(ss->by_key);
    g_ptr_array_free(ss->rows, TRUE);
    g_free(ss);
}

/* ---- Registration ------------------------------------------------------ */

/** tshark's -z portnote,services[,FILTER]. */
#ifdef PORTNOTE_TAP_INIT_RETURNS_BOOL
static bool services_init(const char *opt_arg, void *userdata _U_)
#else
static void services_init(const char *opt_arg, void *userdata _U_)
#endif
{
    services_t *ss = g_new0(services_t, 1);
    const char *filter = NULL;
    GString *error;

    if (g_str_has_prefix(opt_arg, SERVICES_CLI ","))
        filter = opt_arg + strlen(SERVICES_CLI ",");
    ss->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    ss->rows = g_ptr_array_new_with_free_func(row_free);
    error = register_tap_listener(PN_TAP_NAME, ss, filter, TL_REQUIRES_PROTO_TREE, services_reset,
                                  services_packet, services_draw, services_finish);
    if (error) {
        fprintf(stderr, "tshark: Couldn't register portnote,services tap: %s\n", error->str);
        g_string_free(error, TRUE);
        services_finish(ss);
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

void portnote_register_services_view(void)
{
    static stat_tap_ui services_ui = {
        REGISTER_STAT_GROUP_GENERIC, "PortNote services", SERVICES_CLI,
        services_init, 0, NULL
    };

    register_stat_tap_ui(&services_ui, NULL);
}
