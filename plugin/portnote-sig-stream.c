/* portnote-sig-stream.c
 * Signatures of binary protocols over TCP (and SCTP): TLS, Telnet, the
 * TPKT family (RDP, S7comm, H.225.0), SMB, databases, brokers, proxies
 * and their short handshakes, industrial (Modbus, IEC 104), DCE/RPC, HL7.
 * Most are told by their first byte; the few whose first byte is a length
 * or an identifier (MySQL, MongoDB, Modbus, DNS and Kerberos over TCP,
 * OpenVPN's framing, SOME/IP, MQTT met mid-session) are tried last, each
 * behind a cheap byte test.  Formats UDP carries too are in
 * portnote-sig-shared.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-sig.h"

/* ---- TLS ------------------------------------------------------------------- */

/* A TLS handshake record holding a ClientHello (1) or ServerHello (2)
 * (RFC 8446 5.1, 4): type 22, version 3.x, a plausible length. */
static int tls_hello_type(const guint8 *d, gsize len)
{
    guint record_len;

    if (len < 6 || d[0] != 0x16 || d[1] != 0x03 || d[2] > 0x04)
        return 0;
    record_len = pn_ntoh16(d + 3);
    if (record_len < 4 || record_len > 16384 + 2048)
        return 0;
    return d[5] == 1 || d[5] == 2 ? d[5] : 0;
}

/* A TLS 1.0-1.3 record header (RFC 8446 5.1, RFC 5246 6.2.1): content
 * type 20-23, version 3.1-3.4, a non-empty length within 2^14 + 2048. */
static gboolean tls_record_header(const guint8 *d, guint *length)
{
    if (d[0] < 20 || d[0] > 23 || d[1] != 0x03 || d[2] < 0x01 || d[2] > 0x04)
        return FALSE;
    *length = pn_ntoh16(d + 3);
    return *length > 0 && *length <= 16384 + 2048;
}

/* TLS records met mid-stream (the handshake not captured): a record that
 * runs past the payload, ends with it, or is followed by another header. */
static gboolean is_tls_records(const guint8 *d, gsize len)
{
    guint first, second;

    if (len < 6 || !tls_record_header(d, &first))
        return FALSE;
    if (5 + (gsize)first >= len)
        return TRUE;
    return len >= 5 + (gsize)first + 5 && tls_record_header(d + 5 + first, &second)
        && d[5 + first + 2] == d[2];
}

/**
 * TLS: a hello tells the sender, other records do not.  Records without a
 * hello are weak: a capture that starts after STARTTLS (SMTP, IMAP, LDAP,
 * RDP, MySQL...) or inside a proxy's CONNECT tunnel shows them on ports
 * whose protocol is not TLS, and that proves nothing against the port.
 */
static pn_payload_sig_t tls_signature(const guint8 *d, gsize len)
{
    int hello = tls_hello_type(d, len);

    if (hello)
        return pn_sig_of(PN_PROTO_TLS, hello == 1 ? PN_SENDER_CLIENT : PN_SENDER_SERVER);
    return is_tls_records(d, len) ? pn_sig_weak(PN_PROTO_TLS, PN_SENDER_EITHER) : pn_sig_none();
}

/* ---- Telnet -------------------------------------------------------------- */

/** Whether a Telnet option number is assigned (IANA telnet-options). */
static gboolean telnet_option(guint8 option)
{
    return option <= 49 || option == 0xff;
}

/** Whether a Telnet option's sub-negotiation opens with a command byte
 * (IS, SEND, INFO...) or a fixed field: TERMINAL-TYPE (RFC 1091),
 * NAWS (RFC 1073), TERMINAL-SPEED (RFC 1079), LINEMODE (RFC 1184),
 * X-DISPLAY-LOCATION (RFC 1096), ENVIRON (RFC 1408), AUTHENTICATION
 * (RFC 2941), ENCRYPT (RFC 2946), NEW-ENVIRON (RFC 1572). */
static gboolean telnet_subnegotiation_start(guint8 option, guint8 first)
{
    switch (option) {
    case 31: return TRUE;                   /* NAWS: a 16-bit width first */
    case 24: case 32: case 35: case 36: case 39: return first <= 2;
    case 34: return first >= 1 && first <= 3;
    case 37: return first <= 3;
    case 38: return first <= 8;
    default: return FALSE;
    }
}

/* Telnet option negotiation: IAC WILL/WONT/DO/DONT option (RFC 854, 855),
 * or a sub-negotiation IAC SB option ... IAC SE (RFC 855).  A client may
 * open with a sub-negotiation the payload does not close (a long
 * authentication or environment message, RFC 2941, RFC 1572): *whole is
 * FALSE then, and only a known sub-negotiation's first byte vouches for it. */
