/* portnote-layers.c
 * Reading the ports of every TCP, UDP and SCTP layer of a packet (so
 * tunnels such as VXLAN or GRE show their inner ports too), in one walk
 * that fills the struct of portnote-packet.h for the later stages, and
 * turning the documented ones into notes.
 *
 * The ports come from what those dissectors leave for Decode As in the
 * packet's proto data (keyed by their port fields and the layer number),
 * so no protocol tree is needed and none is forced on tshark.  When there
 * is a tree anyway, each layer's protocol item (always real at the top
 * level) gives the header's place in the frame: the ports' bytes, the TCP
 * flags and the payload for the payload check.  Without a tree, the
 * conversation layer's header is found after the innermost IP header,
 * which holds the packet's network addresses: Wireshark passes neither
 * offsets nor payloads to post-dissectors that want no fields, and wanting
 * fields makes tshark build a tree for every packet.
 *
 * Ports quoted inside an ICMP or ICMPv6 error are skipped: they describe
 * the packet that failed, not this one, and `-Y portnote.risk` must only
 * select packets that really carry traffic on a documented port.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/addr_resolv.h>
#include <epan/ipproto.h>
#include <epan/proto.h>
#include <epan/proto_data.h>
#include <wsutil/pint.h>

#include "portnote-glue.h"

/* What is known of one transport protocol. */
typedef struct transport_info {
    const char *name;
    const char *src_name;
    const char *dst_name;
    pn_transport_t transport;
    gint min_header;        /* a header cut shorter than this gets no payload check */
    int proto;
    int hf_src;             /* the proto data keys of its ports */
    int hf_dst;
} transport_info_t;

/* Indexed by pn_transport_t. */
static transport_info_t transports[PN_TRANSPORT_COUNT] = {
    [PN_TRANSPORT_TCP]  = { "tcp",  "tcp.srcport",  "tcp.dstport",  PN_TRANSPORT_TCP,  20, -1, -1, -1 },
    [PN_TRANSPORT_UDP]  = { "udp",  "udp.srcport",  "udp.dstport",  PN_TRANSPORT_UDP,   8, -1, -1, -1 },
    [PN_TRANSPORT_SCTP] = { "sctp", "sctp.srcport", "sctp.dstport", PN_TRANSPORT_SCTP, 12, -1, -1, -1 },
};

/* One bit per protocol id modulo 64, set for the protocols a layer walk
 * stops at (the transports and ICMP): most layers are neither. */
static guint64 wanted_protos;

static int proto_icmp = -1;
static int proto_icmpv6 = -1;
static int proto_ip = -1;
static int proto_ipv6 = -1;

static inline guint64 proto_bit(int proto)
{
    return G_GUINT64_CONSTANT(1) << ((guint)proto & 63);
}

/** Looks up the protocols and port fields read here (after registration). */
void portnote_layers_init(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++) {
        transport_info_t *ti = &transports[i];
        ti->proto = proto_get_id_by_filter_name(ti->name);
        ti->hf_src = proto_registrar_get_id_byname(ti->src_name);
        ti->hf_dst = proto_registrar_get_id_byname(ti->dst_name);
    }
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    wanted_protos = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(transports); i++)
        wanted_protos |= proto_bit(transports[i].proto);
    wanted_protos |= proto_bit(proto_icmp) | proto_bit(proto_icmpv6);
}

/** The transport a protocol id stands for, or NULL. */
static const transport_info_t *transport_of_proto(int proto)
{
    if (proto <= 0)
        return NULL;
    return proto == transports[PN_TRANSPORT_TCP].proto ? &transports[PN_TRANSPORT_TCP]
         : proto == transports[PN_TRANSPORT_UDP].proto ? &transports[PN_TRANSPORT_UDP]
         : proto == transports[PN_TRANSPORT_SCTP].proto ? &transports[PN_TRANSPORT_SCTP] : NULL;
}

/** The ports a layer's dissector read (none when it stopped before them:
 * both are stored together, and no real traffic goes from port 0 to 0). */
static gboolean layer_ports(packet_info *pinfo, const transport_info_t *ti, guint8 layer_num,
                            guint16 ports[2])
{
    ports[0] = (guint16)GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, ti->hf_src, layer_num));
    ports[1] = (guint16)GPOINTER_TO_UINT(p_get_proto_data(pinfo->pool, pinfo, ti->hf_dst, layer_num));
    return ports[0] || ports[1];
}

