/* portnote-sig-datagram.c
 * Signatures of protocols over UDP: a datagram is a whole message, so a
 * length field must equal the payload's.  Told by the first byte where
 * it is fixed; DNS, IKE, ONC RPC, SOME/IP and NTP, whose first byte is an
 * identifier or a bit field, are tried last.
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

/* NTP control messages (mode 6, RFC 9327 2, as ntpq sends them): a 12-byte
 * header (response, error and more bits, an opcode, then sequence, status,
 * association, offset and count), count bytes of data padded to 4 bytes,
 * and an optional MAC (a key id and an MD5 or SHA-1 digest).  A request
 * has no error bit and no data offset. */
static gboolean is_ntp_control(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint version = (d[0] >> 3) & 7, opcode = d[1] & 0x1f;
    gboolean response = (d[1] & 0x80) != 0;
    gsize count, padded, rest;

    if (len < 12 || len > 12 + 468 + 24 || (d[0] & 7) != 6 || version < 1 || version > 4 || opcode == 0)
        return FALSE;
    count = pn_ntoh16(d + 10);
    padded = (count + 3) & ~(gsize)3;
    if (count > 468 || 12 + count > len || (!response && ((d[1] & 0x40) || pn_ntoh16(d + 8) != 0)))
        return FALSE;
    rest = len - 12 - MIN(padded, len - 12);
    if (len != 12 + count && rest != 0 && rest != 20 && rest != 24)
        return FALSE;
    *sender = response ? PN_SENDER_SERVER : PN_SENDER_CLIENT;
    return TRUE;
}

/* ntpd's private messages (mode 7: ntpdc, and the monlist query that NTP
 * amplification abuses; ntpd's ntp_request.h): response and more bits,
 * version, an implementation number (0, 2 or 3), a request code, an error
 * and item count, a zero nibble and the item size, then the items.
 * Requests carry no error. */