static gboolean is_telnet(const guint8 *d, gsize len, gboolean *whole)
{
    *whole = TRUE;
    if (len < 3 || d[0] != 0xff || !telnet_option(d[2]))
        return FALSE;
    if (d[1] >= 0xfb && d[1] <= 0xfe)
        return TRUE;
    if (d[1] != 0xfa)
        return FALSE;
    for (gsize i = 3; i + 1 < len; i++) {
        if (d[i] != 0xff)
            continue;
        if (d[i + 1] == 0xf0)
            return TRUE;
        if (d[i + 1] != 0xff)
            return FALSE;   /* IAC inside a sub-negotiation is doubled */
        i++;
    }
    *whole = FALSE;
    return len >= 5 && d[len - 1] != 0xff && telnet_subnegotiation_start(d[2], d[3]);
}

/** Telnet's signature: strict when its negotiation is whole, else weak. */
static pn_payload_sig_t telnet_signature(const guint8 *d, gsize len)
{
    gboolean whole;

    if (!is_telnet(d, len, &whole))
        return pn_sig_none();
    return whole ? pn_sig_of(PN_PROTO_TELNET, PN_SENDER_EITHER) : pn_sig_weak(PN_PROTO_TELNET, PN_SENDER_EITHER);
}

/* ---- TPKT: RDP and ISO-TSAP (S7comm) --------------------------------------- */

/** Whether the ISO 8073 parameters of a COTP CR/CC name both TSAPs (0xC1, 0xC2). */
static gboolean cotp_has_tsaps(const guint8 *d, gsize from, gsize end)
{
    gboolean calling = FALSE, called = FALSE;
    gsize p = from;

    while (p + 2 <= end) {
        if (d[p + 1] == 0 || p + 2 + d[p + 1] > end)
            return FALSE;
        calling |= d[p] == 0xc1;
        called |= d[p] == 0xc2;
        p += 2 + d[p + 1];
    }
    return p == end && calling && called;
}

/* RDP after the X.224 header (MS-RDPBCGR 2.2.1.1, 2.2.1.2): a cookie or
 * routing token, or an RDP_NEG_REQ (1) / RDP_NEG_RSP (2) / RDP_NEG_FAILURE
 * (3) structure of length 8. */
static gboolean rdp_after_x224(const guint8 *d, gsize len, gboolean request)
{
    if (request && (pn_starts_with(d, len, "Cookie: mstshash=") || pn_starts_with(d, len, "Cookie: msts=")))
        return TRUE;
    return len == 8 && d[2] == 0x08 && d[3] == 0x00 && (request ? d[0] == 0x01 : d[0] == 0x02 || d[0] == 0x03);
}

/* S7comm data in a COTP DT TPDU (02 F0 80): protocol id 0x32, a ROSCTR
 * of job, ack, ack-data or userdata, reserved bytes zero. */
static gboolean is_s7_data(const guint8 *d, gsize len)
{
    return len >= 17 && d[4] == 0x02 && d[5] == 0xf0 && d[6] == 0x80 && d[7] == 0x32
        && (d[8] == 1 || d[8] == 2 || d[8] == 3 || d[8] == 7) && d[9] == 0 && d[10] == 0;
}

/* H.225.0 call signalling in TPKT (ITU-T H.225.0 7, Q.931 4): protocol
 * discriminator 0x08, a two-byte call reference, a message type H.225.0
 * uses (alerting, call proceeding, progress, setup, connect, release
 * complete, facility, notify, information, status), then an information
 * element.  A SETUP comes from the caller. */
static pn_payload_sig_t h225_signature(const guint8 *d, gsize tpkt)
{
    static const guint8 types[] = { 0x01, 0x02, 0x03, 0x05, 0x07, 0x5a, 0x62, 0x6e, 0x7b, 0x7d };

    if (tpkt < 10 || d[5] != 0x02 || !memchr(types, d[8], sizeof types) || d[9] == 0)
        return pn_sig_none();
    return pn_sig_of(PN_PROTO_H225, d[8] == 0x05 ? PN_SENDER_CLIENT : PN_SENDER_EITHER);
}

/* TPKT (RFC 1006 6) carrying an X.224 / ISO 8073 Connection Request
 * (0xE0) or Confirm (0xD0): RDP when the RDP structures follow the fixed
 * part, ISO-TSAP (named s7comm: S7 PLCs are what meets analysts on 102)
 * when the parameters name two TSAPs. */