/** One side's port and notes row; whether the port is in the ephemeral
 * range only when asked (the conversation layer's roles are decided once,
 * by portnote-conv.c, which reads the range then). */
static pn_endpoint_t endpoint_of(guint16 port, pn_transport_t transport, gboolean with_range)
{
    pn_endpoint_t end;

    end.port = port;
    end.ephemeral = with_range && value_is_in_range(portnote_prefs.ephemeral, port);
    end.entry = pn_db_lookup(portnote_notes(), transport, port);
    return end;
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
static void add_side_note(pn_note_buffer_t *notes, const pn_layer_t *layer,
                          const pn_endpoint_t *end, pn_role_t role, gboolean is_src)
{
    gboolean hide;
    const pn_entry_t *entry = shown_entry(end->entry, role, &hide);
    pn_note_t *note;

    if (hide)
        return;
    if (!entry) {
        if (!portnote_prefs.iana_names || role != PN_ROLE_SERVER
            || !try_serv_name_lookup(pn_port_type(layer->ti->transport), end->port))
            return;
    } else if (!pn_should_annotate(entry, role, portnote_prefs.client_side_ports)) {
        return;
    }
    note = pn_notes_append(notes, entry, layer->ti->transport, layer->ports, layer->ports_start,
                           role, is_src);
    if (note && !entry)
        note->kind = PN_NOTE_IANA;
}

/** Finds the documented ports of one transport layer, whose sides play
 * the given roles (source, destination). */
static void find_layer_notes(pn_note_buffer_t *notes, const pn_layer_t *layer,
                             const pn_endpoint_t ends[2], const pn_role_t roles[2])
{
    if (!ends[0].entry && !ends[1].entry && !portnote_prefs.iana_names)
        return;
    /* 53 to 53: one port, one note, which stands for both ends. */
    if (ends[1].port == ends[0].port) {
        guint before = notes->count;
        add_side_note(notes, layer, &ends[0], roles[0], TRUE);
        if (notes->count > before)
            notes->notes[before].both_sides = TRUE;
        return;
    }
    add_side_note(notes, layer, &ends[0], roles[0], TRUE);
    add_side_note(notes, layer, &ends[1], roles[1], FALSE);
}

/** Finds the notes of a layer that is not the conversation layer, whose
 * roles this packet alone decides: its TCP handshake, else its ports. */
static void find_packet_layer_notes(pn_note_buffer_t *notes, const pn_layer_t *layer)
{
    pn_endpoint_t ends[2] = { endpoint_of(layer->ports[0], layer->ti->transport, TRUE),
                              endpoint_of(layer->ports[1], layer->ti->transport, TRUE) };
    pn_role_t roles[2];

    if (!ends[0].entry && !ends[1].entry && !portnote_prefs.iana_names)
        return;
    pn_decide_roles(&ends[0], &ends[1], layer->handshake, &roles[0], &roles[1]);
    find_layer_notes(notes, layer, ends, roles);
}

/** Whether this layer's ports are the ones Wireshark keyed the conversation on. */
static gboolean is_conversation_layer(const packet_info *pinfo, const pn_layer_t *layer)
{
    pn_transport_t t = layer->ti->transport;

    return (t == PN_TRANSPORT_TCP || t == PN_TRANSPORT_UDP) && pinfo->ptype == pn_port_type(t)
        && layer->ports[0] == pinfo->srcport && layer->ports[1] == pinfo->destport;
}

/** Whether the layer's ports are at offset in the data, with at least
 * room bytes there. */
static gboolean ports_at(const guint8 *d, gsize len, gsize offset, const pn_layer_t *layer, gsize room)
{
    return offset + room <= len
        && pn_ntoh16(d + offset) == layer->ports[0] && pn_ntoh16(d + offset + 2) == layer->ports[1];
}

/* ---- Headers in the tree ---------------------------------------------------- */

/** Where the IP packet of the IP item before a header ends, or -1. */
static gint ip_end(const field_info *ip)
{
    guint length;

    if (!ip)
        return -1;
    if (ip->hfinfo->id == proto_ip && tvb_bytes_exist(ip->ds_tvb, ip->start, 4)) {
        length = tvb_get_ntohs(ip->ds_tvb, ip->start + 2);
        return length ? ip->start + (gint)length : -1;     /* 0: TSO, length unknown */
    }
    if (ip->hfinfo->id == proto_ipv6 && tvb_bytes_exist(ip->ds_tvb, ip->start, 6)) {
        length = tvb_get_ntohs(ip->ds_tvb, ip->start + 4);
        return length ? ip->start + 40 + (gint)length : -1;  /* 0: jumbogram */
    }
    return -1;
}

/** Reads the first bytes of a header at start in tvb, once for every later
 * look (ports, TCP flags, header length); FALSE when not even its ports
 * were captured. */
static gboolean set_header_bytes(pn_header_t *h, tvbuff_t *tvb, gint start)
{
    gint captured = tvb_captured_length_remaining(tvb, start);

    if (captured < 4)
        return FALSE;
    h->captured = MIN(captured, PN_HEADER_PEEK);
    h->bytes = tvb_get_ptr(tvb, start, h->captured);
    return TRUE;
}

/** Takes the header found without a tree at start in tvb, its segment
 * ending at end (the header's ports were checked there: its bytes exist). */
static void take_header(pn_header_t *h, tvbuff_t *tvb, gint start, gint end)
{
    h->tvb = tvb;
    h->start = start;
    h->end = end;
    set_header_bytes(h, tvb, start);
}

/**
 * Finds the layer's header among the tree's top-level protocol items:
 * the next item of its protocol, from *from on, whose port bytes are the
 * layer's.  Quoted headers sit inside the ICMP item, not at the top.
 */
static gboolean find_header(const pn_layer_t *layer, proto_node **from, pn_header_t *h)
{
    const field_info *before = NULL;

    for (proto_node *node = *from; node; node = node->next) {
        const field_info *fi = PNODE_FINFO(node);
        if (!fi || !fi->hfinfo)
            continue;
        if (fi->hfinfo->id == layer->ti->proto && set_header_bytes(h, fi->ds_tvb, fi->start)
            && ports_at(h->bytes, (gsize)h->captured, 0, layer, 4)) {
            h->tvb = fi->ds_tvb;
            h->start = fi->start;
            h->end = -1;            /* read from the IP item when the payload is asked for */
            h->ip = before && before->ds_tvb == fi->ds_tvb ? before : NULL;
            *from = node->next;
            return TRUE;
        }
        if (fi->hfinfo->id == proto_ip || fi->hfinfo->id == proto_ipv6)
            before = fi;
    }
    return FALSE;
}

/** Where a header's segment ends: its IP packet's end, else its data's. */
static gint segment_end(const pn_header_t *h)
{
    gint end = h->end >= 0 ? h->end : ip_end(h->ip);

    return end >= 0 ? end : (gint)tvb_reported_length(h->tvb);
}

/** Who a TCP flags byte says the client is: a SYN's sender, a SYN-ACK's receiver. */
static pn_hint_t handshake_of(guint8 flags)
{
    if (!(flags & PN_TCP_SYN))
        return PN_HINT_NONE;
    return (flags & PN_TCP_ACK) ? PN_HINT_SRC_IS_SERVER : PN_HINT_SRC_IS_CLIENT;
}

/** The first 14 bytes of a TCP layer's header (through the flags), or NULL
 * when they are not known. */
static const guint8 *tcp_header(const pn_layer_t *layer)
{
    const pn_header_t *h = &layer->header;

    if (!h->tvb || layer->ti->transport != PN_TRANSPORT_TCP || h->captured < 14)
        return NULL;
    return h->bytes;
}

/* ---- Headers without a tree ------------------------------------------------- */

/** The transport header after the IP header at ip (found by its
 * addresses), and where the IP packet ends; FALSE if it is not there. */
static gboolean header_after_ip(const guint8 *d, gsize len, gsize ip, gboolean v6,
                                const pn_layer_t *layer, gsize *start, gsize *end)
{
    guint total;

    if (!v6) {
        /* not a later fragment: the transport header is in this one */
        if (ip + 20 > len || d[ip] >> 4 != 4 || (d[ip + 6] & 0x1f) != 0 || d[ip + 7] != 0)
            return FALSE;
        *start = ip + (d[ip] & 0x0f) * 4u;
        total = pn_ntoh16(d + ip + 2);
        *end = total ? ip + total : len;
        return ports_at(d, len, *start, layer, (gsize)layer->ti->min_header);
    }
    if (ip + 40 > len || d[ip] >> 4 != 6)
        return FALSE;
    total = pn_ntoh16(d + ip + 4);
    *end = total ? ip + 40 + total : len;
    /* extension headers come in multiples of 8 bytes */
    for (*start = ip + 40; *start < ip + 40 + 256; *start += 8)
        if (ports_at(d, len, *start, layer, (gsize)layer->ti->min_header))
            return TRUE;
    return FALSE;
}

/**
 * In the frame's data d, the transport header with the layer's ports right
 * after an IPv4 header (of any length) or an IPv6 header without extension
 * headers; for a conversation layer that is not after the innermost IP
 * header: Teredo's IPv6 packet inside the UDP it travels in, whose
 * addresses are then the packet's network addresses.
 */
static gboolean header_by_ports(const guint8 *d, gsize len, const pn_layer_t *layer, gsize *start,
                                gsize *end)
{
    static const guint8 ip_protocol[PN_TRANSPORT_COUNT] = {
        [PN_TRANSPORT_TCP] = IP_PROTO_TCP, [PN_TRANSPORT_UDP] = IP_PROTO_UDP, [PN_TRANSPORT_SCTP] = IP_PROTO_SCTP,
    };
    guint8 needle[4], protocol = ip_protocol[layer->ti->transport];

    pn_hton16(needle, layer->ports[0]);
    pn_hton16(needle + 2, layer->ports[1]);
    for (const guint8 *at = ws_memmem(d, len, needle, 4); at;
         at = ws_memmem(at + 1, (gsize)(d + len - at) - 1, needle, 4)) {
        gsize p = (gsize)(at - d);
        for (gsize ihl = 20; ihl <= 60 && ihl <= p; ihl += 4)
            if (d[p - ihl] == (0x40 | ihl / 4) && d[p - ihl + 9] == protocol
                && header_after_ip(d, len, p - ihl, FALSE, layer, start, end) && *start == p)
                return TRUE;
        if (p >= 40 && d[p - 40 + 6] == protocol
            && header_after_ip(d, len, p - 40, TRUE, layer, start, end) && *start == p)
            return TRUE;
    }
    return FALSE;
}

/** The packet's network addresses in the data d, when the IP dissector
 * pointed them into it (source, then destination right after it, as in
 * the innermost IP header); NULL when they are elsewhere (copied, or in
 * another data source). */
static const guint8 *addresses_in(const guint8 *d, gsize len, const address *src, const address *dst,
                                  gsize alen)
{
    guintptr from = (guintptr)d, at = (guintptr)src->data;

    if (at < from || at - from + 2 * alen > len || (guintptr)dst->data != at + alen)
        return NULL;
    return d + (at - from);
}

/** The address pair (needle, n bytes, back bytes into its IP header) in
 * an IP header right after a usual link layer: none (raw IP), BSD loopback,
 * Ethernet, Linux cooked, 802.1Q, Linux cooked v2.  NULL elsewhere: the
 * caller searches the whole data (any earlier occurrence would sit inside
 * the link layer itself). */
static const guint8 *addresses_after_link(const guint8 *d, gsize len, const guint8 *needle, gsize n,
                                          gsize back)
{
    static const gsize link_lengths[] = { 0, 4, 14, 16, 18, 20 };

    for (size_t i = 0; i < G_N_ELEMENTS(link_lengths); i++) {
        gsize at = link_lengths[i] + back;
        if (at + n <= len && memcmp(d + at, needle, n) == 0)
            return d + at;
    }
    return NULL;
}

/**
 * Without a tree, finds the conversation layer's header in the packet's
 * data: after the innermost IP header, which carries the packet's network
 * addresses side by side (the first such header whose transport ports are
 * the layer's), or at the start of a reassembled IP payload; failing that,
 * after any IP header (header_by_ports).
 */
static gboolean locate_header(packet_info *pinfo, const pn_layer_t *layer, pn_header_t *h)
{
    const address *src = &pinfo->net_src, *dst = &pinfo->net_dst;
    gboolean v6 = src->type == AT_IPv6;
    guint8 needle[32];
    gsize alen = v6 ? 16 : 4;

    if ((src->type != AT_IPv4 && !v6) || dst->type != src->type || !src->data || !dst->data)
        return FALSE;
    memcpy(needle, src->data, alen);
    memcpy(needle + alen, dst->data, alen);
    h->tvb = NULL;
    for (GSList *s = pinfo->data_src; s; s = s->next) {
        tvbuff_t *tvb = get_data_source_tvb((const struct data_source *)s->data);
        gsize len = tvb_captured_length(tvb), start, end;
        const guint8 *d = len ? tvb_get_ptr(tvb, 0, (gint)len) : NULL, *at;
        gsize back = v6 ? 8 : 12;

        if (!d)
            continue;
        if (s != pinfo->data_src && ports_at(d, len, 0, layer, (gsize)layer->ti->min_header)) {
            take_header(h, tvb, 0, (gint)tvb_reported_length(tvb));     /* a reassembled IP payload */
            continue;
        }
        if (len < back)
            continue;
        /* Where the IP dissector read the addresses, when that is here
         * (IPv4), else where a usual link layer ends */
        if ((((at = addresses_in(d, len, src, dst, alen)) != NULL && (gsize)(at - d) >= back)
             || (at = addresses_after_link(d, len, needle, 2 * alen, back)) != NULL)
            && header_after_ip(d, len, (gsize)(at - d) - back, v6, layer, &start, &end)) {
            take_header(h, tvb, (gint)start, (gint)end);
            continue;
        }
        /* The first header with these addresses and ports is the
         * innermost: an outer one has other addresses or ports. */
        for (at = ws_memmem(d + back, len - back, needle, 2 * alen); at;
             at = ws_memmem(at + 1, (gsize)(d + len - at) - 1, needle, 2 * alen)) {
            if (header_after_ip(d, len, (gsize)(at - d) - back, v6, layer, &start, &end)) {
                take_header(h, tvb, (gint)start, (gint)end);
                break;
            }
        }
    }
    if (!h->tvb && pinfo->data_src) {
        tvbuff_t *tvb = get_data_source_tvb((const struct data_source *)pinfo->data_src->data);
        gsize len = tvb_captured_length(tvb), start, end;

        if (len && header_by_ports(tvb_get_ptr(tvb, 0, (gint)len), len, layer, &start, &end))
            take_header(h, tvb, (gint)start, (gint)end);
    }
    return h->tvb != NULL;
}

/* ---- The packet's layers ---------------------------------------------------- */

/**
 * Collects the packet's transport layers in order (not quoted ones), with
 * their headers where the tree shows them, and the conversation layer's
 * without a tree; returns how many.
 */
static guint collect_layers(packet_info *pinfo, proto_tree *tree, tvbuff_t *frame_tvb, pn_layer_t *found)
{
    proto_node *from = tree ? tree->first_child : NULL;
    guint8 layer_num = 0, count = 0;
    gboolean quoted = FALSE;

    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f && count < PN_MAX_LAYERS;
         f = wmem_list_frame_next(f)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(f));
        const transport_info_t *ti;
        pn_layer_t *l = &found[count];

        layer_num++;
        if (!(wanted_protos & proto_bit(proto)))
            continue;
        if (proto == proto_icmp || proto == proto_icmpv6)
            quoted = TRUE;
        if ((ti = transport_of_proto(proto)) == NULL)
            continue;
        l->ti = ti;
        if (quoted || !layer_ports(pinfo, ti, layer_num, l->ports))
            continue;
        count++;
        if (!from || !find_header(l, &from, &l->header))
            l->header.tvb = NULL;
        if (!l->header.tvb && is_conversation_layer(pinfo, l))
            locate_header(pinfo, l, &l->header);
        l->ports_start = l->header.tvb && l->header.tvb == frame_tvb ? l->header.start : -1;
        l->tcp = tcp_header(l);
        l->handshake = l->tcp ? handshake_of(l->tcp[13]) : PN_HINT_NONE;
    }
    return count;
}

