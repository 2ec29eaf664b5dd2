/* portnote-sig-shared.c
 * Signatures of the formats both transports carry, which the stream and
 * datagram families both call (and so sit below both): DNS, LDAP,
 * Kerberos, SLP, STUN, DNP3, OpenVPN, ONC RPC and SOME/IP.  Each takes a whole message; the callers strip
 * a stream's length prefix first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-sig.h"

/* ---- DNS --------------------------------------------------------------------- */

/** Whether a DNS opcode is assigned (RFC 1035, 1996, 2136, 8490): QUERY,
 * IQUERY, STATUS, NOTIFY, UPDATE, DSO. */
static gboolean dns_opcode(guint opcode)
{
    return opcode <= 2 || (opcode >= 4 && opcode <= 6);
}

/** Whether the fixed header of a DNS message (RFC 1035 4.1.1) is plausible:
 * a known opcode, Z clear, and section counts a datagram could hold. */
static gboolean dns_header(const guint8 *d, gsize len)
{
    guint flags;

    if (len < 17)
        return FALSE;
    flags = pn_ntoh16(d + 2);
    if (!dns_opcode((flags >> 11) & 0xf) || (flags & 0x40))
        return FALSE;
    return pn_ntoh16(d + 4) <= 256 && pn_ntoh16(d + 6) <= 256 && pn_ntoh16(d + 8) <= 256
        && pn_ntoh16(d + 10) <= 256;
}

/** The offset of the zero byte ending the message's first name, an
 * uncompressed one (nothing precedes it to point at); -1 if malformed. */
static gssize dns_first_name_end(const guint8 *d, gsize len)
{
    gsize p = 12, name_len = 0;

    while (p < len && d[p] != 0) {
        if (d[p] > 63)
            return -1;      /* a pointer or a reserved label type in the first name */
        name_len += d[p] + 1u;
        p += d[p] + 1u;
    }
    return p < len && name_len <= 255 ? (gssize)p : -1;
}

/** Whether a type and class (RFC 1035 3.2.2, 3.2.4; the class's top bit is
 * mDNS's unicast-response or cache-flush bit, RFC 6762 5.4, 10.2) are
 * plausible: a type, and class IN, CH, HS, NONE or ANY. */
static gboolean dns_type_class(const guint8 *d)
{
    guint klass = pn_ntoh16(d + 2) & 0x7fff;

    return pn_ntoh16(d) != 0 && (klass == 1 || klass == 3 || klass == 4 || klass == 254 || klass == 255);
}

/** Whether the message's first section entry (a question, or with no
 * question the first answer record and its data) is well formed. */
static gboolean dns_first_entry(const guint8 *d, gsize len, gboolean question)
{
    gssize p = dns_first_name_end(d, len);

    if (p < 0 || (gsize)p + 5 > len || !dns_type_class(d + p + 1))
        return FALSE;
    return question || ((gsize)p + 11 <= len && (gsize)p + 11 + pn_ntoh16(d + p + 9) <= len);
}

/* A DNS message (RFC 1035 4.1) with one well-formed question: a known
 * opcode, Z clear, one question, an uncompressed name and a known class. */
gboolean pn_sig_dns(const guint8 *d, gsize len, gboolean *response)
{
    if (!dns_header(d, len) || pn_ntoh16(d + 4) != 1 || !dns_first_entry(d, len, TRUE))
        return FALSE;
    *response = (pn_ntoh16(d + 2) & 0x8000) != 0;
    return TRUE;
}

/* The DNS messages Multicast DNS adds (RFC 6762 5.3, 6, 7.1): a query with
 * several questions (and known answers), a response with no question (an
 * announcement or an answer).  The first question, or else the first
 * answer record, is well formed.  Generic enough that it is tried only on
 * DNS's own ports (pn_payload_classify_between()). */
gboolean pn_sig_dns_own_port(const guint8 *d, gsize len, gboolean *response)
{
    guint questions;

    if (!dns_header(d, len))
        return FALSE;
    questions = pn_ntoh16(d + 4);
    *response = (pn_ntoh16(d + 2) & 0x8000) != 0;
    if (questions == 0 && (!*response || pn_ntoh16(d + 6) == 0))
        return FALSE;
    return dns_first_entry(d, len, questions > 0);
}

/* ---- Directory, authentication ----------------------------------------------- */

