/* portnote-payload.c
 * Payload signatures of a few well-known protocols and the ports that
 * are theirs.  Each signature is deliberately strict (a whole HTTP
 * request line, a TLS record header followed by a Hello, a DNS header
 * with a well-formed question...): a payload that matches nothing leaves
 * the port's word standing, so a weak signature would only add false
 * alarms.  The idea is old: Bro's backdoor.bro looked for "SSH-1." or
 * "SSH-2." at the start of a connection on any port.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "portnote-payload.h"

static const char *const proto_names[PN_PROTO_COUNT] = {
    "", "ssh", "http", "tls", "smtp", "ftp", "pop3", "imap", "telnet", "dns"
};

/* ---- Each protocol's own ports -------------------------------------------- */

typedef struct {
    pn_proto_t proto;
    pn_transport_t transport;
    guint16 port;
} own_port_t;

/* IANA assignments, plus the ports where the notes database documents a
 * service that speaks the protocol (WinRM, Docker, Elasticsearch, TR-069
 * and others are HTTP; SSDP is HTTP over UDP; NetBIOS names use the DNS
 * message format).  A port may belong to two protocols. */
static const own_port_t own_ports[] = {
    { PN_PROTO_SSH, PN_TRANSPORT_TCP, 22 },     { PN_PROTO_SSH, PN_TRANSPORT_SCTP, 22 },
    { PN_PROTO_TELNET, PN_TRANSPORT_TCP, 23 },  { PN_PROTO_TELNET, PN_TRANSPORT_TCP, 2323 },
    { PN_PROTO_SMTP, PN_TRANSPORT_TCP, 25 },    { PN_PROTO_SMTP, PN_TRANSPORT_TCP, 587 },
    { PN_PROTO_FTP, PN_TRANSPORT_TCP, 21 },
    { PN_PROTO_POP3, PN_TRANSPORT_TCP, 110 },   { PN_PROTO_IMAP, PN_TRANSPORT_TCP, 143 },
    { PN_PROTO_DNS, PN_TRANSPORT_UDP, 53 },     { PN_PROTO_DNS, PN_TRANSPORT_TCP, 53 },
    { PN_PROTO_DNS, PN_TRANSPORT_UDP, 137 },    { PN_PROTO_DNS, PN_TRANSPORT_UDP, 5353 },
    { PN_PROTO_DNS, PN_TRANSPORT_UDP, 5355 },   { PN_PROTO_DNS, PN_TRANSPORT_TCP, 5355 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 80 },    { PN_PROTO_HTTP, PN_TRANSPORT_SCTP, 80 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 81 },    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 591 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 631 },   { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 2375 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 2379 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 3128 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 5984 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 5985 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 7547 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8000 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8008 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8080 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8081 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8088 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 8888 },  { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 9200 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 10000 }, { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 15672 },
    { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 37215 }, { PN_PROTO_HTTP, PN_TRANSPORT_TCP, 47001 },
    { PN_PROTO_HTTP, PN_TRANSPORT_UDP, 1900 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 443 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 465 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 563 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 636 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 853 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 989 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 990 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 992 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 993 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 994 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 995 },    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 2376 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 2379 },   { PN_PROTO_TLS, PN_TRANSPORT_TCP, 3269 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 4843 },   { PN_PROTO_TLS, PN_TRANSPORT_TCP, 5061 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 5223 },   { PN_PROTO_TLS, PN_TRANSPORT_TCP, 5986 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 6443 },   { PN_PROTO_TLS, PN_TRANSPORT_TCP, 8443 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 8883 },   { PN_PROTO_TLS, PN_TRANSPORT_TCP, 9200 },
    { PN_PROTO_TLS, PN_TRANSPORT_TCP, 10000 },  { PN_PROTO_TLS, PN_TRANSPORT_TCP, 10250 },
};

/** The protocols (PN_PROTO_BIT set) whose own port this is. */
pn_proto_set_t pn_port_protocols(pn_transport_t transport, guint16 port)
{
    pn_proto_set_t protos = 0;

    for (gsize i = 0; i < G_N_ELEMENTS(own_ports); i++)
        if (own_ports[i].port == port && own_ports[i].transport == transport)
            protos |= PN_PROTO_BIT(own_ports[i].proto);
    return protos;
}

/* ---- Signatures ------------------------------------------------------------ */

static gboolean starts_with(const guint8 *data, gsize len, const char *prefix)
{
    gsize n = strlen(prefix);

    return len >= n && memcmp(data, prefix, n) == 0;
}

/** Length of the first line (up to CR or LF), or -1 if it does not end here. */
static gssize first_line_length(const guint8 *data, gsize len)
{
    for (gsize i = 0; i < len; i++)
        if (data[i] == '\r' || data[i] == '\n')
            return (gssize)i;
    return -1;
}

