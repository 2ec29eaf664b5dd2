/* portnote-connections.c
 * PortNote's own table of connections, for the per-conversation state
 * (portnote-conv.c): keyed by the packet's transport, addresses and ports,
 * both directions alike, for the capture file.  Wireshark's conversation
 * framework could hold the state, but finding a conversation there costs
 * more than all the rest of a filtered packet's notes (about 1,200
 * instructions: element lists and wildcard searches), and PortNote only
 * ever needs exact ends.
 *
 * TCP ports reused by a new connection start a new record, as Wireshark's
 * TCP dissector starts a new conversation (packet-tcp.c): a SYN whose
 * sequence number is not its direction's base sequence number (the
 * direction's SYN, else one before its first segment, else one before the
 * other side's first acknowledgement), and in the releases after 4.0 any
 * SYN or SYN-ACK after a FIN or RST (seen in 4.4 and 4.6, taken to come
 * with 4.2: a SYN-ACK after an injected RST, or after the FIN of the same
 * connection seen again on another VLAN, is a new tcp.stream there).
 * Records of the same ends are chained newest first, so that later passes
 * find each frame's own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/packet.h>

#include "portnote-glue.h"

/* Address bytes kept inside the record (IPv4 and IPv6); longer ones are
 * copied apart. */
#define PN_INLINE_ADDRESS 16

/* Both ends of a connection, in a fixed order (the smaller address first,
 * then the smaller port), so that both directions have one key.  The hash
 * is computed once, with the key: the map asks for it again on insertion
 * and each time it grows, and a port scan inserts with nearly every packet. */
typedef struct {
    address addr[2];
    guint32 port[2];
    port_type ptype;
    guint32 hash;
} conn_key_t;

/* One connection.  The caller's state follows it in the same block. */
typedef struct conn {
    conn_key_t key;
    guint8 bytes[2][PN_INLINE_ADDRESS];     /* the key's addresses */
    struct conn *older;     /* the same ends' previous connection */
    guint32 setup_frame;
    guint32 base_seq[2];    /* TCP, per key end */
    guint8 base_set[2];
    guint8 closed;          /* TCP: a FIN or RST was seen */
    guint8 first_end;       /* the key end that sent the first packet */
} conn_t;

/* The newest connection of each key; emptied with the capture file. */
static wmem_map_t *connections;

/** Mixes 32 bits into a hash (multiplicative, with the high bits folded
 * down): a word at a time, where add_address_to_hash() goes byte by byte. */
static inline guint32 mix(guint32 hash, guint32 word)
{
    hash = (hash ^ word) * 0x9E3779B1u;
    return hash ^ (hash >> 15);
}

static guint32 mix_address(guint32 hash, const address *addr)
{
    const guint8 *data = (const guint8 *)addr->data;
    guint32 word;
    int i = 0;

    hash = mix(hash, (guint32)addr->type);
    if (addr->len == 4) {           /* IPv4, nearly always */
        memcpy(&word, data, 4);
        return mix(hash, word);
    }
    for (; i + 4 <= addr->len; i += 4) {
        memcpy(&word, data + i, 4);
        hash = mix(hash, word);
    }
    for (; i < addr->len; i++)
        hash = mix(hash, data[i]);
    return hash;
}

static guint32 compute_hash(const conn_key_t *key)
{
    guint32 hash = mix((guint32)key->ptype, key->port[0] << 16 | key->port[1]);

    return mix_address(mix_address(hash, &key->addr[0]), &key->addr[1]);
}

static guint key_hash(gconstpointer k)
{
    return ((const conn_key_t *)k)->hash;
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    const conn_key_t *ka = (const conn_key_t *)a, *kb = (const conn_key_t *)b;

    return ka->hash == kb->hash && ka->port[0] == kb->port[0] && ka->port[1] == kb->port[1]
        && ka->ptype == kb->ptype
        && addresses_equal(&ka->addr[0], &kb->addr[0]) && addresses_equal(&ka->addr[1], &kb->addr[1]);
}

/** Creates the table (at registration; it lives with each capture file). */
void portnote_connections_init(void)
{
    connections = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), key_hash, key_equal);
}

/** The packet's key (pointing at the packet's addresses); returns the key
 * end the packet comes from. */