static pn_payload_sig_t tpkt_signature(const guint8 *d, gsize len)
{
    gsize tpkt = len >= 4 ? pn_ntoh16(d + 2) : 0;
    gboolean request;

    if (len < 10 || d[1] != 0x00 || tpkt < 10 || tpkt > len)
        return pn_sig_none();
    /* over TCP another TPKT may follow in the same segment */
    if (tpkt < len && (d[tpkt] != 0x03 || tpkt + 1 >= len || d[tpkt + 1] != 0))
        return pn_sig_none();
    if (is_s7_data(d, tpkt))
        return pn_sig_of(PN_PROTO_S7COMM, PN_SENDER_EITHER);
    if (d[4] == 0x08)
        return h225_signature(d, tpkt);
    if (tpkt < 11)
        return pn_sig_none();
    request = d[5] == 0xe0;
    if ((d[5] != 0xe0 && d[5] != 0xd0) || (gsize)d[4] + 5 != tpkt || (request && pn_ntoh16(d + 6) != 0))
        return pn_sig_none();
    if (rdp_after_x224(d + 11, tpkt - 11, request))
        return pn_sig_of(PN_PROTO_RDP, request ? PN_SENDER_CLIENT : PN_SENDER_SERVER);
    if (cotp_has_tsaps(d, 11, tpkt))
        return pn_sig_of(PN_PROTO_S7COMM, request ? PN_SENDER_CLIENT : PN_SENDER_SERVER);
    return pn_sig_none();
}

/* ---- SMB and the NetBIOS session service ----------------------------------- */

/* An SMB message behind a NetBIOS session message header or the direct-TCP
 * length (RFC 1002 4.3.1, MS-SMB2 2.1): 0x00, a length, then \xffSMB
 * (SMB1), \xfeSMB (SMB2/3) or \xfdSMB (SMB3 transform).  The reply flag
 * tells the sender (MS-CIFS 2.2.3.1, MS-SMB2 2.2.1). */
static pn_payload_sig_t smb_signature(const guint8 *d, gsize len)
{
    gboolean reply;

    if (len < 8 || pn_ntoh24(d + 1) < 32 || (d[4] != 0xff && d[4] != 0xfe && d[4] != 0xfd)
        || memcmp(d + 5, "SMB", 3) != 0)
        return pn_sig_none();
    if (d[4] == 0xff && len >= 14)
        reply = (d[13] & 0x80) != 0;
    else if (d[4] == 0xfe && len >= 24)
        reply = (d[20] & 0x01) != 0;
    else
        return pn_sig_of(PN_PROTO_SMB, PN_SENDER_EITHER);
    return pn_sig_of(PN_PROTO_SMB, reply ? PN_SENDER_SERVER : PN_SENDER_CLIENT);
}

/** Whether d holds a first-level encoded NetBIOS name (RFC 1001 14.1): 32 letters A-P. */
static gboolean netbios_name(const guint8 *d)
{
    if (d[0] != 0x20 || d[33] != 0)
        return FALSE;
    for (int i = 1; i <= 32; i++)
        if (d[i] < 'A' || d[i] > 'P')
            return FALSE;
    return TRUE;
}

/* A NetBIOS session request (RFC 1002 4.3.2): the called and calling
 * names.  Port 139 carries it only to open an SMB session, so it counts
 * as SMB. */
static gboolean is_netbios_session_request(const guint8 *d, gsize len)
{
    return len == 72 && d[1] == 0 && pn_ntoh16(d + 2) == 68 && netbios_name(d + 4) && netbios_name(d + 38);
}

/* ---- Databases and brokers --------------------------------------------------- */

/** Whether a NUL-terminated printable string starts at d[p] before end; *p goes past it. */
static gboolean printable_string(const guint8 *d, gsize end, gsize *p, gboolean allow_empty)
{
    gsize start = *p;

    while (*p < end && d[*p] >= 0x20 && d[*p] != 0x7f)
        (*p)++;
    if (*p >= end || d[*p] != 0 || (!allow_empty && *p == start))
        return FALSE;
    (*p)++;
    return TRUE;
}

/* PostgreSQL (Frontend/Backend Protocol, "Message Formats"): an SSLRequest
 * (80877103), GSSENCRequest (80877104) or CancelRequest (80877102), or a
 * StartupMessage: length, protocol 3.0, NUL-terminated name/value pairs
 * including "user", a final NUL. */
static gboolean is_postgresql(const guint8 *d, gsize len)
{
    gsize p = 8;
    gboolean user = FALSE;

    if (len < 8 || pn_ntoh32(d) != len)
        return FALSE;
    if (len == 8 && pn_ntoh16(d + 4) == 0x04d2 && (pn_ntoh16(d + 6) == 0x162f || pn_ntoh16(d + 6) == 0x1630))
        return TRUE;
    if (len == 16 && pn_ntoh32(d + 4) == 80877102)
        return TRUE;
    if (pn_ntoh32(d + 4) != 0x00030000)
        return FALSE;
    while (p < len && d[p] != 0) {
        user |= len - p > 5 && memcmp(d + p, "user", 5) == 0;
        if (!printable_string(d, len, &p, FALSE) || !printable_string(d, len, &p, TRUE))
            return FALSE;
    }
    return user && p == len - 1;
}

/** PostgreSQL's signature: an SSLRequest or GSSENCRequest (8 bytes) is
 * an upgrade's opening, the encrypted session follows. */
