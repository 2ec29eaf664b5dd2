/* portnote-services-view.c
 * The per-service view, for case review across many captures:
 *   tshark -r CAPTURE -2 -q -z portnote,services[,FILTER]
 * prints one JSON object per line for each server service, between
 * "=== portnote services ===" and "=== end ===": server, transport, port,
 * service, exposure, how many clients and conversations, first and last
 * seen, the worst risk, what the evidence was, and the display filter that
 * brings the service's packets back.  Findings stay per conversation
 * (portnote-findings.c); this is what an analyst reads first.  The rows
 * are counted by portnote-service-rows.c, as for the GUI's table
 * (portnote-services-table.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/json_dumper.h>

#include "portnote-fields.h"
#include "portnote-glue.h"
#include "portnote-service-rows.h"

#define SERVICES_CLI "portnote,services"

static void services_reset(void *tapdata)
{
    pn_service_rows_reset(tapdata);
}

static tap_packet_status services_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                         const void *data, tap_flags_t flags _U_)
{
    const pn_tap_notes_t *pkt = data;

    for (guint i = 0; i < pkt->count; i++)
        pn_service_rows_add(tapdata, pinfo, pkt, &pkt->notes[i]);
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
static void member_evidence(json_dumper *d, const pn_service_row_t *r)
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

/** One service as a JSON object on one line. */
static void print_row(const pn_service_row_t *r)
{
    json_dumper d = { .output_file = stdout };
    char *filter = pn_service_row_filter(r);

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
    const pn_service_rows_t *ss = tapdata;

    printf("=== portnote services ===\n");
    for (guint i = 0; i < ss->rows->len; i++)
        print_row(ss->rows->pdata[i]);
    printf("=== end ===\n");
}

static void services_finish(void *tapdata)
{
    pn_service_rows_free(tapdata);
}

/* ---- Registration ------------------------------------------------------ */

/** tshark's -z portnote,services[,FILTER]. */
static PN_TAP_INIT_RESULT services_init(const char *opt_arg, void *userdata _U_)
{
    PN_TAP_INIT_RETURN(pn_tap_listen(SERVICES_CLI, opt_arg, pn_service_rows_new(), services_reset,
                                     services_packet, services_draw, services_finish));
}

void portnote_register_services_view(void)
{
    static stat_tap_ui services_ui = {
        REGISTER_STAT_GROUP_GENERIC, "PortNote services", SERVICES_CLI,
        services_init, 0, NULL
    };

    register_stat_tap_ui(&services_ui, NULL);
}