/**
 * Where the layer's payload is (*tvb, NULL when its header was cut
 * short, and *offset) and its whole length as the headers give it; FALSE
 * when the packet carries no payload, or its header was not found.
 */
static gboolean find_payload(const pn_layer_t *layer, tvbuff_t **tvb, gint *offset, guint32 *full_length)
{
    const pn_header_t *h = &layer->header;
    gint header, length;
    const guint8 *d;

    *tvb = NULL;
    *offset = 0;
    *full_length = 0;
    if (!h->tvb || h->captured < layer->ti->min_header)
        return FALSE;
    d = h->bytes;
    if (layer->ti->transport == PN_TRANSPORT_TCP) {
        header = (d[12] >> 4) * 4;
        length = segment_end(h) - h->start - header;
    } else {
        header = 8;
        length = (gint)pn_ntoh16(d + 4) - 8;
    }
    if (length <= 0)
        return FALSE;
    *full_length = (guint32)length;
    *offset = h->start + header;
    if (header >= layer->ti->min_header)
        *tvb = h->tvb;
    return TRUE;
}

/**
 * The first bytes (at most PN_PAYLOAD_PEEK) of the conversation layer's
 * payload, as far as they were captured (none without a payload).  Read
 * only when the payload check looks at them: most packets of a
 * conversation come after its verdict.
 */
