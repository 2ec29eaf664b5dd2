/* portnote-services-table.c
 * The per-service view in Wireshark's own statistics-table dialog:
 *   Statistics > PortNote Services        and
 *   tshark -q -z portnote,services-table[,FILTER]
 * One row per server service (server, port, transport, exposure), as the
 * JSON view of portnote-services-view.c counts it (portnote-service-rows.c
 * does the counting for both): its service, clients, conversations,
 * packets, worst risk, and the display filter that selects its packets.
 * The dialog sorts by any column and copies or saves rows; it offers no
 * action per row, so the filter is a column to copy from.
 *
 * The table is Wireshark's (one per registration, shared by the dialogs
 * open on it); the rows behind it are this file's.  Its tap listener runs
 * only while a dialog or tshark's -z asks for it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>

#include "portnote-glue.h"
#include "portnote-service-rows.h"

#define TABLE_TITLE "PortNote Services"
#define TABLE_CLI "portnote,services-table"

enum {
    COL_SERVER, COL_PORT, COL_TRANSPORT, COL_SERVICE, COL_EXPOSURE,
    COL_CLIENTS, COL_CONVERSATIONS, COL_PACKETS, COL_RISK, COL_FILTER, COL_COUNT
};

/* The formats are tshark's: it prints each value with its column's. */
static stat_tap_table_item table_fields[COL_COUNT] = {
    [COL_SERVER]        = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Server",         "%-15s" },
    [COL_PORT]          = { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Port",           "%5u" },
    [COL_TRANSPORT]     = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Transport",      "%-4s" },
    [COL_SERVICE]       = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Service",        "%-20s" },
    [COL_EXPOSURE]      = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Exposure",       "%-8s" },
    [COL_CLIENTS]       = { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Clients",        "%7u" },
    [COL_CONVERSATIONS] = { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Conversations",  "%13u" },
    [COL_PACKETS]       = { TABLE_ITEM_UINT,   TAP_ALIGN_RIGHT, "Packets",        "%7u" },
    [COL_RISK]          = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Worst risk",     "%-10s" },
    [COL_FILTER]        = { TABLE_ITEM_STRING, TAP_ALIGN_LEFT,  "Display filter", "%s" },
};

/* "4 critical": the level's number (portnote.risk's) first, so that
 * sorting the column puts the worst first or last. */
static char risk_texts[PN_RISK_COUNT][16];

/* The rows counted for the table, in the table's order. */
static pn_service_rows_t *counted;
/* The table's rows a reset took away: a dialog other than the one that
 * reset the shared table may still point at them, so they live until the
 * table itself is made anew. */
static GPtrArray *dropped;

/** Frees what a cell of the table owns (its text, for the string columns
 * a row made for itself). */
static void free_cell(stat_tap_table *table _U_, guint row _U_, guint column, stat_tap_table_item_type *cell)
{
    if (column == COL_SERVER || column == COL_SERVICE || column == COL_FILTER) {
        g_free((char *)cell->value.string_value);
        cell->value.string_value = NULL;
    }
}

/** Frees the cells of the rows resets took away. */
static void free_dropped(void)
{
    if (!dropped)
        return;
    for (guint i = 0; i < dropped->len; i++) {
        stat_tap_table_item_type *cells = dropped->pdata[i];

        for (guint c = 0; c < COL_COUNT; c++)
            free_cell(NULL, 0, c, &cells[c]);
        g_free(cells);
    }
    g_ptr_array_set_size(dropped, 0);
}

/** Empties the table and what was counted for it, for a new pass: the
 * dialog's retap, another display filter, another file. */
static void table_reset(stat_tap_table *table)
{
    for (guint i = 0; i < table->num_elements; i++)
        g_ptr_array_add(dropped, table->elements[i]);
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
    pn_service_rows_reset(counted);
}

/** Makes the table, or empties it when a dialog already made it. */
static void table_init(stat_tap_table_ui *ui)
{
    stat_tap_table *table = stat_tap_find_table(ui, TABLE_TITLE);

    if (!counted) {
        counted = pn_service_rows_new();
        dropped = g_ptr_array_new();
    }
    if (table) {
        table_reset(table);
        return;
    }
    free_dropped();
    pn_service_rows_reset(counted);
    stat_tap_add_table(ui, stat_tap_init_table(TABLE_TITLE, COL_COUNT, 0, NULL));
}

/** The display filter of a row: the service's server and port and, when
 * known, its exposure (a server seen from inside and from outside is two
 * rows). */
static char *row_filter(const pn_service_row_t *r)
{
    char *base = pn_service_row_filter(r);
    char *filter;

    if (r->exposure == PN_EXPOSURE_UNKNOWN)
        return base;
    filter = g_strdup_printf("%s && portnote.exposure == \"%s\"", base,
                             pn_exposure_name((pn_exposure_t)r->exposure));
    g_free(base);
    return filter;
}

/** Adds the table row of a service counted for the first time. */
static void add_row(stat_tap_table *table, const pn_service_row_t *r)
{
    stat_tap_table_item_type cells[COL_COUNT];

    memset(cells, 0, sizeof cells);
    for (guint c = 0; c < COL_COUNT; c++)
        cells[c].type = table_fields[c].type;
    cells[COL_SERVER].value.string_value = g_strdup(r->server);
    cells[COL_PORT].value.uint_value = r->port;
    cells[COL_TRANSPORT].value.string_value = pn_transport_name((pn_transport_t)r->transport);
    cells[COL_SERVICE].value.string_value = g_strdup(r->service);
    cells[COL_EXPOSURE].value.string_value = pn_exposure_name((pn_exposure_t)r->exposure);
    cells[COL_FILTER].value.string_value = row_filter(r);
    stat_tap_init_table_row(table, r->index, COL_COUNT, cells);
}

/** Brings a row's counts up to date with what was counted. */
static void update_row(stat_tap_table *table, const pn_service_row_t *r)
{
    stat_tap_table_item_type *cells = stat_tap_get_field_data(table, r->index, 0);

    cells[COL_CLIENTS].value.uint_value = g_hash_table_size(r->clients);
    cells[COL_CONVERSATIONS].value.uint_value = g_hash_table_size(r->conversations);
    cells[COL_PACKETS].value.uint_value = (guint)MIN(r->packets, G_MAXUINT);
    cells[COL_RISK].value.string_value = risk_texts[r->worst];
}

static tap_packet_status table_packet(void *tapdata, packet_info *pinfo, epan_dissect_t *edt _U_,
                                      const void *data, tap_flags_t flags _U_)
{
    const stat_data_t *stat_data = tapdata;
    stat_tap_table *table = g_array_index(stat_data->stat_tap_data->tables, stat_tap_table *, 0);
    const pn_tap_notes_t *pkt = data;
    tap_packet_status status = TAP_PACKET_DONT_REDRAW;

    for (guint i = 0; i < pkt->count; i++) {
        const pn_service_row_t *r = pn_service_rows_add(counted, pinfo, pkt, &pkt->notes[i]);

        if (!r)
            continue;
        if (r->index >= table->num_elements)
            add_row(table, r);
        update_row(table, r);
        status = TAP_PACKET_REDRAW;
    }
    return status;
}

/** Frees the rows behind the table when Wireshark shuts down (the table
 * is Wireshark's to free). */
static void table_shutdown(void)
{
    free_dropped();
    if (dropped)
        g_ptr_array_free(dropped, TRUE);
    pn_service_rows_free(counted);
    dropped = NULL;
    counted = NULL;
}

void portnote_register_services_table(void)
{
    static tap_param params[] = {
        { PARAM_FILTER, "filter", "Filter", NULL, TRUE }
    };
    static stat_tap_table_ui table_ui = {
        .group = REGISTER_PACKET_STAT_GROUP_UNSORTED,
        .title = TABLE_TITLE,
        .tap_name = PN_TAP_NAME,
        .cli_string = TABLE_CLI,
        .stat_tap_init_cb = table_init,
        .packet_func = table_packet,
        .stat_tap_reset_table_cb = table_reset,
        .stat_tap_free_table_item_cb = free_cell,
        .nfields = COL_COUNT,
        .fields = table_fields,
        .nparams = G_N_ELEMENTS(params),
        .params = params,
    };

    for (int level = PN_RISK_NONE; level < PN_RISK_COUNT; level++)
        g_snprintf(risk_texts[level], sizeof risk_texts[level], "%d %s", level,
                   pn_risk_name((pn_risk_t)level));
    register_stat_tap_table_ui(&table_ui);
    register_shutdown_routine(table_shutdown);
}
