/* mkrealistic.c
 * Writes the realistic benchmark capture: PACKETS frames from about
 * PACKETS/20 conversations of about 20 packets, ACTIVE of them interleaved
 * at any time, the way a gateway sees them.  TCP conversations open with a
 * handshake, carry the first payloads of real protocols (an HTTP request
 * and answer, a TLS hello, SSH banners, an SMTP greeting, or bytes no
 * signature knows on a high port), then data, then close with FIN; UDP
 * conversations are DNS, NTP and SNMP-style request/answer exchanges.
 * Half the hosts are IPv4, some IPv6; the same bytes for the same arguments.
 * Usage: mkrealistic PACKETS OUTPUT_DIR NAME.pcap
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

#define ACTIVE 50
#define PACKETS_PER_CONVERSATION 20

typedef enum { KIND_HTTP, KIND_TLS, KIND_SSH, KIND_SMTP, KIND_OPAQUE, KIND_DNS, KIND_NTP, KIND_SNMP } kind_t;

/* One conversation being written. */
typedef struct {
    kind_t kind;
    addrs_t to_server;
    guint16 client_port, server_port;
    guint32 seq[2];         /* next sequence number: client, server */
    guint step;             /* packets written so far */
} conversation_t;

/* 64-bit LCG (Knuth's MMIX constants): deterministic everywhere. */
static guint64 next_random(guint64 *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 11;
}

/* The mix, in percent of conversations: mostly web, some of everything. */
static kind_t pick_kind(guint64 r)
{
    static const struct { kind_t kind; guint share; } mix[] = {
        { KIND_TLS, 35 }, { KIND_HTTP, 20 }, { KIND_DNS, 20 }, { KIND_SSH, 5 },
        { KIND_SMTP, 3 }, { KIND_NTP, 5 }, { KIND_SNMP, 2 }, { KIND_OPAQUE, 10 },
    };
    guint roll = (guint)(r % 100);

    for (gsize i = 0; i < G_N_ELEMENTS(mix); i++) {
        if (roll < mix[i].share)
            return mix[i].kind;
        roll -= mix[i].share;
    }
    return KIND_OPAQUE;
}

static guint16 server_port_of(kind_t kind, guint64 r)
{
    static const guint16 ports[] = { 80, 443, 22, 25, 0, 53, 123, 161 };

    return kind == KIND_OPAQUE ? (guint16)(5001 + r % 25000) : ports[kind];
}

static void start(conversation_t *c, guint64 *state)
{
    guint64 r = next_random(state), r2 = next_random(state);
    char client[32], server[32];

    memset(c, 0, sizeof *c);
    c->kind = pick_kind(r);
    c->server_port = server_port_of(c->kind, r >> 8);
    c->client_port = (guint16)(32768 + (r >> 24) % 28000);
    c->seq[0] = (guint32)r2;
    c->seq[1] = (guint32)(r2 >> 32);
    if (r2 % 5 == 0) {
        c->to_server = v6((guint8)(1 + (r >> 40) % 200), (guint8)(201 + (r >> 48) % 50));
        return;
    }
    g_snprintf(client, sizeof client, "10.%u.%u.%u", (guint)((r >> 40) % 8),
               (guint)((r >> 43) % 250), (guint)(1 + (r >> 51) % 250));
    g_snprintf(server, sizeof server, "198.51.100.%u", (guint)(1 + (r2 >> 8) % 200));
    c->to_server = v4(client, server);
}

/* Filler of a given length: the bulk data of a conversation. */
static GByteArray *filler(gsize len)
{
    GByteArray *b = g_byte_array_sized_new((guint)len);

    for (gsize i = 0; i < len; i++) {
        guint8 byte = (guint8)(0x41 + (i * 7) % 26);
        g_byte_array_append(b, &byte, 1);
    }
    return b;
}

/* A minimal TLS 1.2 ClientHello (one cipher suite, no extensions) or
 * ServerHello, in one handshake record. */
static GByteArray *tls_hello(gboolean client)
{
    guint8 body[2 + 32 + 1 + 2 + 2 + 2] = { 0x03, 0x03 };
    gsize body_len = client ? 2 + 32 + 1 + 2 + 2 + 1 + 1 : 2 + 32 + 1 + 2 + 1;
    guint8 head[9] = { 0x16, 0x03, 0x01, 0, (guint8)(body_len + 4), client ? 0x01 : 0x02,
                       0, 0, (guint8)body_len };
    GByteArray *b = bytes_of(head, sizeof head);

    memset(body + 2, 0x5a, 32);         /* random; body[34] = 0: no session id */
    if (client) {
        body[36] = 2;                   /* cipher suites: 2 bytes */
        body[37] = 0xc0;
        body[38] = 0x2f;
        body[39] = 1;                   /* compression methods: null */
    } else {
        body[35] = 0xc0;
        body[36] = 0x2f;
    }
    g_byte_array_append(b, body, (guint)body_len);
    return b;
}

/* A TLS application-data record of a given length. */
static GByteArray *tls_data(gsize len)
{
    guint8 head[5] = { 0x17, 0x03, 0x03, (guint8)(len >> 8), (guint8)len };
    GByteArray *b = filler(len);

    memcpy(prepend(b, sizeof head), head, sizeof head);
    return b;
}

/* A keep-alive HTTP request, or an answer carrying a body of len bytes. */
static GByteArray *http_message(gboolean request, gsize len)
{
    GByteArray *b;
    char head[128];

    if (request)
        return text("GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: */*\r\n\r\n");
    g_snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %u\r\n\r\n",
               (guint)len);
    b = filler(len);
    memcpy(prepend(b, strlen(head)), head, strlen(head));
    return b;
}

