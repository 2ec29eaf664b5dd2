/* portnote-service-rows.c
 * One row per server service, counted from the notes PortNote hands its
 * taps (see portnote-service-rows.h).  A service is a server address, a
 * transport and port, and an exposure: the same server seen from inside
 * and from the Internet is two services, since what it risks differs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/to_str.h>

#include "portnote-fields.h"
#include "portnote-glue.h"
#include "portnote-service-rows.h"

static void row_free(gpointer data)
{
    pn_service_row_t *r = data;

    g_free(r->server);
    g_hash_table_destroy(r->clients);
    g_hash_table_destroy(r->conversations);
    g_free(r);
}

pn_service_rows_t *pn_service_rows_new(void)
{
    pn_service_rows_t *rows = g_new0(pn_service_rows_t, 1);

    rows->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    rows->rows = g_ptr_array_new_with_free_func(row_free);
    return rows;
}

void pn_service_rows_reset(pn_service_rows_t *rows)
{
    g_hash_table_remove_all(rows->by_key);
    g_ptr_array_set_size(rows->rows, 0);
}

void pn_service_rows_free(pn_service_rows_t *rows)
{
    if (!rows)
        return;
    g_hash_table_destroy(rows->by_key);
    g_ptr_array_free(rows->rows, TRUE);
    g_free(rows);
}

/** The row of a note's service, created when new. */
static pn_service_row_t *row_for(pn_service_rows_t *rows, const packet_info *pinfo, const pn_note_t *n)
{
    const address *server = portnote_note_server(pinfo, n);
    char *server_text = address_to_str(NULL, server);
    char *key = g_strdup_printf("%s/%u/%u/%u", server_text, n->transport, n->port, n->exposure);
    pn_service_row_t *r = g_hash_table_lookup(rows->by_key, key);

    if (r) {
        g_free(key);
        wmem_free(NULL, server_text);
        return r;
    }
    r = g_new0(pn_service_row_t, 1);
    r->index = rows->rows->len;
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
    g_hash_table_insert(rows->by_key, key, r);
    g_ptr_array_add(rows->rows, r);
    return r;
}

pn_service_row_t *pn_service_rows_add(pn_service_rows_t *rows, const packet_info *pinfo,
                                      const pn_tap_notes_t *packet, const pn_note_t *note)
{
    pn_service_row_t *r;
    char *client;

    if (note->role == PN_ROLE_CLIENT)
        return NULL;
    r = row_for(rows, pinfo, note);
    client = address_to_str(NULL, portnote_note_client(pinfo, note));
    if (!g_hash_table_contains(r->clients, client))
        g_hash_table_add(r->clients, g_strdup(client));
    wmem_free(NULL, client);
    g_hash_table_add(r->conversations, (gpointer)packet->conversation);
    r->worst = MAX(r->worst, pn_note_risk(note));
    r->verdicts |= 1u << note->verdict;
    if (note->observed != PN_PROTO_NONE)
        r->observed |= PN_PROTO_BIT(note->observed);
    r->last_abs = pinfo->abs_ts;
    r->packets++;
    return r;
}

char *pn_service_row_filter(const pn_service_row_t *r)
{
    const char *addr = r->atype == AT_IPv6 ? "ipv6.addr" : r->atype == AT_IPv4 ? "ip.addr" : NULL;
    const char *transport = pn_transport_name((pn_transport_t)r->transport);

    return addr ? g_strdup_printf("%s == %s && %s.port == %u", addr, r->server, transport, r->port)
                : g_strdup_printf("%s.port == %u", transport, r->port);
}
