/* portnote-site.c
 * The local networks (the `local_networks` preference) and the exposure of
 * each note: which end of its conversation is the server, and whether each
 * end is local (portnote-exposure.h has the rule).  The preference is a
 * list of address prefixes read with Wireshark's own address parsers;
 * multicast, broadcast and unspecified addresses are local scope: a local
 * host's query to them never leaves the site.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/address.h>
#include <wsutil/inet_addr.h>
#include <wsutil/pint.h>
#include <wsutil/report_message.h>

#include "portnote-exposure.h"
#include "portnote-glue.h"

static pn_netlist_t *local_networks;
static guint32 local_networks_generation;   /* changes with the list */

/* Whether recent IPv4 addresses are local, by a hash of the address: every
 * packet with a note asks for both of its ends, a capture has few hosts,
 * and the list is searched prefix by prefix.  Emptied with the list. */
#define V4_CACHE_SLOTS 256
static struct {
    guint32 address;
    guint8 known;
    guint8 local;
} v4_cache[V4_CACHE_SLOTS];

/** Whether an IPv4 or IPv6 address is in the local networks (IPv4 ones
 * through v4_cache). */
static gboolean in_local_networks(const address *a)
{
    guint32 v;
    guint slot;

    if (a->len != 4)
        return pn_netlist_contains(local_networks, (guint)a->len, (const guint8 *)a->data);
    v = pn_ntoh32((const guint8 *)a->data);
    slot = (v * 0x9E3779B1u) >> 24;
    if (!v4_cache[slot].known || v4_cache[slot].address != v) {
        v4_cache[slot].address = v;
        v4_cache[slot].local = (guint8)pn_netlist_contains(local_networks, 4, (const guint8 *)a->data);
        v4_cache[slot].known = TRUE;
    }
    return v4_cache[slot].local;
}

/** Parses one "ADDRESS[/BITS]" into the list; FALSE when it is not one. */
static gboolean add_prefix(pn_netlist_t *list, const char *item)
{
    char **parts = g_strsplit(item, "/", 2);
    ws_in6_addr v6;
    ws_in4_addr v4;
    guint64 bits = 0;
    gboolean v4_ok = ws_inet_pton4(parts[0], &v4);
    gboolean ok = v4_ok || ws_inet_pton6(parts[0], &v6);
    guint max = v4_ok ? 32 : 128;

    if (ok && parts[1])
        ok = g_ascii_string_to_unsigned(parts[1], 10, 0, max, &bits, NULL);
    else
        bits = max;
    if (ok)
        ok = pn_netlist_add(list, v4_ok ? 4 : 16, v4_ok ? (const guint8 *)&v4 : v6.bytes, (guint)bits);
    g_strfreev(parts);
    return ok;
}

/**
 * Reads the preference (prefixes separated by commas or blanks).  A bad
 * entry is reported and skipped; the others apply.
 */
void portnote_site_set(const char *text)
{
    char **items = g_strsplit_set(text ? text : "", ", \t", -1);
    GString *bad = g_string_new(NULL);

    pn_netlist_free(local_networks);
    local_networks = pn_netlist_new();
    memset(v4_cache, 0, sizeof(v4_cache));
    if (++local_networks_generation == 0)
        local_networks_generation = 1;
    for (char **item = items; *item; item++) {
        if (**item && !add_prefix(local_networks, *item))
            g_string_append_printf(bad, "%s'%s'", bad->len ? ", " : "", *item);
    }
    if (bad->len)
        report_failure("PortNote: local_networks: %s is not an address or prefix "
                       "(e.g. 10.0.0.0/8 or fd00::/8); the other entries apply", bad->str);
    g_strfreev(items);
    g_string_free(bad, TRUE);
}

void portnote_site_free(void)
{
    pn_netlist_free(local_networks);
    local_networks = NULL;
    memset(v4_cache, 0, sizeof(v4_cache));
}

/* What an address says of its end. */
typedef struct {
    gboolean ip;
    gboolean local;
    gboolean loopback;
} end_t;