static int packet_key(const packet_info *pinfo, conn_key_t *key)
{
    int cmp = cmp_address(&pinfo->src, &pinfo->dst);
    int src = cmp > 0 || (cmp == 0 && pinfo->srcport > pinfo->destport);

    key->ptype = pinfo->ptype;
    copy_address_shallow(&key->addr[src], &pinfo->src);
    copy_address_shallow(&key->addr[!src], &pinfo->dst);
    key->port[src] = pinfo->srcport;
    key->port[!src] = pinfo->destport;
    key->hash = compute_hash(key);
    return src;
}

/** A new connection of the key, newer than older, with zeroed state. */
static conn_t *new_connection(const conn_key_t *key, conn_t *older, guint32 frame, int src,
                              gsize state_size)
{
    conn_t *c = (conn_t *)wmem_alloc0(wmem_file_scope(), sizeof(conn_t) + state_size);

    c->key = *key;
    for (int e = 0; e < 2; e++) {
        if (key->addr[e].len <= PN_INLINE_ADDRESS) {
            if (key->addr[e].len > 0)
                memcpy(c->bytes[e], key->addr[e].data, key->addr[e].len);
            c->key.addr[e].data = c->bytes[e];
        } else {
            copy_address_wmem(wmem_file_scope(), &c->key.addr[e], &key->addr[e]);
        }
    }
    c->older = older;
    c->setup_frame = frame;
    c->first_end = (guint8)src;
    wmem_map_insert(connections, &c->key, c);
    return c;
}

/** Whether a SYN with the connection's own sequence number, or any SYN-ACK,
 * starts a new connection: after 4.0, when the old one was closed (a
 * handshake tried again after a RST, as scanners do); 4.0 takes it for a
 * retransmission. */
static gboolean syn_reopens(const conn_t *c)
{
#if PN_WS_AT_LEAST(4, 2)
    return c->closed;
#else
    (void)c;
    return FALSE;
#endif
}

/**
 * Follows the TCP sequence numbers as Wireshark's TCP dissector does, and
 * returns a new connection when a SYN says the ports were reused.
 */
static conn_t *follow_tcp(conn_t *c, const pn_conv_layer_t *tcp, guint32 frame, int src,
                          gsize state_size)
{
    guint32 seq = tcp->tcp_seq, ack = tcp->tcp_ack;
    guint8 flags = tcp->tcp_flags;
    gboolean syn = (flags & (PN_TCP_SYN | PN_TCP_ACK)) == PN_TCP_SYN;
    gboolean syn_ack = (flags & (PN_TCP_SYN | PN_TCP_ACK)) == (PN_TCP_SYN | PN_TCP_ACK);

    /* Only SYNs and each direction's first segment matter: a SYN with
     * another sequence number, or either after the close, starts anew. */
    if (c->base_set[src] && ((syn && seq != c->base_seq[src]) || ((syn || syn_ack) && syn_reopens(c))))
        c = new_connection(&c->key, c, frame, src, state_size);
    else if (syn_ack && c->base_set[src])
        c->base_seq[src] = seq;
    if (!c->base_set[src]) {
        c->base_seq[src] = flags & PN_TCP_SYN ? seq : seq - 1;
        c->base_set[src] = TRUE;
    }
    if (!c->base_set[!src] && (flags & PN_TCP_ACK)) {
        c->base_seq[!src] = ack - 1;
        c->base_set[!src] = TRUE;
    }
    if (flags & (PN_TCP_FIN | PN_TCP_RST))
        c->closed = TRUE;
    return c;
}

/**
 * The packet's connection state (state_size bytes, zeroed when new): on
 * the first pass found or created; on later passes found, the connection
 * the frame belonged to (NULL when none).  *end is the packet's end: 0
 * when it comes from the side that sent the connection's first packet;
 * *id names the connection in the capture (the frame that started it).
 */
void *portnote_connection(packet_info *pinfo, const pn_packet_t *packet, gsize state_size, int *end,
                          guint32 *id)
{
    conn_key_t key;
    int src = packet_key(pinfo, &key);
    conn_t *c = (conn_t *)wmem_map_lookup(connections, &key);

    if (PINFO_FD_VISITED(pinfo)) {
        while (c && c->setup_frame > pinfo->num)
            c = c->older;
        if (!c)
            return NULL;
    } else {
        if (!c)
            c = new_connection(&key, NULL, pinfo->num, src, state_size);
        if (pinfo->ptype == PT_TCP && packet->conv_layer >= 0 && packet->conv.tcp_known)
            c = follow_tcp(c, &packet->conv, pinfo->num, src, state_size);
    }
    *end = src != c->first_end;
    *id = c->setup_frame;
    return c + 1;
}
