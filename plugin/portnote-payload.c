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

static const char *const proto_names[PN_PROTO_COUNT] = {
    "", "ssh", "http", "tls", "smtp", "ftp", "pop3", "imap", "telnet", "dns",
    "rdp", "s7comm", "smb", "mysql", "postgresql", "redis", "mongodb", "mqtt", "rtsp", "irc",
    "socks", "vnc", "modbus", "ldap", "kerberos", "bittorrent", "gnutella", "zabbix", "sip", "ntp",
    "snmp", "syslog", "dhcp", "quic", "stun", "dtls", "ike", "radius", "slp",
};

/* ---- Each protocol's own ports -------------------------------------------- */

typedef struct {
    pn_transport_t transport;
    guint16 low, high;          /* a range of ports, inclusive */
    pn_proto_set_t protocols;
} own_ports_t;

#define B(p) PN_PROTO_BIT(PN_PROTO_##p)
#define ONE(t, port, set) { PN_TRANSPORT_##t, port, port, set }
#define RANGE(t, low, high, set) { PN_TRANSPORT_##t, low, high, set }

/* IANA assignments, plus the ports where the notes database documents a
 * service that speaks the protocol (WinRM, Docker, Elasticsearch, TR-069
 * and others are HTTP; SSDP is HTTP over UDP; NetBIOS names and LLMNR use
 * the DNS message format).  Sorted by transport, then port, without
 * overlaps: pn_port_protocols searches it by halves. */
static const own_ports_t own_ports[] = {
    ONE(TCP, 21, B(FTP)),           ONE(TCP, 22, B(SSH)),           ONE(TCP, 23, B(TELNET)),
    ONE(TCP, 25, B(SMTP)),          ONE(TCP, 53, B(DNS)),           ONE(TCP, 80, B(HTTP)),
    ONE(TCP, 81, B(HTTP)),          ONE(TCP, 88, B(KERBEROS)),      ONE(TCP, 102, B(S7COMM)),
    ONE(TCP, 110, B(POP3)),         ONE(TCP, 139, B(SMB)),          ONE(TCP, 143, B(IMAP)),
    ONE(TCP, 194, B(IRC)),          ONE(TCP, 389, B(LDAP)),         ONE(TCP, 427, B(SLP)),
    ONE(TCP, 443, B(TLS)),          ONE(TCP, 445, B(SMB)),          ONE(TCP, 465, B(TLS)),
    ONE(TCP, 502, B(MODBUS)),       ONE(TCP, 554, B(RTSP)),         ONE(TCP, 563, B(TLS)),
    ONE(TCP, 587, B(SMTP)),         ONE(TCP, 591, B(HTTP)),         ONE(TCP, 631, B(HTTP)),
    ONE(TCP, 636, B(TLS)),          ONE(TCP, 853, B(TLS)),          RANGE(TCP, 989, 990, B(TLS)),
    RANGE(TCP, 992, 995, B(TLS)),   ONE(TCP, 1080, B(SOCKS)),       ONE(TCP, 1883, B(MQTT)),
    ONE(TCP, 2323, B(TELNET)),      ONE(TCP, 2375, B(HTTP)),        ONE(TCP, 2376, B(TLS)),
    ONE(TCP, 2379, B(HTTP) | B(TLS)), ONE(TCP, 3128, B(HTTP)),      ONE(TCP, 3268, B(LDAP)),
    ONE(TCP, 3269, B(TLS)),         ONE(TCP, 3306, B(MYSQL)),       ONE(TCP, 3389, B(RDP)),
    ONE(TCP, 3478, B(STUN)),        ONE(TCP, 4843, B(TLS)),         ONE(TCP, 5060, B(SIP)),
    ONE(TCP, 5061, B(TLS)),         ONE(TCP, 5223, B(TLS)),         ONE(TCP, 5349, B(TLS)),
    ONE(TCP, 5355, B(DNS)),         ONE(TCP, 5432, B(POSTGRESQL)),  RANGE(TCP, 5900, 5903, B(VNC)),
    ONE(TCP, 5984, B(HTTP)),        ONE(TCP, 5985, B(HTTP)),        ONE(TCP, 5986, B(TLS)),
    RANGE(TCP, 6346, 6347, B(GNUTELLA)), ONE(TCP, 6379, B(REDIS)),  ONE(TCP, 6443, B(TLS)),
    RANGE(TCP, 6665, 6669, B(IRC)), ONE(TCP, 6697, B(TLS)),         RANGE(TCP, 6881, 6889, B(BITTORRENT)),
    ONE(TCP, 7547, B(HTTP)),        ONE(TCP, 8000, B(HTTP)),        ONE(TCP, 8008, B(HTTP)),
    RANGE(TCP, 8080, 8081, B(HTTP)), ONE(TCP, 8088, B(HTTP)),       ONE(TCP, 8443, B(TLS)),
    ONE(TCP, 8554, B(RTSP)),        ONE(TCP, 8883, B(TLS)),         ONE(TCP, 8888, B(HTTP)),
    ONE(TCP, 9200, B(HTTP) | B(TLS)), ONE(TCP, 10000, B(HTTP) | B(TLS)), RANGE(TCP, 10050, 10051, B(ZABBIX)),
    ONE(TCP, 10250, B(TLS)),        ONE(TCP, 15672, B(HTTP)),       ONE(TCP, 27017, B(MONGODB)),
    ONE(TCP, 37215, B(HTTP)),       ONE(TCP, 47001, B(HTTP)),
    ONE(UDP, 53, B(DNS)),           RANGE(UDP, 67, 68, B(DHCP)),    ONE(UDP, 88, B(KERBEROS)),
    ONE(UDP, 123, B(NTP)),          ONE(UDP, 137, B(DNS)),          RANGE(UDP, 161, 162, B(SNMP)),
    ONE(UDP, 389, B(LDAP)),         ONE(UDP, 427, B(SLP)),          ONE(UDP, 443, B(QUIC)),
    ONE(UDP, 500, B(IKE)),          ONE(UDP, 514, B(SYSLOG)),       ONE(UDP, 853, B(DTLS)),
    RANGE(UDP, 1645, 1646, B(RADIUS)), RANGE(UDP, 1812, 1813, B(RADIUS)), ONE(UDP, 1900, B(HTTP)),
    ONE(UDP, 3478, B(STUN)),        ONE(UDP, 4500, B(IKE)),         ONE(UDP, 5060, B(SIP)),
    ONE(UDP, 5353, B(DNS)),         ONE(UDP, 5355, B(DNS)),         ONE(UDP, 5684, B(DTLS)),
    ONE(SCTP, 22, B(SSH)),          ONE(SCTP, 80, B(HTTP)),
};