void portnote_layers_payload(const pn_conv_layer_t *layer, pn_payload_t *payload)
{
    gint length;

    payload->data = NULL;
    payload->length = 0;
    if (!layer->has_payload || !layer->payload_tvb)
        return;
    length = MIN((gint)MIN(layer->payload_length, PN_PAYLOAD_PEEK),
                 tvb_captured_length_remaining(layer->payload_tvb, layer->payload_offset));
    if (length > 0) {
        payload->data = tvb_get_ptr(layer->payload_tvb, layer->payload_offset, length);
        payload->length = (gsize)length;
    }
}

/** Fills what the later stages read of the conversation layer: its ends'
 * notes rows, its TCP numbers and, on the first pass (the only one that
 * reads it), its payload. */
static void describe_conv_layer(pn_conv_layer_t *c, const pn_layer_t *l, gboolean first_pass)
{
    const guint8 *tcp = l->tcp;

    c->transport = l->ti->transport;
    c->ports[0] = l->ports[0];
    c->ports[1] = l->ports[1];
    c->ports_start = l->ports_start;
    c->ends[0] = endpoint_of(l->ports[0], l->ti->transport, FALSE);
    c->ends[1] = endpoint_of(l->ports[1], l->ti->transport, FALSE);
    c->handshake = l->handshake;
    c->tcp_known = tcp != NULL;
    c->tcp_seq = tcp ? pn_ntoh32(tcp + 4) : 0;
    c->tcp_ack = tcp ? pn_ntoh32(tcp + 8) : 0;
    c->tcp_flags = tcp ? tcp[13] : 0;
    c->payload_length = 0;
    c->payload_tvb = NULL;
    c->has_payload = first_pass && find_payload(l, &c->payload_tvb, &c->payload_offset, &c->payload_length);
}

