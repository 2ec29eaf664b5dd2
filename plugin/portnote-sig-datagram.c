/* portnote-sig-datagram.c
 * Signatures of protocols over UDP: a datagram is a whole message, so a
 * length field must equal the payload's.  Told by the first byte where
 * it is fixed; DNS, IKE and NTP, whose first byte is an identifier or a
 * bit field, are tried last.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-sig.h"

/* ---- Network management ------------------------------------------------------ */

/* An SNMP message (RFC 1157 4, RFC 3416 3, RFC 3412 6): SEQUENCE filling
 * the datagram, version 0, 1 or 3; for v1/v2c a community string and a
 * PDU (0xA0-0xA8) filling the rest; for v3 the msgGlobalData SEQUENCE. */
static gboolean is_snmp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize p = 1, q;
    gssize l = pn_ber_length(d, len, &p);
    guint8 version;

    if (len < 12 || l < 0 || p + (gsize)l != len || p + 5 > len || d[p] != 0x02 || d[p + 1] != 0x01)
        return FALSE;
    version = d[p + 2];
    p += 3;
    *sender = PN_SENDER_EITHER;
    if (version == 3) {
        q = p + 1;
        return d[p] == 0x30 && pn_ber_length(d, len, &q) > 0 && q < len && d[q] == 0x02;
    }
    if (version > 1 || d[p++] != 0x04 || (l = pn_ber_length(d, len, &p)) < 0 || p + (gsize)l + 2 > len)
        return FALSE;
    p += (gsize)l;
    if (d[p] < 0xa0 || d[p] > 0xa8)
        return FALSE;
    *sender = d[p] == 0xa2 || d[p] == 0xa8 ? PN_SENDER_SERVER : PN_SENDER_CLIENT;
    q = p + 1;
    return (l = pn_ber_length(d, len, &q)) >= 0 && q + (gsize)l == len;
}

/* NTP (RFC 5905 7.3): 48 bytes and optional extensions or MAC in 4-byte
 * units, version 1-4, mode 1-5, stratum 0-16, precision 0 or negative
 * down to -32.  A 48-byte datagram with a few plausible bits is too
 * generic to accuse a port: weak. */
static gboolean is_ntp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint version = (d[0] >> 3) & 7, mode = d[0] & 7;

    if (len < 48 || len > 1024 || (len - 48) % 4 || version < 1 || version > 4 || mode < 1 || mode > 5
        || d[1] > 16 || (d[3] != 0 && d[3] < 0xe0))
        return FALSE;
    *sender = mode == 3 ? PN_SENDER_CLIENT : mode >= 4 ? PN_SENDER_SERVER : PN_SENDER_EITHER;
    return TRUE;
}

/* DHCP / BOOTP (RFC 2131 2, RFC 2132 3): BOOTREQUEST or BOOTREPLY,
 * Ethernet addresses, a sane hop count, the magic cookie at 236. */
static gboolean is_dhcp(const guint8 *d, gsize len)
{
    return len >= 240 && (d[0] == 1 || d[0] == 2) && d[1] == 1 && d[2] == 6 && d[3] <= 16
        && pn_ntoh32(d + 236) == 0x63825363;
}

/* ---- Wrappers: QUIC, DTLS ----------------------------------------------------- */

/** Reads a QUIC variable-length integer (RFC 9000 16) at d[*p]; FALSE if truncated. */
static gboolean quic_varint(const guint8 *d, gsize len, gsize *p, guint64 *value)
{
    gsize n = (gsize)1 << (d[*p] >> 6);

    if (*p + n > len)
        return FALSE;
    *value = d[*p] & 0x3f;
    for (gsize i = 1; i < n; i++)
        *value = *value << 8 | d[*p + i];
    *p += n;
    return TRUE;
}

/* A QUIC Initial packet (RFC 9000 17.2, 17.2.2; RFC 9369 3.2 for v2):
 * long header with the fixed bit, version 1, 2 or a draft (0xff0000xx),
 * connection IDs of at most 20 bytes, a token and a length that fits. */