/** The sender of an LDAP protocolOp (RFC 4511 4.2-4.14) whose contents start at d; EITHER if unknown. */
static gboolean ldap_operation(guint8 tag, const guint8 *d, gsize len, pn_sender_t *sender)
{
    gboolean request = tag == 0x60 || tag == 0x63 || tag == 0x77 || tag == 0x42;

    *sender = request ? PN_SENDER_CLIENT : PN_SENDER_SERVER;
    switch (tag) {
    case 0x60: return len >= 3 && d[0] == 0x02 && d[1] == 0x01 && (d[2] == 3 || d[2] == 2); /* bind */
    case 0x63: case 0x64: return len >= 2 && d[0] == 0x04;          /* search, result entry */
    case 0x77: return len >= 2 && d[0] == 0x80;                      /* extended request */
    case 0x42: return len == 0;                                      /* unbind */
    case 0x61: case 0x65: case 0x78:                                 /* bind, done, extended */
        return len >= 3 && d[0] == 0x0a && d[1] == 0x01;
    default: return FALSE;
    }
}

/**
 * An LDAPMessage (RFC 4511 4.1.1): SEQUENCE of a positive messageID and a
 * protocolOp a session opens with (bind, search, extended, unbind) or
 * answers with; the SEQUENCE fills the payload, or over a stream is
 * followed by another.
 */
gboolean pn_sig_ldap(const guint8 *d, gsize len, gboolean stream, pn_sender_t *sender)
{
    gsize p = 1, total, id_len, op_start;
    gssize l = pn_ber_length(d, len, &p), op_len;

    if (len < 7 || d[0] != 0x30 || l < 5)
        return FALSE;
    total = p + (gsize)l;
    if (total > len || (total < len && (!stream || d[total] != 0x30)))
        return FALSE;
    if (d[p] != 0x02 || (id_len = d[p + 1]) == 0 || id_len > 4 || d[p + 2] & 0x80 || p + 2 + id_len >= total)
        return FALSE;
    p += 2 + id_len;
    op_start = p + 1;
    if ((op_len = pn_ber_length(d, total, &op_start)) < 0 || op_start + (gsize)op_len > total)
        return FALSE;
    return ldap_operation(d[p], d + op_start, (gsize)op_len, sender);
}

/** Whether d[*p] starts "[tag] INTEGER value" in one byte each (a context tag, constructed). */
static gboolean ber_small_int(const guint8 *d, gsize len, gsize *p, guint8 tag, guint8 value)
{
    if (*p + 5 > len || d[*p] != tag || d[*p + 1] != 3 || d[*p + 2] != 0x02 || d[*p + 3] != 1
        || d[*p + 4] != value)
        return FALSE;
    *p += 5;
    return TRUE;
}

/**
 * A Kerberos message (RFC 4120 5.4.1, 5.4.2, 5.9.1): AS-REQ, TGS-REQ,
 * AS-REP, TGS-REP or KRB-ERROR, its application tag filling the payload,
 * then a SEQUENCE opening with pvno 5 and the msg-type the tag names.
 */
gboolean pn_sig_kerberos(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize p = 1;
    gssize l;
    gboolean request;
    guint8 type = d[0] & 0x1f;

    if (len < 16 || ((d[0] < 0x6a || d[0] > 0x6d) && d[0] != 0x7e))
        return FALSE;
    if ((l = pn_ber_length(d, len, &p)) < 0 || p + (gsize)l != len || d[p++] != 0x30)
        return FALSE;
    if ((l = pn_ber_length(d, len, &p)) < 0 || p + (gsize)l != len)
        return FALSE;
    request = d[0] == 0x6a || d[0] == 0x6c;
    *sender = request ? PN_SENDER_CLIENT : PN_SENDER_SERVER;
    return request ? ber_small_int(d, len, &p, 0xa1, 5) && ber_small_int(d, len, &p, 0xa2, type)
                   : ber_small_int(d, len, &p, 0xa0, 5) && ber_small_int(d, len, &p, 0xa1, type);
}

/* ---- Service location, NAT traversal ---------------------------------------- */

/** The sender of an SLP function (RFC 2608 8: requests, replies, adverts). */
static pn_sender_t slp_sender(guint8 function)
{
    switch (function) {
    case 1: case 3: case 4: case 6: case 9: return PN_SENDER_CLIENT;
    case 8: case 11: return PN_SENDER_EITHER;
    default: return PN_SENDER_SERVER;
    }
}

/** Whether n bytes at d form a language tag (RFC 1766): letters and hyphens. */
static gboolean language_tag(const guint8 *d, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (!g_ascii_isalpha(d[i]) && d[i] != '-')
            return FALSE;
    return n > 0 && g_ascii_isalpha(d[0]);
}

/**
 * SLP (RFC 2608 8, RFC 2165 7): version 2 with function 1-11, a 24-bit
 * length equal to the payload, reserved flag bits clear and a language
 * tag; or version 1 with function 1-10, dialect 0, a two-letter language
 * and a registered character encoding.
 */
