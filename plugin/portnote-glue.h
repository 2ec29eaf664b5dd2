/* portnote-glue.h
 * What the files of PortNote's Wireshark glue share.  One concern each:
 *   packet-portnote.c  registration, preferences, the dissector itself
 *   portnote-load.c    loading the notes files (global, personal, profile)
 *   portnote-table.c   the "Port notes" table (UAT) of the preferences
 *   portnote-layers.c  one walk through the packet's transport layers, which
 *                      fills the struct of portnote-packet.h, and their notes
 *   portnote-connections.c  its own table of connections (TCP port reuse)
 *   portnote-conv.c    per-conversation state: payload check, notes shown
 *   portnote-site.c    the local networks and each note's exposure
 *   portnote-services.c  one alert per server service
 *   portnote-fields.c  the fields and subtrees, the service a note names
 *   portnote-expert.c  the Expert Info entries and which one a note raises
 *   portnote-show.c    the tree, Expert Info's text and the Info column
 *   portnote-stats.c   the statistics tree (tap listener)
 *   portnote-findings.c  findings per conversation (tap listener, JSON)
 *   portnote-service-rows.c   one row per server service, for the two below
 *   portnote-services-view.c  the per-service view (tap listener, JSON)
 *   portnote-services-table.c the per-service view in the GUI's statistics
 *                      table dialog (Statistics > PortNote Services)
 * A packet goes through them one way: the layers are walked once
 * (portnote_layers_collect), its connection is found and updated
 * (portnote_conv_update), its notes are found and given the
 * conversation's verdict (portnote_layers_notes, portnote_conv_apply), given its
 * exposure and its service's one alert (portnote_site_apply,
 * portnote_services_flag), then shown (portnote_show) and handed to the taps.
 * The notes themselves (parsing, lookup, the evidence rule, payload
 * signatures) are the epan-free core: portnote-db, -evidence, -payload.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_GLUE_H
#define PORTNOTE_GLUE_H

#include <ws_version.h>
#include <epan/packet.h>
#include <epan/range.h>
#include <epan/uat.h>

#include "portnote-evidence.h"
#include "portnote-packet.h"
#include "portnote-tap.h"
#include "portnote-pint.h"     /* PN_WS_AT_LEAST, pn_ntoh16, pn_ntoh32 */

/* 4.2 moved field values behind a pointer, preferences to C bool, and
 * renamed tvb_get_guint8 (deprecated from 4.4). */
#if PN_WS_AT_LEAST(4, 2)
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fi)->value)
#define pn_tvb_get_u8 tvb_get_uint8
typedef bool pn_pref_bool_t;
#else
/* 4.0's getter takes a non-const fvalue although it only reads it. */
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fvalue_t *)&(fi)->value)
#define pn_tvb_get_u8 tvb_get_guint8
typedef gboolean pn_pref_bool_t;
#endif

/* TCP header flags (byte 13), read for the handshake and for port reuse. */
#define PN_TCP_FIN 0x01
#define PN_TCP_SYN 0x02
#define PN_TCP_RST 0x04
#define PN_TCP_ACK 0x10

#define PN_NOTES_FILE "portnotes.csv"

/** Wireshark's port type of a transport. */
static inline port_type pn_port_type(pn_transport_t transport)
{
    static const port_type types[PN_TRANSPORT_COUNT] = { PT_TCP, PT_UDP, PT_SCTP };

    return transport < PN_TRANSPORT_COUNT ? types[transport] : PT_NONE;
}

/* The preferences in force (packet-portnote.c). */
typedef struct {
    range_t *ephemeral;             /* the client-side port range */
    pn_pref_bool_t client_side_ports;
    pn_pref_bool_t client_ranges;   /* also show the database's client-port ranges */
    pn_pref_bool_t expert_enabled;
    gint expert_min_risk;
    pn_pref_bool_t info_column;
    pn_pref_bool_t payload_check;
    pn_pref_bool_t iana_names;
} pn_prefs_t;