/**
 * Walks the packet's layers once and fills *packet with what the later
 * stages read: every transport layer (not those quoted in ICMP errors),
 * and the conversation layer, the innermost TCP or UDP layer whose ports
 * Wireshark keyed the packet's conversation on.
 */
void portnote_layers_collect(pn_packet_t *packet, packet_info *pinfo, proto_tree *tree,
                             tvbuff_t *frame_tvb)
{
    packet->layer_count = collect_layers(pinfo, tree, frame_tvb, packet->layers);
    packet->conv_layer = -1;
    for (guint i = 0; i < packet->layer_count; i++)
        if (is_conversation_layer(pinfo, &packet->layers[i]))
            packet->conv_layer = (gint)i;
    if (packet->conv_layer >= 0)
        describe_conv_layer(&packet->conv, &packet->layers[packet->conv_layer],
                            !PINFO_FD_VISITED(pinfo));
}

/**
 * Finds the notes of every transport layer of the packet, TCP layers
 * first, then UDP, then SCTP, each from the outside in.  The conversation
 * layer's sides play the roles its connection gave them (conv_roles:
 * source, destination; NULL when the connection has not decided them).
 */
void portnote_layers_notes(pn_note_buffer_t *notes, const pn_packet_t *packet,
                           const pn_role_t *conv_roles)
{
    for (size_t t = 0; t < G_N_ELEMENTS(transports); t++) {
        for (guint i = 0; i < packet->layer_count; i++) {
            const pn_layer_t *l = &packet->layers[i];
            if (l->ti != &transports[t])
                continue;
            if ((gint)i == packet->conv_layer && conv_roles)
                find_layer_notes(notes, l, packet->conv.ends, conv_roles);
            else
                find_packet_layer_notes(notes, l);
        }
    }
}