static pn_payload_sig_t postgresql_signature(gsize len)
{
    pn_payload_sig_t s = pn_sig_of(PN_PROTO_POSTGRESQL, PN_SENDER_CLIENT);

    return len == 8 ? pn_sig_opening(s) : s;
}

/* MySQL's client answer to the greeting (Protocol::HandshakeResponse41,
 * Protocol::SSLRequest): sequence 1, capabilities with CLIENT_PROTOCOL_41
 * (0x200), a character set, 23 zero bytes; the SSL request stops there
 * (32 bytes, CLIENT_SSL 0x800 set) and the TLS handshake follows, a login
 * goes on with the user's name.  *ssl tells which. */
static gboolean is_mysql_client(const guint8 *d, gsize len, gboolean *ssl)
{
    gsize packet = (gsize)(d[0] | d[1] << 8 | d[2] << 16);
    guint32 caps;

    if (len < 36 || d[3] != 1 || packet + 4 > len || packet < 32)
        return FALSE;
    caps = pn_letoh32(d + 4);
    if (!(caps & 0x200))
        return FALSE;
    for (gsize i = 13; i < 36; i++)
        if (d[i] != 0)
            return FALSE;
    *ssl = packet == 32 && (caps & 0x800);
    return *ssl ? len == 36 : packet > 32 && d[36] != 0;
}

/* MySQL's server greeting (Protocol::HandshakeV10): 3-byte length of the
 * rest, sequence 0, protocol 10, a printable version string starting
 * with a digit, connection id, 8 bytes of scramble and a zero filler. */
static gboolean is_mysql_greeting(const guint8 *d, gsize len)
{
    gsize p = 5;

    if (len < 20 || d[3] != 0 || d[4] != 0x0a || (gsize)(d[0] | d[1] << 8 | d[2] << 16) != len - 4
        || !g_ascii_isdigit(d[5]))
        return FALSE;
    if (!printable_string(d, MIN(len, 5 + 64), &p, FALSE))
        return FALSE;
    return p + 13 <= len && d[p + 12] == 0;
}

/* A server that refuses the client answers its connection with an error
 * packet instead of the greeting (ERR_Packet): the same 3-byte length and
 * sequence 0, 0xff, a server error code (1000-4999, little-endian), and the
 * message in printable text to the end ("Host 'x' is not allowed to
 * connect to this MySQL server"). */
static gboolean is_mysql_refusal(const guint8 *d, gsize len)
{
    guint code;

    if (len < 20 || d[3] != 0 || d[4] != 0xff || (gsize)(d[0] | d[1] << 8 | d[2] << 16) != len - 4)
        return FALSE;
    code = (guint)(d[5] | d[6] << 8);
    if (code < 1000 || code > 4999)
        return FALSE;
    for (gsize i = 7; i < len; i++)
        if (d[i] < 0x20 || d[i] >= 0x7f)
            return FALSE;
    return TRUE;
}

/* MongoDB wire protocol (Standard Message Header): messageLength equal to
 * the payload, then requestID, responseTo (0 in a request), opCode:
 * OP_MSG 2013 with only defined flag bits and a section kind 0-2,
 * OP_QUERY 2004 with a "db.collection" name, OP_REPLY 1 to a request. */
static gboolean is_mongodb(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint32 response_to, op;
    gsize p = 20;

    if (len < 21 || pn_letoh32(d) != len)
        return FALSE;
    response_to = pn_letoh32(d + 8);
    op = pn_letoh32(d + 12);
    *sender = response_to ? PN_SENDER_SERVER : PN_SENDER_CLIENT;
    if (op == 2013)
        return (pn_letoh32(d + 16) & ~0x10003u) == 0 && d[20] <= 2;
    if (op == 2004)
        return response_to == 0 && printable_string(d, len, &p, FALSE) && memchr(d + 20, '.', p - 20);
    return op == 1 && response_to != 0 && len >= 36 && pn_letoh32(d + 16) <= 0xf;
}

/* MQTT CONNECT (MQTT 3.1.1 3.1, MQTT 5.0 3.1): type 1, a remaining length
 * matching the payload, protocol name "MQTT" level 4 or 5 (or "MQIsdp"
 * level 3, MQTT 3.1), reserved connect flag clear. */
static gboolean is_mqtt_connect(const guint8 *d, gsize len)
{
    gsize p = 1, remaining = 0;
    guint shift = 0;

    do {
        if (p >= len || p > 4)
            return FALSE;
        remaining |= (gsize)(d[p] & 0x7f) << shift;
        shift += 7;
    } while (d[p++] & 0x80);
    if (remaining != len - p || len < p + 10)
        return FALSE;
    if (memcmp(d + p, "\x00\x04MQTT", 6) == 0)
        return (d[p + 6] == 4 || d[p + 6] == 5) && !(d[p + 7] & 0x01);
    return len >= p + 12 && memcmp(d + p, "\x00\x06MQIsdp", 8) == 0 && d[p + 8] == 3 && !(d[p + 9] & 0x01);
}