static end_t end_of(const address *a)
{
    static const guint8 v6_loopback[16] = { [15] = 1 };
    static const guint8 v6_unspecified[16] = { 0 };
    end_t e = { FALSE, FALSE, FALSE };

    if (a->type == AT_IPv4 && a->len == 4) {
        guint32 v = pn_ntoh32((const guint8 *)a->data);
        e.ip = TRUE;
        e.loopback = (v >> 24) == 127;
        e.local = in4_addr_is_multicast(v) || v == 0xffffffffu || v == 0 || in_local_networks(a);
    } else if (a->type == AT_IPv6 && a->len == 16) {
        e.ip = TRUE;
        e.loopback = memcmp(a->data, v6_loopback, 16) == 0;
        e.local = in6_addr_is_multicast((const ws_in6_addr *)a->data)
            || memcmp(a->data, v6_unspecified, 16) == 0
            || in_local_networks(a);
    }
    return e;
}

/**
 * The server's address of a note in this packet: the note's side.  A port
 * on both ends (53 to 53, 5353 to 5353) names no side: the multicast or
 * broadcast group it was sent to, else the lower address, so that both
 * directions name the same server.
 */
const address *portnote_note_server(const packet_info *pinfo, const pn_note_t *note)
{
    if (note->both_sides) {
        end_t dst = end_of(&pinfo->net_dst);
        gboolean group = dst.local && !in_local_networks(&pinfo->net_dst);
        if (group || cmp_address(&pinfo->net_dst, &pinfo->net_src) < 0)
            return &pinfo->net_dst;
        return &pinfo->net_src;
    }
    return note->is_src ? &pinfo->net_src : &pinfo->net_dst;
}

/** The other end's address of a note in this packet (see above). */
const address *portnote_note_client(const packet_info *pinfo, const pn_note_t *note)
{
    return portnote_note_server(pinfo, note) == &pinfo->net_src ? &pinfo->net_dst : &pinfo->net_src;
}

/** Whether two addresses are equal: mostly the same bytes (the IP
 * dissector points both at its header), so that is checked first. */
static inline gboolean same_address(const address *a, const address *b)
{
    return (a->data == b->data && a->type == b->type && a->len == b->len) || addresses_equal(a, b);
}

/** Whether the packet's network addresses are its conversation's (those
 * Wireshark keyed it on), so that what the memo says of them holds. */
static gboolean addresses_are_conversations(const packet_info *pinfo)
{
    return same_address(&pinfo->net_src, &pinfo->src) && same_address(&pinfo->net_dst, &pinfo->dst);
}

/** The packet's ends (source, destination), through the conversation's
 * memo when it has one: the addresses do not change within it. */
static void ends_of_packet(const packet_info *pinfo, pn_site_memo_t *memo, int end_of_packet, end_t *src,
                           end_t *dst)
{
    int s = end_of_packet ? 1 : 0;

    if (memo && !addresses_are_conversations(pinfo))
        memo = NULL;
    if (memo && memo->generation == local_networks_generation) {
        *src = (end_t){ memo->ip[s], memo->local[s], memo->loopback[s] };
        *dst = (end_t){ memo->ip[!s], memo->local[!s], memo->loopback[!s] };
        return;
    }
    *src = end_of(&pinfo->net_src);
    *dst = end_of(&pinfo->net_dst);
    if (memo) {
        memo->generation = local_networks_generation;
        memo->ip[s] = (guint8)src->ip;
        memo->local[s] = (guint8)src->local;
        memo->loopback[s] = (guint8)src->loopback;
        memo->ip[!s] = (guint8)dst->ip;
        memo->local[!s] = (guint8)dst->local;
        memo->loopback[!s] = (guint8)dst->loopback;
    }
}

/** Sets each note's exposure from the packet's network addresses; memo
 * (NULL without a conversation) remembers them by the conversation's ends,
 * end_of_packet being the packet's source's. */
void portnote_site_apply(const packet_info *pinfo, pn_site_memo_t *memo, int end_of_packet, pn_note_t *notes,
                         guint count)
{
    end_t src, dst;

    if (count == 0)
        return;
    ends_of_packet(pinfo, memo, end_of_packet, &src, &dst);
    for (guint i = 0; i < count; i++) {
        gboolean server_is_src = portnote_note_server(pinfo, &notes[i]) == &pinfo->net_src;
        const end_t *server = server_is_src ? &src : &dst;
        const end_t *client = server_is_src ? &dst : &src;
        notes[i].exposure = (guint8)(server->ip && client->ip
            ? pn_exposure_of(client->local, server->local, server->loopback || client->loopback)
            : PN_EXPOSURE_UNKNOWN);
    }
}
