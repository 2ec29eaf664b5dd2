/* portnote-payload.h
 * Is the traffic what the port says?  Recognises the protocols analysts
 * meet (the table portnote-protocols.def lists them) from the first
 * payload bytes of one direction of a conversation, knows which ports
 * are each protocol's own, and compares the two.  Plain C + GLib, no epan: packet-portnote.c
 * keeps the per-conversation state and shows the result.
 *
 * Signatures are strict (a false mismatch is worse than a missed one);
 * a few formats are too generic to accuse a port and are only weak (they
 * confirm the protocol's own port, never raise a finding):
 *   ntp      48 bytes with a few plausible bit fields;
 *   syslog   "<PRI>" and any text;
 *   modbus   a 7-byte MBAP header with a zero and a length;
 *   mqtt     a bare 4-byte CONNACK (a CONNECT is strong);
 *   tls      records met mid-stream, without a hello: STARTTLS upgrades
 *            and proxy tunnels put them on other protocols' ports.
 * TLS, QUIC and DTLS are wrappers: see pn_payload_verdict.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_PAYLOAD_H
#define PORTNOTE_PAYLOAD_H

#include <glib.h>

#include "portnote-db.h"

G_BEGIN_DECLS

/* What a protocol is, beyond its signatures (the flags column of
 * portnote-protocols.def). */
enum {
    PN_PF_WRAPPER = 1 << 0,     /* encryption or a tunnel any application may use anywhere */
    PN_PF_TLS_NATIVE = 1 << 1,  /* its own port also serves it inside TLS from the first byte */
    PN_PF_PROXY = 1 << 2,       /* its openings start a tunnel */
    PN_PF_ANY_PORT = 1 << 3     /* runs on ports assigned at run time (RPC endpoint
                                 * mappers, DDS participants, Teredo relays, flow
                                 * collectors): off its own ports it decides nothing */
};

/* Protocols with a signature, from portnote-protocols.def.  0 means
 * "nothing recognised". */
typedef enum {
    PN_PROTO_NONE = 0,
#define PN_PROTOCOL(id, name, strength, family, flags, wireshark, spec) PN_PROTO_##id,
#include "portnote-protocols.def"
    PN_PROTO_COUNT
} pn_proto_t;

/* How far a protocol's signatures may be trusted (see the table). */
typedef enum {
    PN_STRENGTH_STRICT,     /* every signature may accuse a port */
    PN_STRENGTH_WEAK,       /* confirms its own port, never accuses another */
    PN_STRENGTH_MIXED       /* some of its messages are strict, some weak */
} pn_strength_t;

/* One row of the protocol table. */
typedef struct {
    const char *name;       /* portnote.observed */
    pn_strength_t strength;
    const char *family;     /* the signature file: text, stream, datagram or shared */
    guint flags;            /* PN_PF_* */
    const char *wireshark;  /* Wireshark's layer names, space-separated */
    const char *spec;       /* the specification the signatures follow */
} pn_proto_info_t;

/* A set of protocols: bit p for protocol p. */
typedef guint64 pn_proto_set_t;
#define PN_PROTO_BIT(p) ((pn_proto_set_t)1 << (p))
G_STATIC_ASSERT(PN_PROTO_COUNT <= 64);

/* Which end of the conversation a signature shows to be speaking. */
typedef enum {
    PN_SENDER_EITHER,       /* both ends send it (SSH banners, Telnet options) */
    PN_SENDER_CLIENT,       /* a request: the receiver is the server */
    PN_SENDER_SERVER        /* a greeting or an answer: the sender is the server */
} pn_sender_t;

/* What the first payload of one direction looks like. */
typedef struct {
    pn_proto_set_t candidates;  /* PN_PROTO_BIT set; two bits when ambiguous (a bare "220 " greeting) */
    pn_sender_t sender;
    gboolean greeting;      /* only meaningful as the conversation's very first payload */
    gboolean weak;          /* a format too generic to accuse: it confirms the
                             * protocol's own port and never raises a finding */
    pn_proto_t carrier;     /* a subprotocol's carrier (HTTP for a BitTorrent
                             * tracker announce), one of the candidates: on a
                             * port neither owns, the payload is the carrier */
    gboolean opening;       /* a proxy's or an upgrade's opening (SOCKS, HTTP
                             * CONNECT, STARTTLS, MySQL's and PostgreSQL's SSL
                             * requests): what follows in this direction is a
                             * tunnel's content; see pn_payload_opens_tunnel */
} pn_payload_sig_t;

/* The payload check's verdict for the server port of a conversation. */
typedef enum {
    PN_VERDICT_NONE = 0,    /* nothing recognised (or ambiguous): the port's word stands */
    PN_VERDICT_CONFIRMED,   /* the port's own protocol */
    PN_VERDICT_MISMATCH,    /* another protocol on a port that has one of its own */
    PN_VERDICT_NON_STANDARD /* a known protocol on a port that is not its own */
} pn_verdict_t;

/** Bytes of a payload the signatures look at; more is never read. */
#define PN_PAYLOAD_PEEK 2048

gboolean pn_payload_is_noise(const guint8 *data, gsize len);

pn_payload_sig_t pn_payload_classify(pn_transport_t transport, const guint8 *data, gsize len);
pn_payload_sig_t pn_payload_classify_between(pn_transport_t transport, const guint8 *data, gsize len,
                                             const guint16 ports[2]);

pn_proto_set_t pn_port_protocols(pn_transport_t transport, guint16 port);

int pn_payload_server_end(const pn_payload_sig_t *s, pn_transport_t transport, int sender,
                          const guint16 ports[2], const gboolean ephemeral[2], int server_hint);

pn_verdict_t pn_payload_verdict(pn_transport_t transport, guint16 server_port,
                                const pn_payload_sig_t *sig, pn_proto_t *observed);

gboolean pn_payload_opens_tunnel(pn_transport_t transport, guint16 server_port, const pn_payload_sig_t *sig);

pn_proto_t pn_payload_tunnelled(pn_transport_t transport, const guint8 *data, gsize len, pn_proto_set_t opener);

const char *pn_proto_name(pn_proto_t proto);
const pn_proto_info_t *pn_proto_info(pn_proto_t proto);
pn_proto_set_t pn_protos_flagged(guint flags);
const char *pn_verdict_name(pn_verdict_t verdict);

G_END_DECLS

#endif /* PORTNOTE_PAYLOAD_H */