gboolean pn_sig_slp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint encoding, tag_len;

    if (len < 16 || d[1] < 1)
        return FALSE;
    *sender = slp_sender(d[1]);
    if (d[0] == 2) {
        tag_len = pn_ntoh16(d + 12);
        return d[1] <= 11 && pn_ntoh24(d + 2) == len && (d[5] & 0x1f) == 0 && d[6] == 0
            && pn_ntoh24(d + 7) < len && tag_len >= 2 && 14 + tag_len <= len && language_tag(d + 14, tag_len);
    }
    encoding = pn_ntoh16(d + 8);
    return d[0] == 1 && d[1] <= 10 && pn_ntoh16(d + 2) == len && (d[4] & 0x07) == 0 && d[5] == 0
        && language_tag(d + 6, 2)
        && (encoding == 3 || encoding == 4 || encoding == 106 || encoding == 1000 || encoding == 1015);
}

/**
 * A STUN message (RFC 8489 5, 6), over UDP or a stream: type with the top
 * two bits clear, a length in 4-byte units equal to the rest of the
 * payload, the magic cookie.  The class tells the sender: request,
 * indication (either), success or error response.
 */
gboolean pn_sig_stun(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint type, klass;

    if (len < 20 || (d[0] & 0xc0) || pn_ntoh16(d + 2) % 4 || pn_ntoh16(d + 2) != len - 20
        || pn_ntoh32(d + 4) != 0x2112a442)
        return FALSE;
    type = pn_ntoh16(d);
    klass = ((type >> 7) & 2) | ((type >> 4) & 1);
    *sender = klass == 0 ? PN_SENDER_CLIENT : klass == 1 ? PN_SENDER_EITHER : PN_SENDER_SERVER;
    return TRUE;
}

/* ---- Industrial: DNP3 ---------------------------------------------------------- */

/** DNP3's CRC over a link header (IEEE 1815-2012 9.2.3.2, Annex E):
 * CRC-16 with polynomial 0x3D65, bit-reversed, complemented. */
static guint16 dnp3_crc(const guint8 *d, gsize n)
{
    guint16 crc = 0;

    for (gsize i = 0; i < n; i++) {
        crc ^= d[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc & 1) ? (guint16)((crc >> 1) ^ 0xa6bc) : (guint16)(crc >> 1);
    }
    return (guint16)~crc;
}

/** Whether a DNP3 link control byte names a defined function (IEEE 1815
 * 9.2.4.1.3): primary 0-4 or 9, secondary 0, 1, 11 or 15. */
static gboolean dnp3_function(guint8 control)
{
    guint8 code = control & 0x0f;

    if (control & 0x40)
        return code <= 4 || code == 9;
    return code == 0 || code == 1 || code == 11 || code == 15;
}

/**
 * A DNP3 link frame (IEEE 1815-2012 9.2.4): start bytes 0x05 0x64, a
 * length of at least 5, a defined function, the header's CRC right, and
 * the frame (user data in 16-byte blocks, each with its CRC) ending with
 * the payload or followed by another frame.  DIR set: from the master,
 * the client.
 */
gboolean pn_sig_dnp3(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize data, frame;

    if (len < 10 || d[0] != 0x05 || d[1] != 0x64 || d[2] < 5 || !dnp3_function(d[3]))
        return FALSE;
    if (dnp3_crc(d, 8) != (guint16)(d[8] | d[9] << 8))
        return FALSE;
    data = (gsize)d[2] - 5;
    frame = 10 + data + 2 * ((data + 15) / 16);
    if (frame > len || (frame < len && (frame + 2 > len || d[frame] != 0x05 || d[frame + 1] != 0x64)))
        return FALSE;
    *sender = d[3] & 0x80 ? PN_SENDER_CLIENT : PN_SENDER_SERVER;
    return TRUE;
}

/* ---- VPNs: OpenVPN ---------------------------------------------------------------- */

/** Whether the control channel fields after the session id (and any
 * tls-auth HMAC) of a hard reset start at d[p]: an ack array (empty from
 * the client; one id and the peer's session from the server), then
 * message packet-id 0, then nothing or an early-negotiation TLV. */
static gboolean openvpn_reset_rest(const guint8 *d, gsize len, gsize p, gboolean server)
{
    if (p >= len || d[p] != (server ? 1 : 0))
        return FALSE;
    p += 1 + (server ? 4 + 8 : 0);
    if (p + 4 > len || pn_ntoh32(d + p) != 0)
        return FALSE;
    p += 4;
    /* OpenVPN 2.6's EARLY_NEG_START TLV (type 0x0001) may follow */
    return p == len || (p + 4 <= len && pn_ntoh16(d + p) == 0x0001);
}