static gboolean is_quic_initial(const guint8 *d, gsize len)
{
    guint32 version;
    guint type = (d[0] >> 4) & 3;
    gsize p = 5;
    guint64 token, length;

    if (len < 64 || (d[0] & 0xc0) != 0xc0)
        return FALSE;
    version = pn_ntoh32(d + 1);
    if (!(version == 1 && type == 0) && !(version == 0x6b3343cf && type == 1)
        && !((version & 0xffffff00) == 0xff000000 && type == 0))
        return FALSE;
    if (d[p] > 20 || p + 1 + d[p] >= len)
        return FALSE;
    p += 1 + d[p];
    if (d[p] > 20 || p + 1 + d[p] >= len)
        return FALSE;
    p += 1 + d[p];
    if (!quic_varint(d, len, &p, &token) || token > len - p || (p += (gsize)token) >= len)
        return FALSE;
    return quic_varint(d, len, &p, &length) && length >= 20 && length <= len - p;
}

/* A DTLS handshake record (RFC 6347 4.1, 4.2.2; RFC 9147 4): version
 * 1.0 or 1.2, epoch 0, a ClientHello, ServerHello or HelloVerifyRequest
 * whose fragment fills the record and lies within the message. */
static gboolean is_dtls_hello(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint record_len;
    guint32 msg_len, frag_off, frag_len;

    if (len < 25 || d[0] != 0x16 || d[1] != 0xfe || (d[2] != 0xff && d[2] != 0xfd) || pn_ntoh16(d + 3) != 0
        || d[13] < 1 || d[13] > 3)
        return FALSE;
    record_len = pn_ntoh16(d + 11);
    msg_len = pn_ntoh24(d + 14);
    frag_off = pn_ntoh24(d + 19);
    frag_len = pn_ntoh24(d + 22);
    *sender = d[13] == 1 ? PN_SENDER_CLIENT : PN_SENDER_SERVER;
    return record_len <= len - 13 && frag_len + 12 == record_len && frag_off + frag_len <= msg_len;
}

/* ---- Authentication, key exchange --------------------------------------------- */

/* An ISAKMP/IKE header (RFC 2408 3.1, RFC 7296 3.1) filling the datagram:
 * non-zero initiator SPI, version 1.0 with exchange 2, 4, 5 or 32, or 2.0
 * with exchange 34-37.  The first message has a zero responder SPI; IKEv2
 * flags a response. */
static gboolean is_ike(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint8 exchange;

    if (len < 28 || pn_ntoh32(d + 24) != len || (pn_ntoh32(d) == 0 && pn_ntoh32(d + 4) == 0))
        return FALSE;
    exchange = d[18];
    if (!(d[17] == 0x10 && (exchange == 2 || exchange == 4 || exchange == 5 || exchange == 32))
        && !(d[17] == 0x20 && exchange >= 34 && exchange <= 37))
        return FALSE;
    if (d[17] == 0x20 && (d[19] & 0x20))
        *sender = PN_SENDER_SERVER;
    else
        *sender = pn_ntoh32(d + 8) == 0 && pn_ntoh32(d + 12) == 0 ? PN_SENDER_CLIENT : PN_SENDER_EITHER;
    return TRUE;
}

/* IKE on the NAT-T port behind the four-byte non-ESP marker (RFC 3948 2.2). */
static gboolean is_ike_nat_t(const guint8 *d, gsize len, pn_sender_t *sender)
{
    return len > 32 && pn_ntoh32(d) == 0 && is_ike(d + 4, len - 4, sender);
}

/** The sender of a RADIUS code (RFC 2865 3, RFC 2866 3, RFC 5176 3, RFC 5997), or -1. */
static int radius_sender(guint8 code)
{
    switch (code) {
    case 1: case 4: case 12: case 13: case 40: case 43: return PN_SENDER_CLIENT;
    case 2: case 3: case 5: case 11: case 41: case 42: case 44: case 45: return PN_SENDER_SERVER;
    default: return -1;
    }
}

