/* portnote-layers.c
 * Reading the ports of every TCP, UDP and SCTP layer of a packet (so
 * tunnels such as VXLAN or GRE show their inner ports too), from the
 * fields Wireshark's own dissectors put in the tree, and turning the
 * documented ones into notes.
 *
 * Ports quoted inside an ICMP or ICMPv6 error are skipped: they describe
 * the packet that failed, not this one, and `-Y portnote.risk` must only
 * select packets that really carry traffic on a documented port.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/addr_resolv.h>
#include <epan/proto.h>

#include "portnote-glue.h"

/* The lower-layer fields read for one transport. */
typedef struct {
    const char *src_name;
    const char *dst_name;
    pn_transport_t transport;
    gint min_header;        /* a header cut shorter than this gets no notes */
    port_type ptype;
    const char *len_name;   /* the field the payload length comes from */
    gint len_offset;        /* its furthest offset from the source port (tcp.len sits
                             * at the header's start in 4.0, at byte 12 before) */
    int hf_src;
    int hf_dst;
    int hf_len;
} transport_fields_t;

/* Indexed by pn_transport_t. */
static transport_fields_t transport_fields[PN_TRANSPORT_COUNT] = {
    [PN_TRANSPORT_TCP]  = { "tcp.srcport",  "tcp.dstport",  PN_TRANSPORT_TCP,  20, PT_TCP,  "tcp.len",    12, -1, -1, -1 },
    [PN_TRANSPORT_UDP]  = { "udp.srcport",  "udp.dstport",  PN_TRANSPORT_UDP,   8, PT_UDP,  "udp.length",  4, -1, -1, -1 },
    [PN_TRANSPORT_SCTP] = { "sctp.srcport", "sctp.dstport", PN_TRANSPORT_SCTP, 12, PT_SCTP, NULL,          0, -1, -1, -1 },
};

static int proto_icmp = -1;
static int proto_icmpv6 = -1;

struct pn_layer {
    const transport_fields_t *tf;
    const field_info *src;
    const field_info *dst;
};

/** Asks for the port and length fields of every transport (and ICMP, to skip quotes). */
void portnote_want_fields(dissector_handle_t handle)
{
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));

    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++) {
        transport_fields_t *tf = &transport_fields[i];
        tf->hf_src = proto_registrar_get_id_byname(tf->src_name);
        tf->hf_dst = proto_registrar_get_id_byname(tf->dst_name);
        tf->hf_len = tf->len_name ? proto_registrar_get_id_byname(tf->len_name) : -1;
        if (tf->hf_src > 0 && tf->hf_dst > 0) {
            g_array_append_val(wanted, tf->hf_src);
            g_array_append_val(wanted, tf->hf_dst);
        }
        if (tf->hf_len > 0)
            g_array_append_val(wanted, tf->hf_len);
    }
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    if (proto_icmp > 0)
        g_array_append_val(wanted, proto_icmp);
    if (proto_icmpv6 > 0)
        g_array_append_val(wanted, proto_icmpv6);
    set_postdissector_wanted_hfids(handle, wanted);
}

/** Whether the tree holds the fields asked for (Wireshark primes them on the first pass). */
gboolean portnote_fields_primed(proto_tree *tree)
{
    return tree && proto_field_is_referenced(tree, transport_fields[0].hf_src);
}

/** Finds the destination port field of the layer whose source port is src. */
static const field_info *matching_dst(const GPtrArray *dsts, guint hint,
                                      const field_info *src)
{
    for (guint k = 0; k < dsts->len; k++) {
        const field_info *dst = dsts->pdata[(hint + k) % dsts->len];
        if (dst->ds_tvb == src->ds_tvb && dst->start == src->start + 2)
            return dst;
    }
    return NULL;
}

/** Whether fi lies inside an ICMP or ICMPv6 item (a quoted packet). */
static gboolean inside_icmp(proto_tree *tree, const field_info *fi)
{
    const int protos[] = { proto_icmp, proto_icmpv6 };

    for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
        const GPtrArray *icmps = protos[p] > 0 ? proto_get_finfo_ptr_array(tree, protos[p]) : NULL;
        for (guint i = 0; icmps && i < icmps->len; i++) {
            const field_info *c = icmps->pdata[i];
            if (c->ds_tvb == fi->ds_tvb && fi->start >= c->start
                && fi->start < c->start + c->length)
                return TRUE;
        }
    }
    return FALSE;
}