/* MQTT 3.1/3.1.1 CONNACK (3.2): 20 02, session-present 0/1, return code 0-5.
 * Four bytes prove little: weak. */
static gboolean is_mqtt_connack(const guint8 *d, gsize len)
{
    return len == 4 && d[1] == 0x02 && d[2] <= 1 && d[3] <= 5;
}

/* ---- Proxies ------------------------------------------------------------------ */

/* SOCKS5 greeting (RFC 1928 3): version 5, n methods, exactly n method
 * numbers, each assigned (0-9) or private (0x80-0xFE). */
static gboolean is_socks5_greeting(const guint8 *d, gsize len)
{
    if (len < 3 || d[1] == 0 || len != 2 + (gsize)d[1])
        return FALSE;
    for (gsize i = 2; i < len; i++)
        if (d[i] > 0x09 && (d[i] < 0x80 || d[i] == 0xff))
            return FALSE;
    return TRUE;
}

/* The SOCKS5 server's method selection (RFC 1928 3): version 5 and the
 * method chosen (or 0xFF, none acceptable).  Two bytes: weak. */
static gboolean is_socks5_method_reply(const guint8 *d, gsize len)
{
    return len == 2 && d[0] == 0x05 && (d[1] <= 0x09 || d[1] >= 0x80);
}

/** The length of a SOCKS5 address of type atyp at d[4] (RFC 1928 5): 0
 * when unknown or cut off. */
static gsize socks5_address_length(const guint8 *d, gsize len)
{
    switch (d[3]) {
    case 1: return 4;
    case 4: return 16;
    case 3: return len > 4 && d[4] > 0 ? 1 + (gsize)d[4] : 0;
    default: return 0;
    }
}

/* A SOCKS5 request (RFC 1928 4: CONNECT, BIND or UDP ASSOCIATE) or reply
 * (RFC 1928 6: codes 0-8): version 5, a reserved zero, an address of a
 * known type and a port, filling the payload.  *reply tells which. */
static gboolean is_socks5_request_or_reply(const guint8 *d, gsize len, gboolean *reply)
{
    gsize address;

    if (len < 10 || d[0] != 0x05 || d[2] != 0 || (address = socks5_address_length(d, len)) == 0
        || 4 + address + 2 != len)
        return FALSE;
    *reply = d[1] == 0 || d[1] > 3;
    return d[1] <= 8;
}

/* The SOCKS4 server's reply (SOCKS 4 protocol, "CONNECT" and "BIND"): a
 * null version byte, a code 90-93, a port and an address.  Eight bytes
 * with two fixed: weak. */
static gboolean is_socks4_reply(const guint8 *d, gsize len)
{
    return len == 8 && d[0] == 0 && d[1] >= 0x5a && d[1] <= 0x5d;
}

/** The signature of a SOCKS message starting with version 5. */
static pn_payload_sig_t socks5_signature(const guint8 *d, gsize len)
{
    gboolean reply;

    if (is_socks5_greeting(d, len))
        return pn_sig_opening(pn_sig_of(PN_PROTO_SOCKS, PN_SENDER_CLIENT));
    if (is_socks5_method_reply(d, len))
        return pn_sig_opening(pn_sig_weak(PN_PROTO_SOCKS, PN_SENDER_SERVER));
    if (is_socks5_request_or_reply(d, len, &reply))
        return pn_sig_opening(pn_sig_of(PN_PROTO_SOCKS, reply ? PN_SENDER_SERVER : PN_SENDER_CLIENT));
    return pn_sig_none();
}

/* SOCKS4 request ("SOCKS: A protocol for TCP proxies across firewalls"),
 * and its 4A extension: CONNECT or BIND, a port, an address, a printable
 * user id with NUL, then a host name with NUL when the address is 0.0.0.x. */
static gboolean is_socks4_request(const guint8 *d, gsize len)
{
    gsize p = 8;
    gboolean socks4a;

    if (len < 9 || (d[1] != 1 && d[1] != 2) || pn_ntoh16(d + 2) == 0)
        return FALSE;
    socks4a = d[4] == 0 && d[5] == 0 && d[6] == 0 && d[7] != 0;
    if (!printable_string(d, len, &p, TRUE))
        return FALSE;
    if (socks4a && !printable_string(d, len, &p, FALSE))
        return FALSE;
    return p == len;
}

/* ---- Authentication ------------------------------------------------------------ */

/* Kerberos over TCP (RFC 4120 7.2.2): a 4-byte length, top bit clear. */
static gboolean is_kerberos_tcp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    return len >= 20 && pn_ntoh32(d) == len - 4 && pn_sig_kerberos(d + 4, len - 4, sender);
}

