/* portnote-glue.h
 * What the files of PortNote's Wireshark glue share.  One concern each:
 *   packet-portnote.c  registration, preferences, the dissector itself
 *   portnote-load.c    loading the notes files (global, personal, profile)
 *   portnote-table.c   the "Port notes" table (UAT) of the preferences
 *   portnote-layers.c  reading the ports of every transport layer
 *   portnote-connections.c  its own table of connections (TCP port reuse)
 *   portnote-conv.c    per-conversation state: payload check, alerts once
 *   portnote-show.c    the tree, Expert Info and the Info column
 *   portnote-stats.c   the statistics tree
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

/* The notes of one frame while they are being found (first pass). */
typedef struct {
    guint count;
    pn_note_t notes[PN_MAX_NOTES];
} pn_note_buffer_t;

/* Where a layer's header is: its protocol item in the tree, or found after
 * the IP header. */
typedef struct {
    tvbuff_t *tvb;          /* NULL: not known */
    gint start;
    gint end;               /* where its segment ends (the IP packet's end); -1: ask ip */
    const field_info *ip;   /* the IP item before it in the tree, or NULL */
} pn_header_t;

/* One transport layer of a packet (read through portnote_layer_*(): the
 * fields are portnote-layers.c's; the type is here so that callers can
 * hold one without an allocation per packet). */
typedef struct {
    const struct transport_info *ti;
    guint16 ports[2];       /* source, destination */
    pn_header_t header;
    gint ports_start;       /* the ports' bytes in the frame; -1 elsewhere or unknown */
    gboolean tcp_known;     /* a TCP header was found: */
    guint32 tcp_seq, tcp_ack;
    guint8 tcp_flags;
} pn_layer_t;

/* The first bytes (at most PN_PAYLOAD_PEEK) of a layer's payload. */
typedef struct {
    const guint8 *data;
    gsize length;
} pn_payload_t;

/* portnote-load.c */
const pn_db_t *portnote_notes(void);
void portnote_notes_refresh(void);
void portnote_notes_mark_stale(void);
void portnote_notes_free(void);

/* portnote-table.c */
uat_t *portnote_register_notes_table(void);

/* portnote-layers.c */
void portnote_layers_init(void);
const pn_layer_t *portnote_find_notes(pn_note_buffer_t *notes, packet_info *pinfo, proto_tree *tree,
                                      tvbuff_t *frame_tvb, pn_layer_t *inner_layer);
pn_note_t *portnote_layer_add_note(pn_note_buffer_t *notes, const pn_layer_t *layer,
                                   const pn_entry_t *entry, pn_role_t role, gboolean is_src);
pn_transport_t portnote_layer_transport(const pn_layer_t *layer);
pn_hint_t portnote_layer_handshake(const pn_layer_t *layer);
gboolean portnote_layer_tcp_numbers(const pn_layer_t *layer, guint32 *seq, guint32 *ack, guint8 *flags);
gboolean portnote_layer_payload(const pn_layer_t *layer, pn_payload_t *payload);

/* portnote-connections.c */
void portnote_connections_init(void);
void *portnote_connection(packet_info *pinfo, const pn_layer_t *inner, gsize state_size, int *end);

/* portnote-conv.c */
typedef struct pn_conv pn_conv_t;
pn_conv_t *portnote_conv_update(packet_info *pinfo, const pn_layer_t *inner, int *end);
void portnote_conv_add_findings(pn_conv_t *conv, packet_info *pinfo, int end_of_packet,
                                const pn_layer_t *inner, pn_note_buffer_t *notes);
gboolean portnote_conv_apply(pn_conv_t *conv, packet_info *pinfo, int end_of_packet, pn_note_t *notes,
                             guint count);

/* portnote-show.c */
void portnote_register_fields(void);
void portnote_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                   const pn_note_t *notes, guint count);

#endif /* PORTNOTE_GLUE_H */