/** The TCP handshake flags (byte 13 of the header) say who the client is. */
static pn_hint_t tcp_handshake_hint(const field_info *src)
{
    guint8 flags;

    if (!tvb_bytes_exist(src->ds_tvb, src->start + 13, 1))
        return PN_HINT_NONE;
    flags = pn_tvb_get_u8(src->ds_tvb, src->start + 13);
    if (!(flags & 0x02))
        return PN_HINT_NONE;
    return (flags & 0x10) ? PN_HINT_SRC_IS_SERVER : PN_HINT_SRC_IS_CLIENT;
}

static pn_endpoint_t endpoint_of(const field_info *fi, pn_transport_t transport)
{
    pn_endpoint_t end;

    end.port = (guint16)PN_FINFO_UINT(fi);
    end.ephemeral = value_is_in_range(portnote_prefs.ephemeral, end.port);
    end.entry = pn_db_lookup(portnote_notes(), transport, end.port);
    return end;
}

/** Appends a note (NULL when the frame's buffer is full). */
pn_note_t *portnote_add_note(pn_note_buffer_t *notes, const pn_entry_t *entry, guint16 port,
                             pn_transport_t transport, pn_role_t role, gboolean is_src)
{
    pn_note_t *note;

    if (notes->count >= PN_MAX_NOTES)
        return NULL;
    note = &notes->notes[notes->count++];
    memset(note, 0, sizeof *note);
    note->entry = entry;
    note->kind = entry ? PN_NOTE_DOCUMENTED : PN_NOTE_UNDOCUMENTED;
    note->transport = (guint8)transport;
    note->port = port;
    note->role = (guint8)role;
    note->is_src = (guint8)is_src;
    note->start = -1;
    return note;
}

/** Points the note at its port's bytes (later passes only have the frame's bytes). */
static void place_note(pn_note_t *note, tvbuff_t *frame_tvb, const field_info *at)
{
    note->start = at->ds_tvb == frame_tvb ? at->start : -1;
    note->length = at->ds_tvb == frame_tvb ? (guint8)at->length : 0;
}

void portnote_layer_place(const pn_layer_t *layer, tvbuff_t *frame_tvb, gboolean src, pn_note_t *note)
{
    place_note(note, frame_tvb, src ? layer->src : layer->dst);
}

/**
 * The row that speaks for one side, given its role.  A client range (the
 * seed's 1024-5000) only decides roles: a server port inside it is
 * undocumented, and a client port inside it is shown only when asked for.
 */
static const pn_entry_t *shown_entry(const pn_entry_t *entry, pn_role_t role, gboolean *hide)
{
    *hide = FALSE;
    if (!entry || !pn_is_client_range(entry))
        return entry;
    *hide = role == PN_ROLE_CLIENT && !portnote_prefs.client_ranges;
    return role == PN_ROLE_CLIENT ? entry : NULL;
}

/** Adds the note of one side of a layer, if it has one to show. */
static void add_side_note(pn_note_buffer_t *notes, tvbuff_t *frame_tvb, const transport_fields_t *tf,
                          const field_info *at, const pn_endpoint_t *end, pn_role_t role, gboolean is_src)
{
    gboolean hide;
    const pn_entry_t *entry = shown_entry(end->entry, role, &hide);
    pn_note_t *note;

    if (hide)
        return;
    if (!entry) {
        if (!portnote_prefs.iana_names || role != PN_ROLE_SERVER || !try_serv_name_lookup(tf->ptype, end->port))
            return;
    } else if (!pn_should_annotate(entry, role, portnote_prefs.client_side_ports)) {
        return;
    }
    note = portnote_add_note(notes, entry, end->port, tf->transport, role, is_src);
    if (!note)
        return;
    if (!entry)
        note->kind = PN_NOTE_IANA;
    place_note(note, frame_tvb, at);
}

/** Finds the documented ports of one transport layer. */
static void find_layer_notes(pn_note_buffer_t *notes, tvbuff_t *frame_tvb,
                             const transport_fields_t *tf,
                             const field_info *src, const field_info *dst)
{
    pn_endpoint_t ends[2] = { endpoint_of(src, tf->transport), endpoint_of(dst, tf->transport) };
    pn_hint_t hint = tf->transport == PN_TRANSPORT_TCP ? tcp_handshake_hint(src) : PN_HINT_NONE;
    pn_role_t roles[2];

    if (!ends[0].entry && !ends[1].entry && !portnote_prefs.iana_names)
        return;
    pn_decide_roles(&ends[0], &ends[1], hint, &roles[0], &roles[1]);
    /* 53 to 53: one port, one note, which stands for both ends. */
    if (ends[1].port == ends[0].port) {
        guint before = notes->count;
        add_side_note(notes, frame_tvb, tf, src, &ends[0], roles[0], TRUE);
        if (notes->count > before)
            notes->notes[before].both_sides = TRUE;
        return;
    }
    add_side_note(notes, frame_tvb, tf, src, &ends[0], roles[0], TRUE);
    add_side_note(notes, frame_tvb, tf, dst, &ends[1], roles[1], FALSE);
}