/** Whether the text (not NUL-terminated) contains word, ignoring case. */
static gboolean contains_word(const guint8 *text, gsize len, const char *word)
{
    gsize n = strlen(word);

    for (gsize i = 0; i + n <= len; i++)
        if (g_ascii_strncasecmp((const char *)text + i, word, n) == 0)
            return TRUE;
    return FALSE;
}

/* "SSH-2.0-OpenSSH_9.2": both ends start with a banner (RFC 4253 4.2). */
static gboolean is_ssh(const guint8 *d, gsize len)
{
    return starts_with(d, len, "SSH-1.") || starts_with(d, len, "SSH-2.");
}

/* A complete request line: METHOD SP target SP HTTP/x (RFC 9112 3). */
static gboolean is_http_request(const guint8 *d, gsize len)
{
    static const char *const methods[] = {
        "GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "CONNECT ", "OPTIONS ", "TRACE ",
        "PATCH ", "PROPFIND ", "M-SEARCH ", "NOTIFY ", "SUBSCRIBE ",
    };
    gssize line = first_line_length(d, len);
    gsize m = 0;

    for (gsize i = 0; i < G_N_ELEMENTS(methods) && !m; i++)
        if (starts_with(d, len, methods[i]))
            m = strlen(methods[i]);
    if (!m || line < (gssize)m + 10 || d[m] == ' ')
        return FALSE;
    return memcmp(d + line - 9, " HTTP/1.", 8) == 0
        || memcmp(d + line - 7, " HTTP/2", 7) == 0
        || memcmp(d + line - 9, " HTTP/2.0", 9) == 0;
}

/* A status line: HTTP/x SP 3DIGIT (RFC 9112 4). */
static gboolean is_http_response(const guint8 *d, gsize len)
{
    gsize v = starts_with(d, len, "HTTP/1.0 ") || starts_with(d, len, "HTTP/1.1 ") ? 9
            : starts_with(d, len, "HTTP/2 ") ? 7 : 0;

    return v && len >= v + 4 && g_ascii_isdigit(d[v]) && g_ascii_isdigit(d[v + 1])
        && g_ascii_isdigit(d[v + 2]) && (d[v + 3] == ' ' || d[v + 3] == '\r');
}

/* A TLS handshake record holding a ClientHello (1) or ServerHello (2)
 * (RFC 8446 5.1, 4): type 22, version 3.x, a plausible length. */
static int tls_hello_type(const guint8 *d, gsize len)
{
    guint record_len;

    if (len < 6 || d[0] != 0x16 || d[1] != 0x03 || d[2] > 0x04)
        return 0;
    record_len = (guint)d[3] << 8 | d[4];
    if (record_len < 4 || record_len > 16384 + 2048)
        return 0;
    return d[5] == 1 || d[5] == 2 ? d[5] : 0;
}

/* Telnet option negotiation: IAC WILL/WONT/DO/DONT option (RFC 854, 855),
 * with an option number that is actually assigned. */
static gboolean is_telnet(const guint8 *d, gsize len)
{
    return len >= 3 && d[0] == 0xff && d[1] >= 0xfb && d[1] <= 0xfe
        && (d[2] <= 49 || d[2] == 0xff);
}

/** Reads a big-endian 16-bit value. */
static guint get16(const guint8 *d)
{
    return (guint)d[0] << 8 | d[1];
}

/* A DNS message (RFC 1035 4.1) with one well-formed question: a known
 * opcode, Z clear, one question, an uncompressed name and a known class. */
static gboolean is_dns(const guint8 *d, gsize len, gboolean *response)
{
    guint flags, opcode, klass;
    gsize p = 12, name_len = 0;

    if (len < 17)
        return FALSE;
    flags = get16(d + 2);
    opcode = (flags >> 11) & 0xf;
    if ((opcode != 0 && opcode != 2 && opcode != 4 && opcode != 5) || (flags & 0x40))
        return FALSE;
    if (get16(d + 4) != 1 || get16(d + 6) > 256 || get16(d + 8) > 256 || get16(d + 10) > 256)
        return FALSE;
    while (p < len && d[p] != 0) {
        if (d[p] > 63)
            return FALSE;   /* a pointer or a reserved label type in the first name */
        name_len += d[p] + 1u;
        p += d[p] + 1u;
    }
    if (p + 5 > len || name_len > 255)
        return FALSE;
    klass = get16(d + p + 3) & 0x7fff;  /* top bit: mDNS unicast-response */
    if (get16(d + p + 1) == 0 || (klass != 1 && klass != 3 && klass != 4 && klass != 254 && klass != 255))
        return FALSE;
    *response = (flags & 0x8000) != 0;
    return TRUE;
}