/* ---- Industrial ------------------------------------------------------------- */

/* Modbus/TCP (MODBUS Messaging on TCP/IP Implementation Guide 3.1.3):
 * MBAP header with protocol 0 and a length matching the payload, then a
 * public function code (or its exception).  Seven header bytes fit too
 * many binary formats to accuse a port: weak. */
static gboolean is_modbus(const guint8 *d, gsize len)
{
    static const guint8 public_codes[] = { 1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 15, 16, 17, 20, 21, 22, 23, 24, 43 };
    guint8 code;

    if (len < 8 || len > 260 || d[2] != 0 || d[3] != 0 || pn_ntoh16(d + 4) != len - 6)
        return FALSE;
    code = d[7] & 0x7f;
    if ((d[7] & 0x80) && (len != 9 || d[8] == 0 || d[8] > 11))
        return FALSE;
    return memchr(public_codes, code, sizeof public_codes) != NULL;
}

/* IEC 60870-5-104 (IEC 60870-5-104 5.1, 5.2): an APCI of start byte
 * 0x68 and a length of 4-253 that the APDU fills (or another follows);
 * an S-format or U-format (STARTDT, STOPDT, TESTFR act or con) control
 * field alone, or an I-format one followed by an ASDU whose type is
 * defined by IEC 60870-5-101/104 and whose cause of transmission is 1-47. */
static gboolean is_iec104(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize apdu = len >= 2 ? (gsize)d[1] + 2 : 0;
    guint8 type, cause;

    if (len < 6 || d[1] < 4 || d[1] > 253 || apdu > len || (apdu < len && (apdu + 6 > len || d[apdu] != 0x68)))
        return FALSE;
    *sender = PN_SENDER_EITHER;
    if ((d[2] & 0x03) == 0x03) {
        /* U-format: exactly one function bit */
        if (d[1] != 4 || d[3] || d[4] || d[5] || !(d[2] == 0x07 || d[2] == 0x0b || d[2] == 0x13
                                                  || d[2] == 0x23 || d[2] == 0x43 || d[2] == 0x83))
            return FALSE;
        *sender = d[2] == 0x07 || d[2] == 0x13 ? PN_SENDER_CLIENT : d[2] == 0x0b || d[2] == 0x23
                  ? PN_SENDER_SERVER : PN_SENDER_EITHER;
        return TRUE;
    }
    if ((d[2] & 0x03) == 0x01)
        return d[1] == 4 && d[2] == 0x01 && d[3] == 0 && !(d[4] & 1);
    if (d[4] & 1 || d[1] < 4 + 6)
        return FALSE;
    type = d[6];
    cause = d[8] & 0x3f;
    return ((type >= 1 && type <= 21) || (type >= 30 && type <= 40) || (type >= 45 && type <= 51)
            || (type >= 58 && type <= 64) || type == 70 || (type >= 100 && type <= 107) || type == 110
            || type == 111 || type == 112 || type == 113 || (type >= 120 && type <= 127))
        && cause >= 1 && cause <= 47;
}

/** The sender of a DCE/RPC connection-oriented PDU type (C706 12.6.4),
 * or -1 for an undefined one. */
static int dcerpc_co_sender(guint8 ptype)
{
    switch (ptype) {
    case 0: case 11: case 14: case 16: case 17: case 18: return PN_SENDER_CLIENT;
    case 2: case 3: case 12: case 13: case 15: return PN_SENDER_SERVER;
    case 19: return PN_SENDER_EITHER;
    default: return -1;
    }
}

/* DCE/RPC connection-oriented (The Open Group C706 12.6.3.1, MS-RPCE
 * 2.2.2): version 5.0 or 5.1, a defined PDU type, a data representation
 * of ASCII, IEEE/VAX/Cray/IBM floats and zero padding, a fragment length
 * (in that byte order) the PDU fills, an authentication length within it. */
static gboolean is_dcerpc_co(const guint8 *d, gsize len, pn_sender_t *sender)
{
    int from;
    guint frag, auth;
    gboolean little;

    if (len < 16 || d[1] > 1 || (from = dcerpc_co_sender(d[2])) < 0 || (d[4] != 0x10 && d[4] != 0x00)
        || d[5] > 3 || d[6] || d[7])
        return FALSE;
    little = d[4] == 0x10;
    frag = little ? (guint)(d[8] | d[9] << 8) : pn_ntoh16(d + 8);
    auth = little ? (guint)(d[10] | d[11] << 8) : pn_ntoh16(d + 10);
    if (frag < 16 || frag > len || auth + 16 > frag || (frag < len && (frag + 2 > len || d[frag] != 0x05)))
        return FALSE;
    *sender = (pn_sender_t)from;
    return TRUE;
}

/* HL7 v2 over MLLP (HL7 v2.x Implementation Guide: Transport
 * Specification, MLLP release 2): the start block 0x0B, then a message's
 * header segment "MSH", its field separator and four distinct encoding
 * characters (normally "|^~\&"), none a letter or a digit. */