/** Whether this layer's ports are the ones Wireshark keyed the conversation on. */
static gboolean is_conversation_layer(const packet_info *pinfo, const transport_fields_t *tf,
                                      const field_info *src, const field_info *dst)
{
    return pinfo->ptype == tf->ptype && (tf->ptype == PT_TCP || tf->ptype == PT_UDP)
        && PN_FINFO_UINT(src) == pinfo->srcport && PN_FINFO_UINT(dst) == pinfo->destport;
}

/** Finds the notes of every layer of one transport in the packet. */
static void find_transport_notes(pn_note_buffer_t *notes, tvbuff_t *frame_tvb, packet_info *pinfo,
                                 proto_tree *tree, const transport_fields_t *tf, pn_layer_t *inner)
{
    const GPtrArray *srcs, *dsts;

    if (tf->hf_src <= 0 || tf->hf_dst <= 0)
        return;
    srcs = proto_get_finfo_ptr_array(tree, tf->hf_src);
    dsts = proto_get_finfo_ptr_array(tree, tf->hf_dst);
    if (!srcs || !dsts)
        return;
    for (guint i = 0; i < srcs->len; i++) {
        const field_info *src = srcs->pdata[i];
        const field_info *dst = matching_dst(dsts, i, src);
        if (!dst || !tvb_bytes_exist(src->ds_tvb, src->start, tf->min_header)
            || inside_icmp(tree, src))
            continue;
        find_layer_notes(notes, frame_tvb, tf, src, dst);
        if (is_conversation_layer(pinfo, tf, src, dst)) {
            inner->tf = tf;
            inner->src = src;
            inner->dst = dst;
        }
    }
}

/**
 * Finds the notes of every transport layer of the packet (first pass:
 * the fields asked for are in the tree).  Returns the innermost TCP or
 * UDP layer, the one the payload check looks at, or NULL.
 */
const pn_layer_t *portnote_find_notes(pn_note_buffer_t *notes, tvbuff_t *frame_tvb,
                                      packet_info *pinfo, proto_tree *tree)
{
    pn_layer_t inner = { NULL, NULL, NULL };

    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++)
        find_transport_notes(notes, frame_tvb, pinfo, tree, &transport_fields[i], &inner);
    return inner.tf ? wmem_memdup(pinfo->pool, &inner, sizeof inner) : NULL;
}

pn_transport_t portnote_layer_transport(const pn_layer_t *layer)
{
    return layer->tf->transport;
}

pn_hint_t portnote_layer_handshake(const pn_layer_t *layer)
{
    return layer->tf->ptype == PT_TCP ? tcp_handshake_hint(layer->src) : PN_HINT_NONE;
}

/** The layer's payload length, from tcp.len or udp.length; -1 if unknown. */
static gint layer_payload_length(proto_tree *tree, const pn_layer_t *layer)
{
    const GPtrArray *lens = proto_get_finfo_ptr_array(tree, layer->tf->hf_len);

    for (guint i = 0; lens && i < lens->len; i++) {
        const field_info *len = lens->pdata[i];
        if (len->ds_tvb == layer->src->ds_tvb && len->start >= layer->src->start
            && len->start <= layer->src->start + layer->tf->len_offset)
            return layer->tf->ptype == PT_TCP ? (gint)PN_FINFO_UINT(len)
                                              : (gint)PN_FINFO_UINT(len) - 8;
    }
    return -1;
}

/**
 * The first bytes (at most PN_PAYLOAD_PEEK) of the layer's payload, as
 * far as they were captured; FALSE when the packet carries no payload.
 * A payload cut short by the snapshot length has length 0.
 */
gboolean portnote_layer_payload(const pn_layer_t *layer, proto_tree *tree, pn_payload_t *payload)
{
    tvbuff_t *tvb = layer->src->ds_tvb;
    gint length = layer_payload_length(tree, layer);
    gint header = layer->tf->ptype == PT_TCP
        ? (pn_tvb_get_u8(tvb, layer->src->start + 12) >> 4) * 4 : 8;
    gint offset = layer->src->start + header;

    payload->data = NULL;
    payload->length = 0;
    if (length <= 0)
        return FALSE;
    length = MIN(length, tvb_captured_length_remaining(tvb, offset));
    length = MIN(length, PN_PAYLOAD_PEEK);
    if (header >= layer->tf->min_header && length > 0) {
        payload->data = tvb_get_ptr(tvb, offset, length);
        payload->length = (gsize)length;
    }
    return TRUE;
}