/* RADIUS (RFC 2865 3, 5): a known code, a length of 20-4096 equal to the
 * datagram, attributes of length >= 2 that end exactly with it. */
static gboolean is_radius(const guint8 *d, gsize len, pn_sender_t *sender)
{
    int from = radius_sender(d[0]);
    gsize p = 20;

    if (from < 0 || len < 20 || len > 4096 || pn_ntoh16(d + 2) != len)
        return FALSE;
    while (p + 2 <= len && d[p + 1] >= 2 && d[p] != 0)
        p += d[p + 1];
    *sender = (pn_sender_t)from;
    return p == len;
}

/* ---- Dispatch ------------------------------------------------------------------ */

/** Signatures whose first byte is fixed (or a small range), by that byte. */
static pn_payload_sig_t by_first_byte(const guint8 *d, gsize len)
{
    pn_sender_t sender;

    if ((d[0] & 0xc0) == 0xc0)
        return is_quic_initial(d, len) ? pn_sig_of(PN_PROTO_QUIC, PN_SENDER_EITHER) : pn_sig_none();
    if (d[0] < 0x02 && pn_sig_stun(d, len, &sender))
        return pn_sig_of(PN_PROTO_STUN, sender);
    if ((d[0] == 1 || d[0] == 2) && is_dhcp(d, len))
        return pn_sig_of(PN_PROTO_DHCP, d[0] == 1 ? PN_SENDER_CLIENT : PN_SENDER_SERVER);
    if ((d[0] == 1 || d[0] == 2) && pn_sig_slp(d, len, &sender))
        return pn_sig_of(PN_PROTO_SLP, sender);
    if (d[0] == 0x30 && is_snmp(d, len, &sender))
        return pn_sig_of(PN_PROTO_SNMP, sender);
    if (d[0] == 0x30 && pn_sig_ldap(d, len, FALSE, &sender))
        return pn_sig_of(PN_PROTO_LDAP, sender);
    if (d[0] == 0x16 && is_dtls_hello(d, len, &sender))
        return pn_sig_of(PN_PROTO_DTLS, sender);
    if (d[0] >= 0x6a && d[0] <= 0x7e && pn_sig_kerberos(d, len, &sender))
        return pn_sig_of(PN_PROTO_KERBEROS, sender);
    if (d[0] <= 45 && is_radius(d, len, &sender))
        return pn_sig_of(PN_PROTO_RADIUS, sender);
    return pn_sig_none();
}

/** Signatures whose first byte says little, each behind a cheap test. */
static pn_payload_sig_t by_header_fields(const guint8 *d, gsize len)
{
    gboolean response;
    pn_sender_t sender;

    if (pn_sig_dns(d, len, &response))
        return pn_sig_of(PN_PROTO_DNS, response ? PN_SENDER_SERVER : PN_SENDER_CLIENT);
    if (len >= 28 && (d[17] == 0x10 || d[17] == 0x20) && is_ike(d, len, &sender))
        return pn_sig_of(PN_PROTO_IKE, sender);
    if (len >= 32 && d[0] == 0 && is_ike_nat_t(d, len, &sender))
        return pn_sig_of(PN_PROTO_IKE, sender);
    if (len >= 48 && is_ntp(d, len, &sender))
        return pn_sig_weak(PN_PROTO_NTP, sender);
    return pn_sig_none();
}

/** What a UDP payload looks like. */
pn_payload_sig_t pn_sig_datagram(const guint8 *d, gsize len)
{
    pn_payload_sig_t s = by_first_byte(d, len);

    if (s.candidates)
        return s;
    if (d[0] >= 0x20 && d[0] < 0x7f && (s = pn_sig_text(PN_TRANSPORT_UDP, d, len)).candidates)
        return s;
    return by_header_fields(d, len);
}