static gboolean is_ntp_private(const guint8 *d, gsize len, pn_sender_t *sender)
{
    guint version = (d[0] >> 3) & 7, items, item_size;
    gboolean response = (d[0] & 0x80) != 0;

    if (len < 8 || len > 8 + 500 + 24 || (d[0] & 7) != 7 || version < 1 || version > 4
        || (d[2] != 0 && d[2] != 2 && d[2] != 3) || d[3] > 64 || (d[6] >> 4) != 0
        || (!response && (d[4] >> 4) != 0))
        return FALSE;
    items = (guint)(d[4] & 0x0f) << 8 | d[5];
    item_size = (guint)(d[6] & 0x0f) << 8 | d[7];
    if ((gsize)items * item_size > len - 8)
        return FALSE;
    *sender = response ? PN_SENDER_SERVER : PN_SENDER_CLIENT;
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

/* ---- Remote procedure calls, data distribution --------------------------------- */

/** The sender of a DCE/RPC connectionless PDU type (C706 12.5.3), or -1. */
static int dcerpc_cl_sender(guint8 ptype)
{
    switch (ptype) {
    case 0: case 1: case 5: case 6: return PN_SENDER_CLIENT;         /* request, ping, ack, cl_cancel */
    case 2: case 3: case 4: case 7: case 8: case 9: case 10: return PN_SENDER_SERVER;
    default: return -1;
    }
}

/* DCE/RPC connectionless (The Open Group C706 12.5.3.1): version 4, a
 * defined PDU type, reserved flag bits clear, a data representation as
 * in the connection-oriented header, and a body length (in that byte
 * order) filling the datagram after the 80-byte header. */
static gboolean is_dcerpc_cl(const guint8 *d, gsize len, pn_sender_t *sender)
{
    int from;
    guint body;

    if (len < 80 || d[0] != 4 || (from = dcerpc_cl_sender(d[1])) < 0 || (d[4] != 0x10 && d[4] != 0x00)
        || d[5] > 3 || d[6] != 0)
        return FALSE;
    body = d[4] == 0x10 ? (guint)(d[74] | d[75] << 8) : pn_ntoh16(d + 74);
    *sender = (pn_sender_t)from;
    return body == len - 80;
}

/* RTPS, the DDS wire protocol (OMG DDS-RTPS 2.5 8.3.3, 9.4.5): "RTPS",
 * version 2.0-2.5, vendor and GUID prefix, then a first submessage of a
 * defined kind whose length (in the byte order its flag names) fits. */
static gboolean is_rtps(const guint8 *d, gsize len)
{
    static const guint8 kinds[] = { 0x01, 0x06, 0x07, 0x08, 0x09, 0x0c, 0x0d, 0x0e, 0x0f, 0x12, 0x13, 0x15, 0x16 };
    guint sub;

    if (len < 24 || memcmp(d, "RTPS", 4) != 0 || d[4] != 2 || d[5] > 5 || !memchr(kinds, d[20], sizeof kinds))
        return FALSE;
    sub = d[21] & 1 ? (guint)(d[22] | d[23] << 8) : pn_ntoh16(d + 22);
    return 24 + (gsize)sub <= len;
}

/* ---- Flow export: NetFlow v5, v9, IPFIX ----------------------------------------- */

/** Whether sets (or FlowSets) of a 16-bit id and a 16-bit length of at
 * least 4 run from d[p] exactly to the end (RFC 3954 5.2, RFC 7011 3.3):
 * ids 0-1 (v9) or 2-3 (IPFIX) for templates, 256 and up for data. */
static gboolean flow_sets(const guint8 *d, gsize len, gsize p, guint first_template)
{
    if (p >= len)
        return FALSE;
    while (p + 4 <= len) {
        guint id = pn_ntoh16(d + p), set_len = pn_ntoh16(d + p + 2);
        if (set_len < 4 || (id != first_template && id != first_template + 1 && id < 256))
            return FALSE;
        p += set_len;
    }
    return p == len;
}

/* Flow export from a router to a collector: NetFlow v5 (Cisco "NetFlow
 * Export Datagram Format": a 24-byte header and 1-30 records of 48
 * bytes), v9 (RFC 3954 5.1) and IPFIX (RFC 7011 3.1: a length equal to
 * the message), each with well-formed sets to the end. */
static gboolean is_flow_export(const guint8 *d, gsize len)
{
    guint count;

    if (len < 20 || d[0] != 0)
        return FALSE;
    count = pn_ntoh16(d + 2);
    switch (d[1]) {
    case 5: return count >= 1 && count <= 30 && len == 24 + 48 * (gsize)count;
    case 9: return count >= 1 && flow_sets(d, len, 20, 0);
    case 10: return count == len && flow_sets(d, len, 16, 2);
    default: return FALSE;
    }
}

/* ---- Tunnels: Teredo ------------------------------------------------------------- */

/** Whether 16 bytes hold a Teredo address (2001:0000::/32) or a
 * link-local one (fe80::/64, its router solicitations). */
static gboolean teredo_address(const guint8 *a)
{
    static const guint8 link_local[8] = { 0xfe, 0x80 };

    return (a[0] == 0x20 && a[1] == 0x01 && a[2] == 0 && a[3] == 0) || memcmp(a, link_local, 8) == 0;
}

/** Whether the bytes after a Teredo packet's IPv6 packet are whole
 * trailers (RFC 6081 4: type, length, value; the nonce 0x01, alternate
 * address 0x03, neighbor discovery option 0x04 and random port 0x05
 * trailers), filling the datagram; none at all is fine. */
static gboolean teredo_trailers(const guint8 *t, gsize n)
{
    gsize p = 0;

    while (p < n) {
        if (p + 2 > n || (t[p] != 0x01 && t[p] != 0x03 && t[p] != 0x04 && t[p] != 0x05)
            || p + 2 + t[p + 1] > n)
            return FALSE;
        p += 2 + (gsize)t[p + 1];
    }
    return TRUE;
}

/* Teredo (RFC 4380 5.1.1): IPv6 in UDP, optionally behind an
 * authentication indicator (0x0001) or an origin indication (0x0000):
 * an IPv6 header whose payload length fills the datagram (or leaves
 * room for RFC 6081's trailers only), a next header of ICMPv6, TCP, UDP
 * or none (a bubble), and a Teredo or link-local address at one end. */
static gboolean is_teredo(const guint8 *d, gsize len)
{
    gsize p = 0, packet;

    if (len >= 13 && d[0] == 0 && d[1] == 1)
        p = 13 + (gsize)d[2] + d[3];
    if (p + 8 <= len && d[p] == 0 && d[p + 1] == 0)
        p += 8;
    if (p + 40 > len || (d[p] >> 4) != 6)
        return FALSE;
    packet = 40 + (gsize)pn_ntoh16(d + p + 4);
    if (p + packet > len || !teredo_trailers(d + p + packet, len - p - packet))
        return FALSE;
    if (d[p + 6] != 58 && d[p + 6] != 59 && d[p + 6] != 6 && d[p + 6] != 17)
        return FALSE;
    return teredo_address(d + p + 8) || teredo_address(d + p + 24);
}

/* ---- Peer to peer: BitTorrent over UDP -------------------------------------------- */

/* BitTorrent's UDP messages: a DHT query or response (BEP 5: a bencoded
 * dictionary opening with the "a" or "r" key and the 20-byte node id,
 * BEP 42's "ip" key before a response's), a uTP connection request
 * (BEP 29: ST_SYN, version 1, no extension, timestamp difference 0), or
 * a UDP tracker connect request (BEP 15: the protocol id 0x41727101980
 * and action 0). */
static gboolean is_bittorrent_udp(const guint8 *d, gsize len, pn_sender_t *sender)
{
    gsize p = 0;

    *sender = PN_SENDER_CLIENT;
    if (len == 16 && memcmp(d, "\x00\x00\x04\x17\x27\x10\x19\x80\x00\x00\x00\x00", 12) == 0)
        return TRUE;
    if (len == 20 && d[0] == 0x41 && d[1] == 0 && pn_ntoh32(d + 8) == 0)
        return TRUE;
    if (len < 20 || d[0] != 'd' || d[len - 1] != 'e')
        return FALSE;
    if (pn_starts_with(d, len, "d2:ip6:"))
        p = 1 + 6 + 6;
    else if (pn_starts_with(d, len, "d2:ip18:"))
        p = 1 + 7 + 18;
    if (p && p + 12 <= len && memcmp(d + p, "1:rd2:id20:", 11) == 0) {
        *sender = PN_SENDER_SERVER;
        return TRUE;
    }
    if (pn_starts_with(d, len, "d1:ad2:id20:"))
        return TRUE;
    *sender = PN_SENDER_SERVER;
    return pn_starts_with(d, len, "d1:rd2:id20:");
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
    if (d[0] == 0x05 && pn_sig_dnp3(d, len, &sender))
        return pn_sig_of(PN_PROTO_DNP3, sender);
    if (d[0] == 0x04 && is_dcerpc_cl(d, len, &sender))
        return pn_sig_of(PN_PROTO_DCERPC, sender);
    if (d[0] == 'R' && is_rtps(d, len))
        return pn_sig_of(PN_PROTO_RTPS, PN_SENDER_EITHER);
    if ((d[0] == 0x38 || d[0] == 0x40 || d[0] == 0x50) && pn_sig_openvpn(d, len, &sender))
        return pn_sig_of(PN_PROTO_OPENVPN, sender);
    if ((d[0] == 'd' || d[0] == 0x41 || d[0] == 0) && is_bittorrent_udp(d, len, &sender))
        return pn_sig_of(PN_PROTO_BITTORRENT, sender);
    if (d[0] == 0 && is_flow_export(d, len))
        return pn_sig_of(PN_PROTO_NETFLOW, PN_SENDER_CLIENT);
    if ((d[0] >> 4 == 6 || d[0] == 0) && is_teredo(d, len))
        return pn_sig_of(PN_PROTO_TEREDO, PN_SENDER_EITHER);
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
    if (len >= 40 && pn_sig_onc_rpc(d, len, &sender))
        return pn_sig_of(PN_PROTO_ONC_RPC, sender);
    if (pn_sig_someip(d, len, &sender))
        return pn_sig_of(PN_PROTO_SOMEIP, sender);
    if (len >= 48 && is_ntp(d, len, &sender))
        return pn_sig_weak(PN_PROTO_NTP, sender);
    if (len >= 8 && (d[0] & 7) >= 6 && (is_ntp_control(d, len, &sender) || is_ntp_private(d, len, &sender)))
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
