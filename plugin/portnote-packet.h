/* portnote-packet.h
 * What the walk through a packet's layers (portnote-layers.c) learns, in
 * one struct that the later stages only read: the connection table
 * (portnote-connections.c), the conversation state (portnote-conv.c) and
 * the notes.  Data flows one way: no later stage calls back into the walk.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_PACKET_H
#define PORTNOTE_PACKET_H

#include <string.h>
#include <epan/packet.h>

#include "portnote-evidence.h"

/* Transport layers a packet may have before the rest are ignored. */
#define PN_MAX_LAYERS 16

/* Where a layer's header is: its protocol item in the tree, or found after
 * the IP header (portnote-layers.c's working record). */
typedef struct {
    tvbuff_t *tvb;          /* NULL: not known */
    gint start;
    gint end;               /* where its segment ends (the IP packet's end); -1: ask ip */
    const field_info *ip;   /* the IP item before it in the tree, or NULL */
    const guint8 *bytes;    /* its first captured bytes (read once), */
    gint captured;          /* at least 4 of them, at most PN_HEADER_PEEK */
} pn_header_t;

/* The longest transport header read (TCP's, with all its options). */
#define PN_HEADER_PEEK 60

/* One transport layer of a packet, as the walk found it. */
typedef struct {
    const struct transport_info *ti;    /* portnote-layers.c's */
    guint16 ports[2];       /* source, destination */
    gint ports_start;       /* the ports' bytes in the frame; -1 elsewhere or unknown */
    pn_hint_t handshake;    /* who a TCP handshake says the client is */
    pn_header_t header;
    const guint8 *tcp;      /* a TCP layer's first 14 header bytes (through the flags), or NULL */
} pn_layer_t;

/* The first bytes (at most PN_PAYLOAD_PEEK) of a layer's payload. */
typedef struct {
    const guint8 *data;
    gsize length;
} pn_payload_t;

/* The conversation layer: the innermost TCP or UDP layer, whose ports are
 * the ones Wireshark keyed the packet's conversation on. */
typedef struct {
    pn_transport_t transport;
    guint16 ports[2];       /* source, destination */
    gint ports_start;       /* the ports' bytes in the frame; -1 elsewhere or unknown */
    pn_endpoint_t ends[2];  /* source, destination: their notes rows (ephemeral not read) */
    pn_hint_t handshake;    /* who the TCP handshake says the client is */
    gboolean tcp_known;     /* a TCP header was found: */
    guint32 tcp_seq, tcp_ack;
    guint8 tcp_flags;
    /* First pass only (the only one that reads them): */
    gboolean has_payload;   /* the segment carries payload (its header was found) */
    guint32 payload_length; /* its length as the headers give it */
    tvbuff_t *payload_tvb;  /* where its bytes are (portnote_layers_payload() reads them); */
    gint payload_offset;    /* NULL when its header was cut short */
} pn_conv_layer_t;

/* What the walk learns of one packet. */
typedef struct {
    guint layer_count;
    gint conv_layer;        /* the conversation layer's index in layers, or -1 */
    pn_conv_layer_t conv;   /* valid when conv_layer >= 0 */
    pn_layer_t layers[PN_MAX_LAYERS];   /* in the packet's order; quoted ones left out */
} pn_packet_t;

/* The notes of one frame while they are being found (first pass). */
typedef struct {
    guint count;
    pn_note_t notes[PN_MAX_NOTES];
} pn_note_buffer_t;

/** Appends a note for one side of a layer (NULL when the frame's buffer is
 * full), pointed at its port's bytes in the frame when ports_start says
 * where they are (for the details pane's highlighting). */
static inline pn_note_t *pn_notes_append(pn_note_buffer_t *notes, const pn_entry_t *entry,
                                         pn_transport_t transport, const guint16 ports[2],
                                         gint ports_start, pn_role_t role, gboolean is_src)
{
    pn_note_t *note;

    if (notes->count >= PN_MAX_NOTES)
        return NULL;
    note = &notes->notes[notes->count++];
    memset(note, 0, sizeof *note);
    note->entry = entry;
    note->kind = entry ? PN_NOTE_DOCUMENTED : PN_NOTE_UNDOCUMENTED;
    note->transport = (guint8)transport;
    note->port = ports[is_src ? 0 : 1];
    note->role = (guint8)role;
    note->is_src = (guint8)is_src;
    note->start = -1;
    if (ports_start >= 0) {
        note->start = is_src ? ports_start : ports_start + 2;
        note->length = 2;
    }
    return note;
}

#endif /* PORTNOTE_PACKET_H */
