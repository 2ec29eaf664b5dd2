/* portnote-stats.c
 * The "Port notes" statistics tree, for reviewing a whole capture:
 *   tshark -q -z portnote,tree[,FILTER]   and   Statistics > PortNote > Port notes
 * Three branches:
 *   Packets with port notes       risk -> port/transport service -> host
 *   Conversations with port notes the same, each conversation counted once
 *                                 per note, in the frame it first shows it
 *   Payload check                 finding kind -> port/transport service
 *                                 (conversations: where the verdict was made)
 * Packet counts agree with the matching display filters (each packet
 * counts once per node).  Wireshark sorts every level of a tree by one key;
 * here it is the name, ascending, so that ports come in port order: their
 * numbers are padded ("00023/tcp Telnet").  The risk levels come worst first
 * because the three that matter are kept on top (ST_FLG_SORT_TOP) and each
 * group is in alphabetical order: critical, high, medium; then low, none.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/to_str.h>
#include <wsutil/inet_addr.h>
#include <wsutil/pint.h>

#include "portnote-glue.h"
#include "portnote-fields.h"

#define PACKETS_NODE "Packets with port notes"
#define CONVERSATIONS_NODE "Conversations with port notes"
#define PAYLOAD_NODE "Payload check (conversations)"

/* "Risk critical (4)": the level, then the value of the portnote.risk field. */
static char risk_nodes[PN_RISK_COUNT][32];
/* Indexed by pn_verdict_t; the findings are kept on top of the confirmations. */
static const char *const verdict_nodes[] = {
    NULL, "Payload confirms the port's protocol", "Protocol mismatch", "Known protocol on a non-standard port"
};

static int packets_root = -1;
static int conversations_root = -1;
static int payload_root = -1;

static void portnote_stats_init(stats_tree *st)
{
    for (int r = 0; r < PN_RISK_COUNT; r++)
        g_snprintf(risk_nodes[r], sizeof risk_nodes[r], "Risk %s (%d)", pn_risk_name((pn_risk_t)r), r);
    packets_root = stats_tree_create_node(st, PACKETS_NODE, 0, STAT_DT_INT, TRUE);
    conversations_root = stats_tree_create_node(st, CONVERSATIONS_NODE, 0, STAT_DT_INT, TRUE);
    payload_root = stats_tree_create_node(st, PAYLOAD_NODE, 0, STAT_DT_INT, TRUE);
    /* Packets first, then (in name order) conversations and the payload check. */
    stat_node_set_flags(st, PACKETS_NODE, 0, FALSE, ST_FLG_SORT_TOP);
}

static gboolean same_node(const pn_note_t *a, const pn_note_t *b)
{
    return a->entry == b->entry && a->port == b->port && a->transport == b->transport
        && a->kind == b->kind && a->verdict == b->verdict && a->observed == b->observed;
}

/** "00023/tcp Telnet", "00053/udp DNS: confirmed by payload", "00080/tcp HTTP: ssh
 * payload": the port padded so that name order is port order. */
static char *port_node_name(wmem_allocator_t *scope, const pn_note_t *note)
{
    const char *transport = pn_transport_name((pn_transport_t)note->transport);

    if (note->verdict == PN_VERDICT_CONFIRMED)
        return wmem_strdup_printf(scope, "%05u/%s %s: confirmed by payload", note->port, transport,
                                  portnote_note_service(note));
    if (note->verdict != PN_VERDICT_NONE)
        return wmem_strdup_printf(scope, "%05u/%s %s: %s payload", note->port, transport,
                                  portnote_note_service(note), pn_proto_name((pn_proto_t)note->observed));
    return wmem_strdup_printf(scope, "%05u/%s %s%s", note->port, transport, portnote_note_service(note),
                              note->kind == PN_NOTE_IANA ? " (IANA name)" : "");
}

/** Whether an Ethernet-style link address is a group (broadcast or multicast) address. */
static gboolean is_group_link_address(const address *a)
{
    return a->type == AT_ETHER && a->len == 6 && (((const guint8 *)a->data)[0] & 0x01);
}

/** Whether a network address names no single host (broadcast, multicast, unspecified). */
static gboolean is_group_address(const address *a)
{
    static const guint8 unspecified6[16] = { 0 };

    if (a->type == AT_IPv4 && a->len == 4) {
        ws_in4_addr host_order = pn_ntoh32(a->data);
        return in4_addr_is_multicast(host_order) || host_order == G_MAXUINT32 || host_order == 0;
    }
    if (a->type == AT_IPv6 && a->len == 16)
        return in6_addr_is_multicast((const ws_in6_addr *)a->data) || memcmp(a->data, unspecified6, 16) == 0;
    return FALSE;
}