/* Greeting codes: "220" for SMTP (RFC 5321 4.2) and FTP (RFC 959 4.2),
 * told apart by the text when it names one; "+OK" for POP3 (RFC 1939 4),
 * "* OK" or "* PREAUTH" for IMAP (RFC 9051 7.1). */
static pn_proto_set_t greeting_protocols(const guint8 *d, gsize len)
{
    gssize line = first_line_length(d, len);
    gboolean smtp, ftp;

    if (line < 0)
        return 0;
    if (starts_with(d, len, "+OK") && (line == 3 || d[3] == ' '))
        return PN_PROTO_BIT(PN_PROTO_POP3);
    if (starts_with(d, len, "* OK") || starts_with(d, len, "* PREAUTH"))
        return PN_PROTO_BIT(PN_PROTO_IMAP);
    if (!starts_with(d, len, "220") || line < 4 || (d[3] != ' ' && d[3] != '-'))
        return 0;
    smtp = contains_word(d, (gsize)line, "SMTP");
    ftp = contains_word(d, (gsize)line, "FTP");
    if (smtp != ftp)
        return PN_PROTO_BIT(smtp ? PN_PROTO_SMTP : PN_PROTO_FTP);
    return PN_PROTO_BIT(PN_PROTO_SMTP) | PN_PROTO_BIT(PN_PROTO_FTP);
}

static pn_payload_sig_t sig(pn_proto_set_t candidates, pn_sender_t sender, gboolean greeting)
{
    pn_payload_sig_t s = { candidates, sender, greeting, FALSE };
    return s;
}

/**
 * What the first payload of one direction looks like.  Only the first
 * PN_PAYLOAD_PEEK bytes are read.  DNS over TCP carries a two-byte length
 * first (RFC 1035 4.2.2).
 */
pn_payload_sig_t pn_payload_classify(pn_transport_t transport, const guint8 *data, gsize len)
{
    gboolean response = FALSE;
    pn_proto_set_t greeting;
    int hello;

    len = MIN(len, PN_PAYLOAD_PEEK);
    if (!data || len == 0)
        return sig(0, PN_SENDER_EITHER, FALSE);
    if (transport == PN_TRANSPORT_UDP)
        return is_dns(data, len, &response) ? sig(PN_PROTO_BIT(PN_PROTO_DNS),
                                                  response ? PN_SENDER_SERVER : PN_SENDER_CLIENT, FALSE)
             : is_http_request(data, len) ? sig(PN_PROTO_BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT, FALSE)
             : is_http_response(data, len) ? sig(PN_PROTO_BIT(PN_PROTO_HTTP), PN_SENDER_SERVER, FALSE)
             : sig(0, PN_SENDER_EITHER, FALSE);
    /* The first byte rules out most signatures at once. */
    if (g_ascii_isupper(data[0])) {
        if (is_ssh(data, len))
            return sig(PN_PROTO_BIT(PN_PROTO_SSH), PN_SENDER_EITHER, FALSE);
        if (is_http_request(data, len))
            return sig(PN_PROTO_BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT, FALSE);
        if (is_http_response(data, len))
            return sig(PN_PROTO_BIT(PN_PROTO_HTTP), PN_SENDER_SERVER, FALSE);
    } else if (data[0] == 0x16 && (hello = tls_hello_type(data, len)) != 0) {
        return sig(PN_PROTO_BIT(PN_PROTO_TLS), hello == 1 ? PN_SENDER_CLIENT : PN_SENDER_SERVER, FALSE);
    } else if (data[0] == 0xff && is_telnet(data, len)) {
        return sig(PN_PROTO_BIT(PN_PROTO_TELNET), PN_SENDER_EITHER, FALSE);
    } else if ((data[0] == '2' || data[0] == '+' || data[0] == '*')
               && (greeting = greeting_protocols(data, len)) != 0) {
        return sig(greeting, PN_SENDER_SERVER, TRUE);
    }
    if (len > 2 && get16(data) == len - 2 && is_dns(data + 2, len - 2, &response))
        return sig(PN_PROTO_BIT(PN_PROTO_DNS), response ? PN_SENDER_SERVER : PN_SENDER_CLIENT, FALSE);
    return sig(0, PN_SENDER_EITHER, FALSE);
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
 * Compares what the payload looks like with the server port: its own
 * protocol confirms the port; a single other protocol contradicts a port
 * that has one (mismatch) or runs where it does not belong (non-standard
 * port).  An ambiguous payload (a bare "220" elsewhere than 21 or 25)
 * decides nothing, and neither does TLS on a port without a protocol of
 * its own: TLS is a wrapper any application may use on any port (push
 * services, VPNs, agents), whereas TLS where the port promises a
 * cleartext protocol (Telnet, HTTP) is a mismatch.
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
    if (!own && candidates == PN_PROTO_BIT(PN_PROTO_TLS))
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