/** Orders a (transport, port) key against a table row: 0 inside its range. */
static int compare_port(const void *key, const void *row)
{
    const own_ports_t *k = key, *r = row;

    if (k->transport != r->transport)
        return k->transport < r->transport ? -1 : 1;
    return k->low < r->low ? -1 : k->low > r->high ? 1 : 0;
}

/** The protocols (PN_PROTO_BIT set) whose own port this is. */
pn_proto_set_t pn_port_protocols(pn_transport_t transport, guint16 port)
{
    own_ports_t key = { transport, port, port, 0 };
    const own_ports_t *row = bsearch(&key, own_ports, G_N_ELEMENTS(own_ports), sizeof own_ports[0], compare_port);

    return row ? row->protocols : 0;
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

/* Encryption any application may run inside, on any port. */
static const pn_proto_set_t wrappers = B(TLS) | B(QUIC) | B(DTLS);
/* Protocols whose own port also serves them inside TLS from the first
 * byte (MongoDB and Redis TLS, PostgreSQL 17 direct TLS, Zabbix's
 * encryption): TLS there is no contradiction. */
static const pn_proto_set_t tls_native = B(MONGODB) | B(REDIS) | B(POSTGRESQL) | B(ZABBIX);

/**
 * Compares what the payload looks like with the server port: its own
 * protocol confirms the port; a single other protocol contradicts a port
 * that has one (mismatch) or runs where it does not belong (non-standard
 * port).  An ambiguous payload (a bare "220" elsewhere than 21 or 25)
 * decides nothing, and neither does a weak signature elsewhere than on
 * its own port, nor a wrapper (TLS, QUIC, DTLS) on a port that promises
 * no cleartext protocol: any application may use one on any port (push
 * services, VPNs, agents; DTLS VPNs on QUIC's 443/udp), whereas TLS where
 * the port promises a cleartext protocol (Telnet, HTTP) is a mismatch.
 */
pn_verdict_t pn_payload_verdict(pn_transport_t transport, guint16 server_port,
                                const pn_payload_sig_t *sig, pn_proto_t *observed)
{
    pn_proto_set_t own = pn_port_protocols(transport, server_port);
    pn_proto_set_t candidates = sig->candidates;

    *observed = PN_PROTO_NONE;
    if (candidates & own) {
        *observed = first_proto(candidates & own);
        return PN_VERDICT_CONFIRMED;
    }
    if (candidates == 0 || (candidates & (candidates - 1)) != 0 || sig->weak)
        return PN_VERDICT_NONE;
    if ((candidates & wrappers) && !(own & ~(wrappers | tls_native)))
        return PN_VERDICT_NONE;
    *observed = first_proto(candidates);
    return own ? PN_VERDICT_MISMATCH : PN_VERDICT_NON_STANDARD;
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
    return proto < PN_PROTO_COUNT ? proto_names[proto] : "?";
}

const char *pn_verdict_name(pn_verdict_t verdict)
{
    static const char *const names[] = { "none", "confirmed", "protocol-mismatch", "non-standard-port" };

    return verdict < G_N_ELEMENTS(names) ? names[verdict] : "?";
}