/* A DNS query or answer for www.example.com, type A. */
static GByteArray *dns_message(gboolean answer, guint16 id)
{
    static const guint8 question[] = { 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
                                       3, 'c', 'o', 'm', 0, 0, 1, 0, 1 };
    guint8 header[12] = { (guint8)(id >> 8), (guint8)id, answer ? 0x81 : 0x01, answer ? 0x80 : 0x00,
                          0, 1, 0, 0, 0, 0, 0, 0 };
    GByteArray *b = bytes_of(header, sizeof header);

    g_byte_array_append(b, question, sizeof question);
    return b;
}

/* The payload of a UDP exchange: requests from the client, answers back. */
static GByteArray *udp_payload(const conversation_t *c, gboolean from_client)
{
    static const guint8 snmp_get[] = { 0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
                                       0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
                                       0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01,
                                       0x01, 0x01, 0x00, 0x05, 0x00 };
    guint8 ntp[48] = { from_client ? 0x23 : 0x24, from_client ? 0 : 2, 6, 0xe9 };

    switch (c->kind) {
    case KIND_DNS:
        return dns_message(!from_client, (guint16)(c->client_port + c->step / 2));
    case KIND_NTP:
        return bytes_of(ntp, sizeof ntp);
    default: {
        GByteArray *b = bytes_of(snmp_get, sizeof snmp_get);
        b->data[13] = from_client ? 0xa0 : 0xa2;   /* GetRequest, GetResponse */
        return b;
    }
    }
}

/* What a TCP conversation sends at a step, and who sends it. */
static GByteArray *tcp_payload(const conversation_t *c, guint step, gboolean *from_client)
{
    gboolean server_speaks_first = c->kind == KIND_SSH || c->kind == KIND_SMTP;
    gsize len;

    *from_client = (step % 2 == 1) != server_speaks_first;
    len = *from_client ? 120 : 1200;
    switch (c->kind) {
    case KIND_HTTP:
        return http_message(*from_client, len);
    case KIND_TLS:
        return step <= 2 ? tls_hello(*from_client) : tls_data(len);
    case KIND_SSH:
        return step == 1 ? text("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
             : step == 2 ? text("SSH-2.0-OpenSSH_8.4p1\r\n") : filler(len);
    case KIND_SMTP:
        return step == 1 ? text("220 mail.example.com ESMTP Postfix\r\n")
             : step == 2 ? text("EHLO client.example.org\r\n") : filler(len);
    default:
        return filler(len);
    }
}

/* Writes the next packet of a TCP conversation; FALSE once it is closed. */
static gboolean tcp_step(writer_t *w, conversation_t *c)
{
    /* handshake (3), payloads (PACKETS_PER_CONVERSATION - 6), FIN, FIN, ACK */
    guint payloads = PACKETS_PER_CONVERSATION - 6, s = c->step++;
    addrs_t back = reversed(&c->to_server);
    gboolean from_client = TRUE;
    GByteArray *b;
    guint8 flags = TCP_ACK;
    int me;

    if (s == 1) {
        from_client = FALSE;
        flags = TCP_SYN | TCP_ACK;
    } else if (s == 0) {
        flags = TCP_SYN;
    }
    if (s >= 3 && s < 3 + payloads) {
        b = tcp_payload(c, s - 2, &from_client);
        flags = TCP_PSH | TCP_ACK;
    } else {
        b = g_byte_array_new();
        if (s >= 3 + payloads && s < 5 + payloads) {
            flags = TCP_FIN | TCP_ACK;
            from_client = s == 3 + payloads;
        }
    }
    me = from_client ? 0 : 1;
    b = tcp(b, from_client ? &c->to_server : &back, from_client ? c->client_port : c->server_port,
            from_client ? c->server_port : c->client_port, flags, c->seq[me], c->seq[!me]);
    c->seq[me] += (guint32)(b->len - 20) + ((flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);
    write_frame(w, frame(ip(b, from_client ? &c->to_server : &back, IPPROTO_TCP_),
                         from_client ? &c->to_server : &back));
    return c->step < PACKETS_PER_CONVERSATION;
}

/* Writes the next packet of a UDP exchange; FALSE once it is over. */
static gboolean udp_step(writer_t *w, conversation_t *c)
{
    gboolean from_client = c->step % 2 == 0;
    addrs_t back = reversed(&c->to_server);
    const addrs_t *dir = from_client ? &c->to_server : &back;
    GByteArray *b = udp(udp_payload(c, from_client), dir,
                        from_client ? c->client_port : c->server_port,
                        from_client ? c->server_port : c->client_port);

    write_frame(w, frame(ip(b, dir, IPPROTO_UDP_), dir));
    return ++c->step < PACKETS_PER_CONVERSATION;
}

int main(int argc, char **argv)
{
    guint64 state = 20261127, count;
    conversation_t active[ACTIVE];
    writer_t w;

    if (argc != 4) {
        fprintf(stderr, "usage: %s PACKETS OUTPUT_DIR NAME.pcap\n", argv[0]);
        return 2;
    }
    count = g_ascii_strtoull(argv[1], NULL, 10);
    for (int i = 0; i < ACTIVE; i++)
        start(&active[i], &state);
    writer_open(&w, argv[2], argv[3]);
    for (guint64 i = 0; i < count; i++) {
        conversation_t *c = &active[next_random(&state) % ACTIVE];
        gboolean more = c->kind >= KIND_DNS ? udp_step(&w, c) : tcp_step(&w, c);
        if (!more)
            start(c, &state);
    }
    writer_close(&w);
    return 0;
}
