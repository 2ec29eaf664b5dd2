/* portnote-payload.h
 * Is the traffic what the port says?  Recognises the protocols analysts
 * meet (38, from SSH to SLP) from the first payload bytes of one
 * direction of a conversation, knows which ports are each protocol's
 * own, and compares the two.  Plain C + GLib, no epan: packet-portnote.c
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

/* Protocols with a signature.  0 means "nothing recognised". */
typedef enum {
    PN_PROTO_NONE = 0,
    PN_PROTO_SSH,
    PN_PROTO_HTTP,
    PN_PROTO_TLS,
    PN_PROTO_SMTP,
    PN_PROTO_FTP,
    PN_PROTO_POP3,
    PN_PROTO_IMAP,
    PN_PROTO_TELNET,
    PN_PROTO_DNS,
    PN_PROTO_RDP,
    PN_PROTO_S7COMM,        /* ISO-TSAP (RFC 1006) connections: S7, MMS... */
    PN_PROTO_SMB,           /* also the NetBIOS session request that opens it */
    PN_PROTO_MYSQL,
    PN_PROTO_POSTGRESQL,
    PN_PROTO_REDIS,
    PN_PROTO_MONGODB,
    PN_PROTO_MQTT,
    PN_PROTO_RTSP,
    PN_PROTO_IRC,
    PN_PROTO_SOCKS,
    PN_PROTO_VNC,
    PN_PROTO_MODBUS,
    PN_PROTO_LDAP,
    PN_PROTO_KERBEROS,
    PN_PROTO_BITTORRENT,
    PN_PROTO_GNUTELLA,
    PN_PROTO_ZABBIX,
    PN_PROTO_SIP,
    PN_PROTO_NTP,
    PN_PROTO_SNMP,
    PN_PROTO_SYSLOG,
    PN_PROTO_DHCP,
    PN_PROTO_QUIC,
    PN_PROTO_STUN,
    PN_PROTO_DTLS,
    PN_PROTO_IKE,
    PN_PROTO_RADIUS,
    PN_PROTO_SLP,
    PN_PROTO_COUNT
} pn_proto_t;

/* A set of protocols: bit p for protocol p. */
typedef guint64 pn_proto_set_t;
#define PN_PROTO_BIT(p) ((pn_proto_set_t)1 << (p))

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

pn_proto_set_t pn_port_protocols(pn_transport_t transport, guint16 port);

int pn_payload_server_end(const pn_payload_sig_t *s, pn_transport_t transport, int sender,
                          const guint16 ports[2], const gboolean ephemeral[2], int server_hint);

pn_verdict_t pn_payload_verdict(pn_transport_t transport, guint16 server_port,
                                const pn_payload_sig_t *sig, pn_proto_t *observed);

const char *pn_proto_name(pn_proto_t proto);
const char *pn_verdict_name(pn_verdict_t verdict);

G_END_DECLS

#endif /* PORTNOTE_PAYLOAD_H */
