/* portnote-sig-shared.c
 * Signatures of the formats both transports carry, which the stream and
 * datagram families both call (and so sit below both): DNS, LDAP,
 * Kerberos, SLP and STUN.  Each takes a whole message; the callers strip
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

/* A DNS message (RFC 1035 4.1) with one well-formed question: a known
 * opcode, Z clear, one question, an uncompressed name and a known class. */
gboolean pn_sig_dns(const guint8 *d, gsize len, gboolean *response)
{
    guint flags, klass;
    gsize p = 12, name_len = 0;

    if (len < 17)
        return FALSE;
    flags = pn_ntoh16(d + 2);
    if (!dns_opcode((flags >> 11) & 0xf) || (flags & 0x40))
        return FALSE;
    if (pn_ntoh16(d + 4) != 1 || pn_ntoh16(d + 6) > 256 || pn_ntoh16(d + 8) > 256 || pn_ntoh16(d + 10) > 256)
        return FALSE;
    while (p < len && d[p] != 0) {
        if (d[p] > 63)
            return FALSE;   /* a pointer or a reserved label type in the first name */
        name_len += d[p] + 1u;
        p += d[p] + 1u;
    }
    if (p + 5 > len || name_len > 255)
        return FALSE;
    klass = pn_ntoh16(d + p + 3) & 0x7fff;  /* top bit: mDNS unicast-response */
    if (pn_ntoh16(d + p + 1) == 0 || (klass != 1 && klass != 3 && klass != 4 && klass != 254 && klass != 255))
        return FALSE;
    *response = (flags & 0x8000) != 0;
    return TRUE;
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