/** The host of the port's side (the innermost IP layer); NULL when it is not one host. */
static const address *host_of(const packet_info *pinfo, const pn_note_t *note)
{
    const address *host = note->is_src ? &pinfo->net_src : &pinfo->net_dst;

    if (is_group_address(host) || (!note->is_src && is_group_link_address(&pinfo->dl_dst)))
        return NULL;
    return host;
}

/** Adds 1 to a node, or 0 when this packet already counted there; returns its id. */
static int count_once(stats_tree *st, const char *name, int parent, gboolean children,
                      gboolean already_counted)
{
    return increase_stat_node(st, name, parent, children, already_counted ? 0 : 1);
}

/** Counts one note under root: risk -> port -> host, each node once per packet
 * (earlier: the notes already counted in this packet under the same root). */
static void count_note(stats_tree *st, packet_info *pinfo, int root, const pn_note_t *note,
                       const pn_note_t *const *earlier, guint n_earlier)
{
    pn_risk_t risk = pn_note_risk(note);
    const address *host = host_of(pinfo, note);
    gboolean risk_seen = FALSE, port_seen = FALSE, host_seen = FALSE;
    int risk_id, port_id;

    for (guint j = 0; j < n_earlier; j++) {
        const address *other = host_of(pinfo, earlier[j]);
        risk_seen |= pn_note_risk(earlier[j]) == risk;
        port_seen |= same_node(earlier[j], note);
        host_seen |= same_node(earlier[j], note) && host && other && addresses_equal(other, host);
    }
    risk_id = count_once(st, risk_nodes[risk], root, TRUE, risk_seen);
    if (risk >= PN_RISK_MEDIUM)
        stat_node_set_flags(st, risk_nodes[risk], root, FALSE, ST_FLG_SORT_TOP);
    port_id = count_once(st, port_node_name(pinfo->pool, note), risk_id, TRUE, port_seen);
    if (host)
        count_once(st, address_to_str(pinfo->pool, host), port_id, FALSE, host_seen);
}

/** Counts the notes of one packet under root; keep() picks the ones that count. */
static void count_notes(stats_tree *st, packet_info *pinfo, int root, const pn_tap_notes_t *pkt,
                            gboolean (*keep)(const pn_note_t *))
{
    const pn_note_t *counted[PN_MAX_NOTES];
    guint n = 0;

    for (guint i = 0; i < pkt->count && n < PN_MAX_NOTES; i++) {
        if (!keep(&pkt->notes[i]))
            continue;
        count_note(st, pinfo, root, &pkt->notes[i], counted, n);
        counted[n++] = &pkt->notes[i];
    }
}

static gboolean every_note(const pn_note_t *note _U_)
{
    return TRUE;
}

static gboolean first_in_conversation(const pn_note_t *note)
{
    return (note->flags & PN_FLAG_FIRST_IN_CONV) != 0;
}

/** Counts the conversations whose payload verdict was made in this packet. */
static void count_verdicts(stats_tree *st, packet_info *pinfo, const pn_tap_notes_t *pkt)
{
    for (guint i = 0; i < pkt->count; i++) {
        const pn_note_t *note = &pkt->notes[i];
        int kind;
        if (note->verdict == PN_VERDICT_NONE || !(note->flags & PN_FLAG_DECIDED_HERE))
            continue;
        tick_stat_node(st, PAYLOAD_NODE, 0, TRUE);
        kind = tick_stat_node(st, verdict_nodes[note->verdict], payload_root, TRUE);
        if (note->verdict != PN_VERDICT_CONFIRMED)
            stat_node_set_flags(st, verdict_nodes[note->verdict], payload_root, FALSE, ST_FLG_SORT_TOP);
        tick_stat_node(st, port_node_name(pinfo->pool, note), kind, FALSE);
    }
}

static tap_packet_status portnote_stats_packet(stats_tree *st, packet_info *pinfo,
                                               epan_dissect_t *edt _U_, const void *data,
                                               tap_flags_t flags _U_)
{
    const pn_tap_notes_t *pkt = data;

    tick_stat_node(st, PACKETS_NODE, 0, TRUE);
    count_notes(st, pinfo, packets_root, pkt, every_note);
    count_notes(st, pinfo, conversations_root, pkt, first_in_conversation);
    if (pkt->conversation_starts)
        tick_stat_node(st, CONVERSATIONS_NODE, 0, TRUE);
    count_verdicts(st, pinfo, pkt);
    return TAP_PACKET_REDRAW;
}

void portnote_register_stats(void)
{
    stats_tree_register_plugin(PN_TAP_NAME, "portnote", "PortNote/Port notes",
                               TL_REQUIRES_PROTO_TREE | ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT,
                               portnote_stats_packet,
                               portnote_stats_init, NULL);
}
