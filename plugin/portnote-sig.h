/* portnote-sig.h
 * Private to the payload signatures (portnote-payload.c and the
 * portnote-sig-*.c files): helpers and the per-family classifiers.  Bytes
 * are read with wsutil/pint.h's readers (portnote-pint.h); every helper
 * takes the payload length and never looks past it.  The families call
 * down to the formats both transports carry (portnote-sig-shared.c),
 * never across to each other.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_SIG_H
#define PORTNOTE_SIG_H

#include <string.h>
#include <glib.h>

#include "portnote-payload.h"
#include "portnote-pint.h"

/** A signature of one protocol. */
static inline pn_payload_sig_t pn_sig_of(pn_proto_t proto, pn_sender_t sender)
{
    pn_payload_sig_t s = { PN_PROTO_BIT(proto), sender, FALSE, FALSE, PN_PROTO_NONE, FALSE };
    return s;
}

/** A signature too generic to accuse another port (see the header). */
static inline pn_payload_sig_t pn_sig_weak(pn_proto_t proto, pn_sender_t sender)
{
    pn_payload_sig_t s = { PN_PROTO_BIT(proto), sender, FALSE, TRUE, PN_PROTO_NONE, FALSE };
    return s;
}

/** A subprotocol: recognised as proto, carried by carrier (see the header). */
static inline pn_payload_sig_t pn_sig_sub(pn_proto_t proto, pn_proto_t carrier, pn_sender_t sender)
{
    pn_payload_sig_t s = { PN_PROTO_BIT(proto) | PN_PROTO_BIT(carrier), sender, FALSE, FALSE, carrier, FALSE };
    return s;
}

/** The same signature, marked as a tunnel's or an upgrade's opening. */
static inline pn_payload_sig_t pn_sig_opening(pn_payload_sig_t s)
{
    s.opening = s.candidates != 0;
    return s;
}

/** Nothing recognised. */
static inline pn_payload_sig_t pn_sig_none(void)
{
    pn_payload_sig_t s = { 0, PN_SENDER_EITHER, FALSE, FALSE, PN_PROTO_NONE, FALSE };
    return s;
}

/** Whether the payload starts with prefix (exact case). */
static inline gboolean pn_starts_with(const guint8 *d, gsize len, const char *prefix)
{
    gsize n = strlen(prefix);

    return len >= n && memcmp(d, prefix, n) == 0;
}

/** Length of the first line (up to CR or LF), or -1 if it does not end here. */
static inline gssize pn_line_length(const guint8 *d, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if (d[i] == '\r' || d[i] == '\n')
            return (gssize)i;
    return -1;
}

/**
 * Reads a BER definite length at d[*pos] (X.690 8.1.3), advancing *pos;
 * -1 for an indefinite, over-long or truncated length.
 */
static inline gssize pn_ber_length(const guint8 *d, gsize len, gsize *pos)
{
    gsize p = *pos, n, value = 0;

    if (p >= len)
        return -1;
    if (d[p] < 0x80) {
        *pos = p + 1;
        return d[p];
    }
    n = d[p] & 0x7f;
    if (n == 0 || n > 4 || p + 1 + n > len)
        return -1;
    for (gsize i = 1; i <= n; i++)
        value = value << 8 | d[p + i];
    *pos = p + 1 + n;
    return (gssize)value;
}

/* Families of signatures, each in its own file. */
pn_payload_sig_t pn_sig_text(pn_transport_t transport, const guint8 *d, gsize len);
pn_payload_sig_t pn_sig_bare_syslog(const guint8 *d, gsize len);
pn_payload_sig_t pn_sig_stream(const guint8 *d, gsize len);
pn_payload_sig_t pn_sig_datagram(const guint8 *d, gsize len);

/* Formats both transports carry (portnote-sig-shared.c). */
gboolean pn_sig_dns(const guint8 *d, gsize len, gboolean *response);
gboolean pn_sig_dns_own_port(const guint8 *d, gsize len, gboolean *response);
gboolean pn_sig_ldap(const guint8 *d, gsize len, gboolean stream, pn_sender_t *sender);
gboolean pn_sig_kerberos(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_slp(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_stun(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_dnp3(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_openvpn(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_onc_rpc(const guint8 *d, gsize len, pn_sender_t *sender);
gboolean pn_sig_someip(const guint8 *d, gsize len, pn_sender_t *sender);

#endif /* PORTNOTE_SIG_H */
