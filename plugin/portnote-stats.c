/* portnote-stats.c
 * The "Port notes" statistics tree, for reviewing a whole capture:
 *   tshark -q -z portnote,tree[,FILTER]   and   Statistics > PortNote > Port notes
 * Levels: risk -> port/transport and service (or payload finding) -> address of the port's host,
 * each node counting packets (once per packet, so that the counts agree
 * with the matching display filters).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/to_str.h>

#include "portnote-tap.h"

#define ROOT_NODE "Packets with port notes"

static const char *const risk_nodes[PN_RISK_COUNT] = {
    "No warning", "Risk low", "Risk medium", "Risk high", "Risk critical"
};

/* Creates the fixed nodes so that risks are listed from the worst down. */
static void portnote_stats_init(stats_tree *st)
{
    int root = stats_tree_create_node(st, ROOT_NODE, 0, STAT_DT_INT, TRUE);

    for (int risk = PN_RISK_CRITICAL; risk >= PN_RISK_NONE; risk--)
        stats_tree_create_node(st, risk_nodes[risk], root, STAT_DT_INT, TRUE);
}

static gboolean same_port(const pn_note_t *a, const pn_note_t *b)
{
    return a->entry == b->entry && a->port == b->port && a->transport == b->transport
        && a->kind == b->kind && (a->kind != PN_NOTE_FINDING
                                  || (a->verdict == b->verdict && a->observed == b->observed));
}

/** "23/tcp Telnet", "80/tcp HTTP: ssh payload, protocol-mismatch". */
static char *port_node_name(wmem_allocator_t *scope, const pn_note_t *note)
{
    const char *transport = pn_transport_name((pn_transport_t)note->transport);

    if (note->kind == PN_NOTE_FINDING)
        return wmem_strdup_printf(scope, "%u/%s %s: %s payload, %s", note->port, transport,
                                  portnote_note_service(note), pn_proto_name((pn_proto_t)note->observed),
                                  pn_verdict_name((pn_verdict_t)note->verdict));
    return wmem_strdup_printf(scope, "%u/%s %s%s", note->port, transport, portnote_note_service(note),
                              note->kind == PN_NOTE_IANA ? " (IANA name)" : "");
}

/* The network address of the port's side (the innermost IP layer). */
static const address *host_of(packet_info *pinfo, const pn_note_t *note)
{
    return note->is_src ? &pinfo->net_src : &pinfo->net_dst;
}

/** Adds 1 to a node, or 0 when this packet already counted there; returns its id. */
static int count_once(stats_tree *st, const char *name, int parent, gboolean children,
                      gboolean already_counted)
{
    return increase_stat_node(st, name, parent, children, already_counted ? 0 : 1);
}

static tap_packet_status portnote_stats_packet(stats_tree *st, packet_info *pinfo,
                                               epan_dissect_t *edt _U_, const void *data,
                                               tap_flags_t flags _U_)
{
    const pn_frame_notes_t *pkt = data;
    int root = tick_stat_node(st, ROOT_NODE, 0, TRUE);

    for (guint i = 0; i < pkt->count; i++) {
        const pn_note_t *note = &pkt->notes[i];
        pn_risk_t risk = portnote_note_risk(note);
        gboolean risk_seen = FALSE, port_seen = FALSE, host_seen = FALSE;
        char *port_name = port_node_name(pinfo->pool, note);
        int risk_id, port_id;

        for (guint j = 0; j < i; j++) {
            const pn_note_t *earlier = &pkt->notes[j];
            risk_seen |= portnote_note_risk(earlier) == risk;
            port_seen |= same_port(earlier, note);
            host_seen |= same_port(earlier, note)
                         && addresses_equal(host_of(pinfo, earlier), host_of(pinfo, note));
        }
        risk_id = count_once(st, risk_nodes[risk], root, TRUE, risk_seen);
        port_id = count_once(st, port_name, risk_id, TRUE, port_seen);
        count_once(st, address_to_str(pinfo->pool, host_of(pinfo, note)), port_id, FALSE, host_seen);
    }
    return TAP_PACKET_REDRAW;
}

void portnote_register_stats(void)
{
    stats_tree_register_plugin(PN_TAP_NAME, "portnote", "PortNote/Port notes",
                               TL_REQUIRES_PROTO_TREE, portnote_stats_packet,
                               portnote_stats_init, NULL);
}