static gboolean is_hl7_mllp(const guint8 *d, gsize len)
{
    if (len < 10 || memcmp(d, "\x0bMSH", 4) != 0)
        return FALSE;
    for (gsize i = 4; i < 9; i++) {
        if (d[i] <= ' ' || d[i] >= 0x7f || g_ascii_isalnum(d[i]))
            return FALSE;
        for (gsize j = 4; j < i; j++)
            if (d[i] == d[j])
                return FALSE;
    }
    return d[9] == d[4];
}

/** Reads an MQTT remaining length (MQTT 3.1.1 2.2.3) at d[1...]; the
 * fixed header's size, or 0 if malformed. */
static gsize mqtt_fixed_header(const guint8 *d, gsize len, gsize *remaining)
{
    gsize p = 1;
    guint shift = 0;

    *remaining = 0;
    do {
        if (p >= len || p > 4)
            return 0;
        *remaining |= (gsize)(d[p] & 0x7f) << shift;
        shift += 7;
    } while (d[p++] & 0x80);
    return p;
}

/* MQTT packets met mid-session (MQTT 3.1.1 3.3-3.14): the flags each
 * type requires, a remaining length the payload ends with (or another
 * packet follows), and for PUBLISH a topic of printable characters with
 * no wildcard.  A few bytes of header fit other formats: weak. */
static gboolean is_mqtt_packet(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint8 type = d[0] >> 4, flags = d[0] & 0x0f;
    gsize remaining, header = mqtt_fixed_header(d, len, &remaining), topic;

    if (!header || header + remaining > len || type < 3 || type > 14)
        return FALSE;
    if (header + remaining < len && (header + remaining + 2 > len || (d[header + remaining] >> 4) < 1))
        return FALSE;
    *sender = type == 8 || type == 10 || type == 12 ? PN_SENDER_CLIENT
              : type == 9 || type == 11 || type == 13 ? PN_SENDER_SERVER : PN_SENDER_EITHER;
    if (type == 3) {
        if ((flags & 0x06) == 0x06 || remaining < 3)
            return FALSE;
        topic = pn_ntoh16(d + header);
        if (topic == 0 || header + 2 + topic > header + remaining)
            return FALSE;
        for (gsize i = header + 2; i < header + 2 + topic; i++)
            if (d[i] < 0x20 || d[i] == 0x7f || d[i] == '+' || d[i] == '#')
                return FALSE;
        return TRUE;
    }
    if ((type == 6 || type == 8 || type == 10) ? flags != 2 : flags != 0)
        return FALSE;
    if (type == 12 || type == 13 || type == 14)
        return remaining == 0;
    if (type >= 4 && type <= 7)
        return remaining == 2 || remaining >= 3;
    return remaining >= 3;
}

/* An ONC RPC call over TCP behind its record mark (RFC 5531 11): the
 * last-fragment bit and a fragment length the payload fills, or that
 * another record mark follows (pipelined calls). */
static gboolean is_onc_rpc_tcp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize record = len >= 4 ? (gsize)(pn_ntoh32(d) & 0x7fffffff) : 0;

    if (len < 44 || d[0] != 0x80 || record < 40 || record > len - 4
        || (record < len - 4 && (record + 8 > len - 4 || d[4 + record] != 0x80)))
        return FALSE;
    return pn_sig_onc_rpc(d + 4, record, sender);
}

/* OpenVPN over TCP: each packet behind a 16-bit length (OpenVPN's
 * "packet length" framing of its TCP transport). */
static gboolean is_openvpn_tcp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize packet = pn_ntoh16(d);

    return packet >= 14 && packet + 2 <= len && pn_sig_openvpn(d + 2, packet, sender);
}

/* ---- Dispatch ------------------------------------------------------------------ */

