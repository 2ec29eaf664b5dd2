/* portnote-payload.c
 * The ports that are each protocol's own, the verdict of a payload
 * against its server port, and the entry point to the signatures
 * (portnote-sig-text.c, portnote-sig-stream.c, portnote-sig-datagram.c).
 * Each signature is deliberately strict (a whole request line, a length
 * field equal to the payload, a magic cookie, a protocol version): a
 * payload that matches nothing leaves the port's word standing, so a loose
 * signature would only add false alarms.  The idea is old: Bro's
 * backdoor.bro looked for "SSH-1." or "SSH-2." at the start of a
 * connection on any port; nDPI does it for hundreds of protocols.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>

#include "portnote-sig.h"

/* The protocol table, row by row (index: pn_proto_t). */
static const pn_proto_info_t proto_infos[PN_PROTO_COUNT] = {
    [PN_PROTO_NONE] = { "", PN_STRENGTH_STRICT, "", 0, "", "" },
#define PN_PROTOCOL(id, name, strength, family, flags, wireshark, spec) \
    [PN_PROTO_##id] = { name, PN_STRENGTH_##strength, #family, flags, wireshark, spec },
#include "portnote-protocols.def"
};

/* ---- Each protocol's own ports -------------------------------------------- */

typedef struct {
    pn_transport_t transport;
    guint16 low, high;          /* a range of ports, inclusive */
    pn_proto_t proto;
} own_range_t;

/* The table's own ports, in its order. */
static const own_range_t own_ranges[] = {
#define PN_OWN(id, transport, low, high) { PN_TRANSPORT_##transport, low, high, PN_PROTO_##id },
#include "portnote-protocols.def"
};

/* One port's protocols: the lookup's entries, sorted by key. */
typedef struct {
    guint32 key;                /* transport << 16 | port */
    pn_proto_set_t protocols;
} own_port_t;

/* One entry per port of every range (static: nothing to free). */
enum {
    OWN_PORT_CAPACITY = 0
#define PN_OWN(id, transport, low, high) + ((high) - (low) + 1)
#include "portnote-protocols.def"
};
static own_port_t own_ports[OWN_PORT_CAPACITY];
static gsize own_port_count;
/* One bit per port and transport: whether the lookup has an entry, so
 * that the ports most traffic uses (no protocol's) cost no search. */
static guint8 port_has_entry[PN_TRANSPORT_COUNT][65536 / 8];

/** Orders two entries (or a key and an entry) by key. */
static int compare_own_port(const void *a, const void *b)
{
    guint32 x = ((const own_port_t *)a)->key, y = ((const own_port_t *)b)->key;

    return x < y ? -1 : x > y;
}

/** Builds the sorted lookup from the table's ranges, one entry per port
 * (ports two protocols share get one entry with both bits). */
static void build_own_ports(void)
{
    gsize n = 0, out = 0;

    for (gsize i = 0; i < G_N_ELEMENTS(own_ranges); i++)
        n += (gsize)own_ranges[i].high - own_ranges[i].low + 1;
    g_assert(n == OWN_PORT_CAPACITY);
    for (gsize i = 0; i < G_N_ELEMENTS(own_ranges); i++)
        for (guint port = own_ranges[i].low; port <= own_ranges[i].high; port++) {
            own_ports[out].key = (guint32)own_ranges[i].transport << 16 | port;
            own_ports[out++].protocols = PN_PROTO_BIT(own_ranges[i].proto);
            port_has_entry[own_ranges[i].transport][port / 8] |= (guint8)(1u << (port % 8));
        }
    qsort(own_ports, n, sizeof own_ports[0], compare_own_port);
    out = 0;
    for (gsize i = 0; i < n; i++) {
        if (out > 0 && own_ports[out - 1].key == own_ports[i].key)
            own_ports[out - 1].protocols |= own_ports[i].protocols;
        else
            own_ports[out++] = own_ports[i];
    }
    own_port_count = out;
}

/** The protocols (PN_PROTO_BIT set) whose own port this is. */
pn_proto_set_t pn_port_protocols(pn_transport_t transport, guint16 port)
{
    static gsize built;
    own_port_t key = { (guint32)transport << 16 | port, 0 };
    const own_port_t *entry;

    if (g_once_init_enter(&built)) {
        build_own_ports();
        g_once_init_leave(&built, 1);
    }
    if ((guint)transport >= PN_TRANSPORT_COUNT || !(port_has_entry[transport][port / 8] & (1u << (port % 8))))
        return 0;
    entry = bsearch(&key, own_ports, own_port_count, sizeof own_ports[0], compare_own_port);
    return entry ? entry->protocols : 0;
}

/** The protocols whose table row carries all of flags (PN_PF_*). */
pn_proto_set_t pn_protos_flagged(guint flags)
{
    pn_proto_set_t set = 0;

    for (int p = 1; p < PN_PROTO_COUNT; p++)
        if ((proto_infos[p].flags & flags) == flags)
            set |= PN_PROTO_BIT(p);
    return set;
}

/**
 * What the first payload of one direction looks like.  Only the first
 * PN_PAYLOAD_PEEK bytes are read; each transport dispatches on the first
 * byte, so most payloads are ruled out in a few comparisons.
 */
pn_payload_sig_t pn_payload_classify(pn_transport_t transport, const guint8 *data, gsize len)
{
    len = MIN(len, PN_PAYLOAD_PEEK);
    if (!data || len == 0)
        return pn_sig_none();
    return transport == PN_TRANSPORT_UDP ? pn_sig_datagram(data, len) : pn_sig_stream(data, len);
}

/**
 * What a payload between these two ports looks like: pn_payload_classify(),
 * then, if it names nothing, the forms that mean something only on their
 * protocol's own port: any text is a syslog message without its PRI to a
 * syslog collector, and mDNS's announcements and multi-question queries
 * are DNS to a DNS port.  They are tried only when one of the ports is that
 * protocol's, so other traffic has its direction decided by them only
 * there, and they are weak: they confirm that port and accuse no other.
 */
pn_payload_sig_t pn_payload_classify_between(pn_transport_t transport, const guint8 *data, gsize len,
                                             const guint16 ports[2])
{
    pn_payload_sig_t sig = pn_payload_classify(transport, data, len);
    pn_proto_set_t own;
    gboolean response;

    if (sig.candidates || transport != PN_TRANSPORT_UDP || !data || len == 0)
        return sig;
    len = MIN(len, PN_PAYLOAD_PEEK);
    own = pn_port_protocols(transport, ports[0]) | pn_port_protocols(transport, ports[1]);
    if ((own & PN_PROTO_BIT(PN_PROTO_SYSLOG)) && g_ascii_isalnum(data[0]))
        return pn_sig_bare_syslog(data, len);
    if ((own & PN_PROTO_BIT(PN_PROTO_DNS)) && pn_sig_dns_own_port(data, len, &response))
        return pn_sig_weak(PN_PROTO_DNS, response ? PN_SENDER_SERVER : PN_SENDER_CLIENT);
    return sig;
}

/**
 * Whether a payload is too short or too empty to say anything (a lone
 * keep-alive byte, a few zero bytes seen before a real TLS hello): the
 * direction stays undecided and a later payload is looked at.
 */
gboolean pn_payload_is_noise(const guint8 *data, gsize len)
{
    len = MIN(len, PN_PAYLOAD_PEEK);
    if (!data || len < 2)
        return TRUE;
    for (gsize i = 1; i < len; i++)
        if (data[i] != data[0])
            return FALSE;
    return data[0] == 0;
}

/** The lowest protocol of a set. */
static pn_proto_t first_proto(pn_proto_set_t set)
{
    for (int p = 1; p < PN_PROTO_COUNT; p++)
        if (set & PN_PROTO_BIT(p))
            return (pn_proto_t)p;
    return PN_PROTO_NONE;
}

/**
 * The one protocol a signature names for sure, as a set of one (0 when it
 * is weak or names several): a subprotocol counts as its carrier, as it
 * does everywhere but on its own port.
 */
static pn_proto_set_t sure_protocol(const pn_payload_sig_t *sig)
{
    pn_proto_set_t candidates = sig->carrier != PN_PROTO_NONE ? PN_PROTO_BIT(sig->carrier) : sig->candidates;

    if (candidates == 0 || (candidates & (candidates - 1)) != 0 || sig->weak)
        return 0;
    return candidates;
}

/**
 * Compares what the payload looks like with the server port: its own
 * protocol confirms the port; a single other protocol contradicts a port
 * that has one (mismatch) or runs where it does not belong (non-standard
 * port).  An ambiguous payload (a bare "220" elsewhere than 21 or 25)
 * decides nothing, and neither does a weak signature elsewhere than on
 * its own port, nor a wrapper (TLS, QUIC, DTLS, STUN) or a protocol whose
 * ports are assigned at run time (DCE/RPC, ONC RPC...) on a port that
 * promises no cleartext protocol: any application may use one on any port (push
 * services, VPNs, agents; DTLS VPNs on QUIC's 443/udp), whereas TLS where
 * the port promises a cleartext protocol (Telnet, HTTP) is a mismatch.
 */
pn_verdict_t pn_payload_verdict(pn_transport_t transport, guint16 server_port,
                                const pn_payload_sig_t *sig, pn_proto_t *observed)
{
    /* Encryption any application may run inside, on any port; protocols
     * whose own port also serves them inside TLS from the first byte
     * (MongoDB and Redis TLS, PostgreSQL 17 direct TLS, Zabbix's
     * encryption): TLS there is no contradiction.  (The table is fixed:
     * read once.) */
    static gsize flags_read;
    static pn_proto_set_t wrappers, tls_native;
    pn_proto_set_t own = pn_port_protocols(transport, server_port);
    pn_proto_set_t candidates = sig->candidates;

    if (g_once_init_enter(&flags_read)) {
        wrappers = pn_protos_flagged(PN_PF_WRAPPER) | pn_protos_flagged(PN_PF_ANY_PORT);
        tls_native = pn_protos_flagged(PN_PF_TLS_NATIVE);
        g_once_init_leave(&flags_read, 1);
    }
    *observed = PN_PROTO_NONE;
    if (candidates & own) {
        pn_proto_set_t hit = candidates & own;
        /* a subprotocol's own port (a tracker announce on 6969, where
         * trackers answer in HTTP) names the subprotocol */
        if (sig->carrier != PN_PROTO_NONE && (hit & ~PN_PROTO_BIT(sig->carrier)))
            hit &= ~PN_PROTO_BIT(sig->carrier);
        *observed = first_proto(hit);
        return PN_VERDICT_CONFIRMED;
    }
    candidates = sure_protocol(sig);
    if (candidates == 0)
        return PN_VERDICT_NONE;
    if ((candidates & wrappers) && !(own & ~(wrappers | tls_native)))
        return PN_VERDICT_NONE;
    *observed = first_proto(candidates);
    return own ? PN_VERDICT_MISMATCH : PN_VERDICT_NON_STANDARD;
}

/**
 * Whether a payload opens a tunnel or an upgrade that counts as such on
 * this server port, so that what follows in its direction is the
 * tunnel's content, never a verdict on the port: a proxy's opening (SOCKS,
 * HTTP CONNECT) counts on a proxy's port (SOCKS's, HTTP's proxy ports) or
 * on a port that promises no protocol, an upgrade (STARTTLS, AUTH TLS,
 * the SSL requests) on its protocol's own port.  Elsewhere the opening is
 * judged like any payload: CONNECT on 443 is HTTP on 443, a mismatch.
 */
gboolean pn_payload_opens_tunnel(pn_transport_t transport, guint16 server_port, const pn_payload_sig_t *sig)
{
    pn_proto_set_t own = pn_port_protocols(transport, server_port);

    if (!sig->opening || sig->candidates == 0)
        return FALSE;
    return own == 0 || (sig->candidates & own) != 0;
}

/**
 * What a payload that follows a tunnel's opening shows the tunnel to
 * carry: one protocol, sure enough to name (neither weak nor one of
 * several), none of the opening's candidates (a SOCKS request after a
 * SOCKS greeting is still the opening).  PN_PROTO_NONE otherwise.
 */
pn_proto_t pn_payload_tunnelled(pn_transport_t transport, const guint8 *data, gsize len, pn_proto_set_t opener)
{
    pn_payload_sig_t sig = pn_payload_classify(transport, data, len);
    pn_proto_set_t candidates = sure_protocol(&sig);

    if (candidates == 0 || (candidates & opener))
        return PN_PROTO_NONE;
    return first_proto(candidates);
}

/**
 * Which end (0 or 1) of a conversation is the server, given a signature
 * sent by end `sender`: the receiver of a request, the sender of a
 * greeting or an answer.  For signatures both ends send (SSH, Telnet):
 * the end that answered the TCP handshake (server_hint, -1 if unknown),
 * else the end on one of the protocol's own ports, else the one outside
 * the ephemeral range, else the lower port.
 */
int pn_payload_server_end(const pn_payload_sig_t *s, pn_transport_t transport, int sender,
                          const guint16 ports[2], const gboolean ephemeral[2], int server_hint)
{
    if (s->sender == PN_SENDER_SERVER)
        return sender;
    if (s->sender == PN_SENDER_CLIENT)
        return !sender;
    if (server_hint == 0 || server_hint == 1)
        return server_hint;
    for (int end = 0; end < 2; end++)
        if (pn_port_protocols(transport, ports[end]) & s->candidates)
            return end;
    if (ephemeral[0] != ephemeral[1])
        return ephemeral[0] ? 1 : 0;
    return ports[1] < ports[0] ? 1 : 0;
}

const char *pn_proto_name(pn_proto_t proto)
{
    return proto < PN_PROTO_COUNT ? proto_infos[proto].name : "?";
}

/** The protocol's row of the table (NULL for an unknown number). */
const pn_proto_info_t *pn_proto_info(pn_proto_t proto)
{
    return proto < PN_PROTO_COUNT ? &proto_infos[proto] : NULL;
}

const char *pn_verdict_name(pn_verdict_t verdict)
{
    static const char *const names[] = { "none", "confirmed", "protocol-mismatch", "non-standard-port" };

    return verdict < G_N_ELEMENTS(names) ? names[verdict] : "?";
}