/**
 * An OpenVPN hard reset, the first packet of each end (OpenVPN's
 * ssl_pkt.h and "OpenVPN protocol" in its documentation): opcode
 * P_CONTROL_HARD_RESET_CLIENT_V2/V3 (7, 10) or _SERVER_V2 (8) with key id
 * 0, an 8-byte session id, then without tls-auth the ack array and
 * packet-id 0 at once, with it an HMAC (16-64 bytes), a replay packet-id
 * and a time after 2009 first.  Payloads only over UDP; over TCP each
 * packet has a 16-bit length first (the caller strips it).
 */
gboolean pn_sig_openvpn(const guint8 *d, gsize len, pn_sender_t *sender)
{
    static const guint8 hmac_sizes[] = { 16, 20, 32, 64 };
    gboolean server;

    if (len < 14 || (d[0] != 0x38 && d[0] != 0x40 && d[0] != 0x50))
        return FALSE;
    server = d[0] == 0x40;
    *sender = server ? PN_SENDER_SERVER : PN_SENDER_CLIENT;
    if (openvpn_reset_rest(d, len, 9, server))
        return TRUE;
    for (gsize i = 0; i < G_N_ELEMENTS(hmac_sizes); i++) {
        gsize p = 9 + hmac_sizes[i];
        if (p + 8 < len && pn_ntoh32(d + p) == 1 && pn_ntoh32(d + p + 4) >= 0x4b000000
            && openvpn_reset_rest(d, len, p + 8, server))
            return TRUE;
    }
    return FALSE;
}

/* ---- Remote procedure calls: ONC RPC ------------------------------------------- */

/** Whether an ONC RPC opaque_auth (RFC 5531 8.2) starts at d[*p]: a known
 * flavor (AUTH_NONE, AUTH_SYS, AUTH_SHORT, AUTH_DH, RPCSEC_GSS) and a
 * body of at most 400 bytes that fits; *p goes past it. */
static gboolean rpc_auth(const guint8 *d, gsize len, gsize *p)
{
    guint32 flavor, body;

    if (*p + 8 > len)
        return FALSE;
    flavor = pn_ntoh32(d + *p);
    body = pn_ntoh32(d + *p + 4);
    if ((flavor > 3 && flavor != 6) || body > 400 || *p + 8 + body > len)
        return FALSE;
    *p += 8 + ((body + 3) & ~3u);
    return *p <= len;
}

/**
 * An ONC RPC call (RFC 5531 9): message type CALL, RPC version 2, a
 * program number in the ranges Sun and IANA define (below 0x40000000), a
 * small version and procedure, then credentials and verifier that fit.
 * Portmap, NFS, mountd, NLM all open this way.
 */
gboolean pn_sig_onc_rpc(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize p = 24;

    if (len < 40 || pn_ntoh32(d + 4) != 0 || pn_ntoh32(d + 8) != 2 || pn_ntoh32(d + 12) >= 0x40000000
        || pn_ntoh32(d + 16) > 0xff || pn_ntoh32(d + 20) > 0xffff)
        return FALSE;
    *sender = PN_SENDER_CLIENT;
    return rpc_auth(d, len, &p) && rpc_auth(d, len, &p);
}

/* ---- Automotive: SOME/IP ---------------------------------------------------------- */

/** Whether a SOME/IP message type is defined (SOME/IP Protocol
 * Specification 4.1.2.7): request, request without return, notification,
 * their ACKs, response, error, each optionally segmented (TP flag 0x20). */
static gboolean someip_type(guint8 type)
{
    switch (type & ~0x20) {
    case 0x00: case 0x01: case 0x02: case 0x40: case 0x41: case 0x42: case 0x80: case 0x81: case 0xc0: case 0xc1:
        return TRUE;
    default:
        return FALSE;
    }
}

/**
 * A SOME/IP message (AUTOSAR SOME/IP Protocol Specification 4.1.2): a
 * length counting the 8 bytes after it up to the end of the message
 * (which ends the payload or is followed by another), protocol version
 * 1, a defined message type, a return code of the defined range (0 in a
 * request).  SOME/IP-SD (message id 0xFFFF8100) is sent by either end.
 */
gboolean pn_sig_someip(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint32 length;
    guint8 type;

    if (len < 16 || d[12] != 0x01 || !someip_type(d[14]) || d[15] > 0x5e)
        return FALSE;
    length = pn_ntoh32(d + 4);
    if (length < 8 || length > len - 8 || (length < len - 8 && len - 8 - length < 16))
        return FALSE;
    type = d[14] & ~0x20;
    if (type < 0x80 && d[15] != 0)
        return FALSE;
    if (pn_ntoh32(d) == 0xffff8100)
        *sender = PN_SENDER_EITHER;
    else
        *sender = type < 0x80 && type != 0x02 && type != 0x42 ? PN_SENDER_CLIENT : PN_SENDER_SERVER;
    return TRUE;
}