/** Signatures whose first byte is fixed, by that byte. */
static pn_payload_sig_t by_first_byte(const guint8 *d, gsize len)
{
    pn_sender_t sender;

    switch (d[0]) {
    case 0x14: case 0x15: case 0x16: case 0x17: return tls_signature(d, len);
    case 0xff: return telnet_signature(d, len);
    case 0x03: return tpkt_signature(d, len);
    case 0x00: case 0x01:
        if (pn_sig_stun(d, len, &sender))
            return pn_sig_of(PN_PROTO_STUN, sender);
        if (d[0] == 0x01)
            return pn_sig_slp(d, len, &sender) ? pn_sig_of(PN_PROTO_SLP, sender) : pn_sig_none();
        if (is_postgresql(d, len))
            return postgresql_signature(len);
        if (is_socks4_reply(d, len))
            return pn_sig_opening(pn_sig_weak(PN_PROTO_SOCKS, PN_SENDER_SERVER));
        return smb_signature(d, len);
    case 0x81: return is_netbios_session_request(d, len) ? pn_sig_of(PN_PROTO_SMB, PN_SENDER_CLIENT) : pn_sig_none();
    case 0x04:
        return is_socks4_request(d, len) ? pn_sig_opening(pn_sig_of(PN_PROTO_SOCKS, PN_SENDER_CLIENT)) : pn_sig_none();
    case 0x05:
        if (pn_sig_dnp3(d, len, &sender))
            return pn_sig_of(PN_PROTO_DNP3, sender);
        if (is_dcerpc_co(d, len, &sender))
            return pn_sig_of(PN_PROTO_DCERPC, sender);
        return socks5_signature(d, len);
    case 0x68: return is_iec104(d, len, &sender) ? pn_sig_of(PN_PROTO_IEC104, sender) : pn_sig_none();
    case 0x0b: return is_hl7_mllp(d, len) ? pn_sig_of(PN_PROTO_HL7, PN_SENDER_EITHER) : pn_sig_none();
    case 0x80: return is_onc_rpc_tcp(d, len, &sender) ? pn_sig_of(PN_PROTO_ONC_RPC, sender) : pn_sig_none();
    case 0x10: return is_mqtt_connect(d, len) ? pn_sig_of(PN_PROTO_MQTT, PN_SENDER_CLIENT) : pn_sig_none();
    case 0x20: return is_mqtt_connack(d, len) ? pn_sig_weak(PN_PROTO_MQTT, PN_SENDER_SERVER) : pn_sig_none();
    case 0x13:
        return pn_starts_with(d, len, "\x13" "BitTorrent protocol") ? pn_sig_of(PN_PROTO_BITTORRENT, PN_SENDER_EITHER)
                                                                   : pn_sig_none();
    case 0x30: return pn_sig_ldap(d, len, TRUE, &sender) ? pn_sig_of(PN_PROTO_LDAP, sender) : pn_sig_none();
    case 0x02: return pn_sig_slp(d, len, &sender) ? pn_sig_of(PN_PROTO_SLP, sender) : pn_sig_none();
    default: return pn_sig_none();
    }
}

/** Signatures that open with a length or an identifier, each behind a cheap test. */
static pn_payload_sig_t by_header_fields(const guint8 *d, gsize len)
{
    gboolean response, ssl;
    pn_sender_t sender;

    if (len < 8)
        return len >= 2 && is_mqtt_packet(d, len, &sender) ? pn_sig_weak(PN_PROTO_MQTT, sender) : pn_sig_none();
    if (d[3] == 0 && ((d[4] == 0x0a && is_mysql_greeting(d, len))
                      || (d[4] == 0xff && is_mysql_refusal(d, len)))) {
        pn_payload_sig_t s = pn_sig_of(PN_PROTO_MYSQL, PN_SENDER_SERVER);
        s.greeting = TRUE;
        return s;
    }
    if (d[3] == 1 && is_mysql_client(d, len, &ssl)) {
        pn_payload_sig_t s = pn_sig_of(PN_PROTO_MYSQL, PN_SENDER_CLIENT);
        return ssl ? pn_sig_opening(s) : s;
    }
    if (d[3] == 0 && is_mongodb(d, len, &sender))
        return pn_sig_of(PN_PROTO_MONGODB, sender);
    if (d[0] == 0 && is_kerberos_tcp(d, len, &sender))
        return pn_sig_of(PN_PROTO_KERBEROS, sender);
    /* DNS over TCP carries a two-byte length first (RFC 1035 4.2.2). */
    if (pn_ntoh16(d) == len - 2 && pn_sig_dns(d + 2, len - 2, &response))
        return pn_sig_of(PN_PROTO_DNS, response ? PN_SENDER_SERVER : PN_SENDER_CLIENT);
    if (d[2] == 0 && d[3] == 0 && is_modbus(d, len))
        return pn_sig_weak(PN_PROTO_MODBUS, PN_SENDER_EITHER);
    if (d[0] == 0 && is_openvpn_tcp(d, len, &sender))
        return pn_sig_of(PN_PROTO_OPENVPN, sender);
    if (pn_sig_someip(d, len, &sender))
        return pn_sig_of(PN_PROTO_SOMEIP, sender);
    if (is_mqtt_packet(d, len, &sender))
        return pn_sig_weak(PN_PROTO_MQTT, sender);
    return pn_sig_none();
}

/** What the first payload of a stream (TCP, SCTP) looks like. */
pn_payload_sig_t pn_sig_stream(const guint8 *d, gsize len)
{
    pn_payload_sig_t s = by_first_byte(d, len);

    if (s.candidates)
        return s;
    if (d[0] >= 0x20 && d[0] < 0x7f && (s = pn_sig_text(PN_TRANSPORT_TCP, d, len)).candidates)
        return s;
    return by_header_fields(d, len);
}