extern pn_prefs_t portnote_prefs;
extern int proto_portnote;

/* portnote-load.c */
const pn_db_t *portnote_notes(void);
void portnote_notes_refresh(void);
void portnote_notes_mark_stale(void);
void portnote_notes_free(void);

/* portnote-table.c */
uat_t *portnote_register_notes_table(void);
char *portnote_notes_table_file(void);

/* portnote-layers.c */
void portnote_layers_init(void);
void portnote_layers_collect(pn_packet_t *packet, packet_info *pinfo, proto_tree *tree,
                             tvbuff_t *frame_tvb);
void portnote_layers_notes(pn_note_buffer_t *notes, const pn_packet_t *packet,
                           const pn_role_t *conv_roles);
void portnote_layers_payload(const pn_conv_layer_t *layer, pn_payload_t *payload);

/* portnote-connections.c */
void portnote_connections_init(void);
void *portnote_connection(packet_info *pinfo, const pn_packet_t *packet, gsize state_size, int *end,
                          guint32 *id);

/* The ends of a conversation once its roles are known. */
enum { PN_END_CLIENT, PN_END_SERVER };

/* What the packet's conversation says of the packet (portnote_conv_update). */
typedef struct {
    int end;                /* the packet's end: 0 the side that sent the first packet */
    guint32 connection;     /* the frame that started the connection; 0 when it has no state */
    gboolean roles_known;   /* the connection has decided its roles: */
    pn_role_t roles[2];     /* the packet's source's and destination's (maybe both unknown) */
    gboolean server_known;  /* one end is the server: the counts below are by PN_END_* */
    /* Per end, the packets and payload bytes of the conversation layer seen so
     * far (first pass) or in all (later passes); indexed by PN_END_* when
     * server_known, else by end (0: the first packet's sender). */
    guint32 packets[2];
    guint64 bytes[2];
} pn_conv_view_t;

/* What the local networks say of a conversation's two addresses, by end
 * (portnote-site.c fills it on the conversation's first packet with notes,
 * and again after the local networks change). */
typedef struct {
    guint32 generation;     /* 0: not filled yet */
    guint8 ip[2];
    guint8 local[2];
    guint8 loopback[2];
} pn_site_memo_t;

/* portnote-conv.c */
typedef struct pn_conv pn_conv_t;
pn_site_memo_t *portnote_conv_site_memo(pn_conv_t *conv);
pn_conv_t *portnote_conv_update(packet_info *pinfo, const pn_packet_t *packet, pn_conv_view_t *view);
void portnote_conv_add_findings(pn_conv_t *conv, int end_of_packet,
                                const pn_packet_t *packet, pn_note_buffer_t *notes);
gboolean portnote_conv_apply(pn_conv_t *conv, packet_info *pinfo, int end_of_packet, pn_note_t *notes,
                             guint count);
void portnote_conv_flag_amplifying(const pn_conv_view_t *view, const pn_packet_t *packet,
                                   pn_note_t *notes, guint count);

/* portnote-site.c */
void portnote_site_set(const char *text);
void portnote_site_free(void);
void portnote_site_apply(const packet_info *pinfo, pn_site_memo_t *memo, int end_of_packet, pn_note_t *notes,
                         guint count);
const address *portnote_note_server(const packet_info *pinfo, const pn_note_t *note);
const address *portnote_note_client(const packet_info *pinfo, const pn_note_t *note);

/* portnote-services.c */
void portnote_services_init(void);
void portnote_services_flag(const packet_info *pinfo, pn_note_t *notes, guint count);

/* portnote-fields.c (and portnote-fields.h, for the display and the taps) */
void portnote_register_fields(void);

/* portnote-show.c */
void portnote_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                   const pn_note_t *notes, guint count);

#endif /* PORTNOTE_GLUE_H */
