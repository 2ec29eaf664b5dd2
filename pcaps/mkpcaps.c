/* mkpcaps.c
 * Writes portnote's sample captures, byte for byte the same on every run:
 *   seed.pcap   every seed port, both directions, on its transports (IPv4)
 *   ipv6.pcap   TCP, UDP and SCTP over IPv6
 *   encap.pcap  802.1Q, VXLAN, GRE and GENEVE with documented inner ports
 *   edge.pcap   undocumented ports, client-side service ports, truncated
 *               headers, orphan fragments, ICMP errors quoting ports
 *   payload.pcap  the payload check: each protocol on its own port,
 *               protocol mismatches and known protocols on non-standard
 *               ports, each seen from the client's side, the server's
 *               side or both, one inside VXLAN; payloads that must decide nothing
 * Usage: mkpcaps OUTPUT_DIR   (cmake --build build --target pcaps)
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "pcapgen.h"

/* ---- Application payloads ---------------------------------------------- */

/** A DNS query for example.com (type A); response when answer is set. */
static GByteArray *dns_message(gboolean response, gboolean tcp_framing)
{
    static const guint8 query[] = {
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
        0x00, 0x01, 0x00, 0x01
    };
    static const guint8 answer[] = {
        0xc0, 0x0c, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x0e, 0x10,
        0x00, 0x04, 192, 0, 2, 1
    };
    GByteArray *b = bytes_of(query, sizeof query);

    if (response) {
        b->data[2] = 0x81;
        b->data[3] = 0x80;
        b->data[7] = 1;
        g_byte_array_append(b, answer, sizeof answer);
    }
    if (tcp_framing) {
        guint16 len = (guint16)b->len;
        put16(prepend(b, 2), len);
    }
    return b;
}

/** A minimal BOOTP/DHCP message (DISCOVER or OFFER). */
static GByteArray *dhcp_message(gboolean offer)
{
    guint8 m[244] = { 0 };
    static const guint8 options_discover[] = { 53, 1, 1, 255 };
    static const guint8 options_offer[] = { 53, 1, 2, 54, 4, 192, 0, 2, 1, 255 };
    GByteArray *b;

    m[0] = offer ? 2 : 1;           /* op */
    m[1] = 1;                       /* Ethernet */
    m[2] = 6;
    put32(m + 4, 0xdecafbad);       /* xid */
    if (offer) {
        m[16] = 192; m[17] = 0; m[18] = 2; m[19] = 77;  /* yiaddr */
    }
    m[28] = 0x02; m[33] = 0x01;     /* chaddr 02:00:00:00:00:01 */
    m[236] = 99; m[237] = 130; m[238] = 83; m[239] = 99;  /* magic cookie */
    b = bytes_of(m, 240);
    if (offer)
        g_byte_array_append(b, options_offer, sizeof options_offer);
    else
        g_byte_array_append(b, options_discover, sizeof options_discover);
    return b;
}

static GByteArray *tftp_read_request(void)
{
    static const guint8 rrq[] = { 0, 1, 'b', 'o', 'o', 't', '.', 'b', 'i', 'n', 0,
                                  'o', 'c', 't', 'e', 't', 0 };
    return bytes_of(rrq, sizeof rrq);
}

/* ---- Conversations ------------------------------------------------------- */

/* A tunnel around an IP packet (VLAN, VXLAN, GENEVE, GRE), per direction. */
typedef GByteArray *(*wrap_fn)(GByteArray *inner, gboolean to_server);

static GByteArray *ip_frame(GByteArray *seg, const addrs_t *a, guint8 proto, wrap_fn wrap,
                            gboolean to_server)
{
    GByteArray *packet = ip(seg, a, proto);
    return wrap ? wrap(packet, to_server) : frame(packet, a);
}

/* One message of a TCP dialogue. */
typedef struct {
    gboolean from_server;
    const guint8 *data;
    gsize len;
} say_t;

#define SAY(from_server, literal) { from_server, (const guint8 *)(literal), sizeof(literal) - 1 }
#define C2S FALSE
#define S2C TRUE

/** A TCP handshake, then the messages in order, with consistent sequence
 * numbers from the initial ones (isn: client's, server's); each packet
 * wrapped by wrap() (a tunnel) when given. */
static void tcp_dialogue_isn(writer_t *w, const addrs_t *c2s, guint16 cport, guint16 sport,
                             wrap_fn wrap, const say_t *says, gsize n, const guint32 isn[2])
{
    addrs_t s2c = reversed(c2s);
    guint32 cseq = isn[0], sseq = isn[1];

    write_frame(w, ip_frame(tcp(g_byte_array_new(), c2s, cport, sport, TCP_SYN, cseq, 0),
                            c2s, IPPROTO_TCP_, wrap, TRUE));
    write_frame(w, ip_frame(tcp(g_byte_array_new(), &s2c, sport, cport, TCP_SYN | TCP_ACK,
                                sseq, cseq + 1), &s2c, IPPROTO_TCP_, wrap, FALSE));
    cseq++;
    sseq++;
    for (gsize i = 0; i < n; i++) {
        GByteArray *data = bytes_of(says[i].data, says[i].len);
        if (says[i].from_server) {
            write_frame(w, ip_frame(tcp(data, &s2c, sport, cport, TCP_PSH | TCP_ACK, sseq, cseq),
                                    &s2c, IPPROTO_TCP_, wrap, FALSE));
            sseq += (guint32)says[i].len;
        } else {
            write_frame(w, ip_frame(tcp(data, c2s, cport, sport, TCP_PSH | TCP_ACK, cseq, sseq),
                                    c2s, IPPROTO_TCP_, wrap, TRUE));
            cseq += (guint32)says[i].len;
        }
    }
}

/** tcp_dialogue_isn() with initial sequence numbers taken from the ports. */
static void tcp_dialogue(writer_t *w, const addrs_t *c2s, guint16 cport, guint16 sport,
                         wrap_fn wrap, const say_t *says, gsize n)
{
    const guint32 isn[2] = { 1000u + cport, 5000u + sport };

    tcp_dialogue_isn(w, c2s, cport, sport, wrap, says, n, isn);
}

/** A TCP handshake and one exchange of data (either may be NULL). */
static void tcp_conversation(writer_t *w, const addrs_t *c2s, guint16 cport, guint16 sport,
                             const char *request, const char *reply, wrap_fn wrap)
{
    say_t says[2] = { { FALSE, NULL, 0 }, { FALSE, NULL, 0 } };
    gsize n = 0;

    if (request)
        says[n++] = (say_t){ FALSE, (const guint8 *)request, strlen(request) };
    if (reply)
        says[n++] = (say_t){ TRUE, (const guint8 *)reply, strlen(reply) };
    tcp_dialogue(w, c2s, cport, sport, wrap, says, n);
}

static void udp_exchange(writer_t *w, const addrs_t *c2s, guint16 cport, guint16 sport,
                         GByteArray *request, GByteArray *reply)
{
    addrs_t s2c = reversed(c2s);

    write_frame(w, frame(ip(udp(request, c2s, cport, sport), c2s, IPPROTO_UDP_), c2s));
    if (reply)
        write_frame(w, frame(ip(udp(reply, &s2c, sport, cport), &s2c, IPPROTO_UDP_), &s2c));
}

static void sctp_exchange(writer_t *w, const addrs_t *c2s, guint16 cport, guint16 sport,
                          const char *request, const char *reply)
{
    addrs_t s2c = reversed(c2s);

    write_frame(w, frame(ip(sctp(text(request), cport, sport, 1), c2s, IPPROTO_SCTP_), c2s));
    write_frame(w, frame(ip(sctp(text(reply), sport, cport, 1), &s2c, IPPROTO_SCTP_), &s2c));
}

/* ---- seed.pcap ----------------------------------------------------------- */

typedef struct {
    guint16 port;
    guint16 client_port;
    const char *request;
    const char *reply;
} tcp_case_t;

static void write_seed(const char *dir)
{
    static const tcp_case_t tcp_cases[] = {
        {   0, 49152, NULL, NULL },
        {   1, 49153, "help\r\n", "ftp\r\nsmtp\r\n" },
        {   7, 49154, "hello\r\n", "hello\r\n" },
        {  19, 49155, "\r\n", "!\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ\r\n" },
        {  21, 49156, "USER anonymous\r\n", "220 FTP server ready\r\n" },
        {  22, 49157, "SSH-2.0-client\r\n", "SSH-2.0-server\r\n" },
        {  23,  1029, "\xff\xfd\x18", "\xff\xfb\x01login: " },
        {  25, 49159, "EHLO client.example\r\n", "220 mail.example ESMTP\r\n" },
        {  31, 49160, "hello\r\n", "ok\r\n" },
        {  42, 49161, "\x00\x00\x00\x10", "\x00\x00\x00\x10" },
        {  79, 49163, "root\r\n", "Login: root\r\n" },
        {  80, 49164, "GET / HTTP/1.1\r\nHost: example\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" },
        {  99, 49165, "hello\r\n", "ok\r\n" },
        { 102, 49166, NULL, NULL },
        { 110, 49167, "USER alice\r\n", "+OK POP3 ready\r\n" },
    };
    static const guint16 udp_text_ports[][2] = {
        { 0, 49170 }, { 7, 49171 }, { 19, 49172 }, { 553, 49173 },
    };
    writer_t w;
    addrs_t c2s = v4("192.0.2.10", "198.51.100.20");
    addrs_t dhcp_req = v4("0.0.0.0", "255.255.255.255");
    addrs_t dhcp_offer = v4("198.51.100.1", "255.255.255.255");
    addrs_t dns_peers = v4("198.51.100.53", "203.0.113.53");
    addrs_t dns_peers_back = reversed(&dns_peers);

    writer_open(&w, dir, "seed.pcap");
    for (gsize i = 0; i < G_N_ELEMENTS(tcp_cases); i++) {
        const tcp_case_t *c = &tcp_cases[i];
        tcp_conversation(&w, &c2s, c->client_port, c->port, c->request, c->reply, NULL);
    }
    /* DNS over TCP carries a two-byte length before each message. */
    {
        addrs_t s2c = reversed(&c2s);
        write_frame(&w, frame(ip(tcp(g_byte_array_new(), &c2s, 49162, 53, TCP_SYN, 1, 0), &c2s, IPPROTO_TCP_), &c2s));
        write_frame(&w, frame(ip(tcp(g_byte_array_new(), &s2c, 53, 49162, TCP_SYN | TCP_ACK, 9, 2), &s2c, IPPROTO_TCP_), &s2c));
        write_frame(&w, frame(ip(tcp(dns_message(FALSE, TRUE), &c2s, 49162, 53, TCP_PSH | TCP_ACK, 2, 10), &c2s, IPPROTO_TCP_), &c2s));
        write_frame(&w, frame(ip(tcp(dns_message(TRUE, TRUE), &s2c, 53, 49162, TCP_PSH | TCP_ACK, 10, 33), &s2c, IPPROTO_TCP_), &s2c));
    }
    for (gsize i = 0; i < G_N_ELEMENTS(udp_text_ports); i++)
        udp_exchange(&w, &c2s, udp_text_ports[i][1], udp_text_ports[i][0],
                     text("probe\r\n"), text("answer\r\n"));
    /* DNS from a legacy ephemeral port, then server to server (53<->53). */
    udp_exchange(&w, &c2s, 1053, 53, dns_message(FALSE, FALSE), dns_message(TRUE, FALSE));
    write_frame(&w, frame(ip(udp(dns_message(FALSE, FALSE), &dns_peers, 53, 53), &dns_peers, IPPROTO_UDP_), &dns_peers));
    write_frame(&w, frame(ip(udp(dns_message(TRUE, FALSE), &dns_peers_back, 53, 53), &dns_peers_back, IPPROTO_UDP_), &dns_peers_back));
    /* DHCP: the client broadcasts from 68 to 67, the server answers 67 to 68. */
    write_frame(&w, frame(ip(udp(dhcp_message(FALSE), &dhcp_req, 68, 67), &dhcp_req, IPPROTO_UDP_), &dhcp_req));
    write_frame(&w, frame(ip(udp(dhcp_message(TRUE), &dhcp_offer, 67, 68), &dhcp_offer, IPPROTO_UDP_), &dhcp_offer));
    udp_exchange(&w, &c2s, 49174, 69, tftp_read_request(), NULL);
    writer_close(&w);
}

/* ---- ipv6.pcap ----------------------------------------------------------- */

static void write_ipv6(const char *dir)
{
    writer_t w;
    addrs_t c2s = v6(0x10, 0x20);

    writer_open(&w, dir, "ipv6.pcap");
    tcp_conversation(&w, &c2s, 50023, 23, "\xff\xfd\x18", "\xff\xfb\x01login: ", NULL);
    udp_exchange(&w, &c2s, 50053, 53, dns_message(FALSE, FALSE), dns_message(TRUE, FALSE));
    sctp_exchange(&w, &c2s, 50080, 80, "GET / HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK\r\n\r\n");
    sctp_exchange(&w, &c2s, 50022, 22, "SSH-2.0-client\r\n", "SSH-2.0-server\r\n");
    sctp_exchange(&w, &c2s, 50999, 9999, "hello", "world");
    writer_close(&w);
}

/* ---- encap.pcap ---------------------------------------------------------- */

static const addrs_t *outer_c2s(void)
{
    static addrs_t a;
    a = v4("203.0.113.1", "203.0.113.2");
    return &a;
}

static GByteArray *wrap_vlan(GByteArray *inner, gboolean to_server G_GNUC_UNUSED)
{
    guint8 *tag = prepend(inner, 4);
    put16(tag, 100);                /* VID 100, priority 0 */
    put16(tag + 2, ETH_IPV4);
    return ether(inner, ETH_VLAN);
}

/** Outer Ethernet/IPv4/UDP around a tunnel header and inner Ethernet frame. */
static GByteArray *wrap_udp_tunnel(GByteArray *inner_ip, gboolean to_server, guint16 tunnel_port,
                                   gboolean geneve)
{
    addrs_t out = to_server ? *outer_c2s() : reversed(outer_c2s());
    GByteArray *b = ether(inner_ip, ETH_IPV4);
    guint8 *h = prepend(b, 8);

    if (geneve) {
        put16(h + 2, ETH_BRIDGED);
    } else {
        h[0] = 0x08;                /* VXLAN: VNI present */
    }
    h[6] = 42;                      /* VNI 42 (bits 8-31 of the second word) */
    return frame(ip(udp(b, &out, to_server ? 49999 : tunnel_port,
                        to_server ? tunnel_port : 49999), &out, IPPROTO_UDP_), &out);
}

static GByteArray *wrap_vxlan(GByteArray *inner, gboolean to_server)
{
    return wrap_udp_tunnel(inner, to_server, 4789, FALSE);
}

static GByteArray *wrap_geneve(GByteArray *inner, gboolean to_server)
{
    return wrap_udp_tunnel(inner, to_server, 6081, TRUE);
}

static GByteArray *wrap_gre(GByteArray *inner, gboolean to_server)
{
    addrs_t out = to_server ? *outer_c2s() : reversed(outer_c2s());
    guint8 *h = prepend(inner, 4);

    put16(h + 2, ETH_IPV4);
    return frame(ip(inner, &out, IPPROTO_GRE_), &out);
}

static void write_encap(const char *dir)
{
    writer_t w;
    addrs_t inner = v4("10.1.1.10", "10.1.1.20");
    addrs_t inner_back = reversed(&inner);

    writer_open(&w, dir, "encap.pcap");
    tcp_conversation(&w, &inner, 50021, 21, "USER ftp\r\n", "220 ready\r\n", wrap_vlan);
    tcp_conversation(&w, &inner, 50023, 23, NULL, NULL, wrap_vxlan);
    tcp_conversation(&w, &inner, 50110, 110, "USER bob\r\n", "+OK\r\n", wrap_geneve);
    write_frame(&w, wrap_gre(ip(udp(tftp_read_request(), &inner, 50069, 69), &inner, IPPROTO_UDP_), TRUE));
    write_frame(&w, wrap_gre(ip(udp(text("\x00\x05\x00\x01no"), &inner_back, 50070, 50069), &inner_back, IPPROTO_UDP_), FALSE));
    writer_close(&w);
}

/* ---- edge.pcap ----------------------------------------------------------- */

/** ICMP (v4 or v6) error quoting the start of a packet that was sent earlier. */
static GByteArray *icmp_error(GByteArray *quoted, const addrs_t *a)
{
    guint8 *h = prepend(quoted, 8);
    guint16 sum;

    h[0] = a->v6 ? 1 : 3;           /* destination unreachable */
    h[1] = a->v6 ? 4 : 3;           /* port unreachable */
    if (a->v6) {
        sum = l4_checksum(a, IPPROTO_ICMPV6_, quoted);
    } else {
        sum = fold(sum16(quoted->data, quoted->len, 0));
    }
    put16(quoted->data + 2, sum);
    return ip(quoted, a, a->v6 ? IPPROTO_ICMPV6_ : IPPROTO_ICMP_);
}

static void write_edge(const char *dir)
{
    writer_t w;
    addrs_t c2s = v4("192.0.2.30", "198.51.100.40");
    addrs_t back = reversed(&c2s);
    addrs_t c6 = v6(0x30, 0x40);
    addrs_t b6 = reversed(&c6);

    writer_open(&w, dir, "edge.pcap");
    /* Undocumented ports on both sides. */
    tcp_conversation(&w, &c2s, 50010, 8080, NULL, NULL, NULL);
    udp_exchange(&w, &c2s, 40000, 40001, text("ping"), text("pong"));
    /* A client that happens to connect from a documented port (80): the
     * handshake says it is the client, so HTTP must not be claimed for it. */
    tcp_conversation(&w, &c2s, 80, 8081, NULL, NULL, NULL);
    /* TCP header cut short: 3 bytes on the wire (IP says so), then a
     * full header captured with a snap length inside it. */
    write_frame(&w, frame(ipv4_full(text("\xc3\x50\x00"), &c2s, IPPROTO_TCP_, 7, 0, 23), &c2s));
    write_cut(&w, frame(ip(tcp(text("data"), &c2s, 50011, 23, TCP_PSH | TCP_ACK, 1, 1), &c2s, IPPROTO_TCP_), &c2s), 14 + 20 + 3);
    write_cut(&w, frame(ip(tcp(text("data"), &c2s, 50012, 23, TCP_PSH | TCP_ACK, 1, 1), &c2s, IPPROTO_TCP_), &c2s), 14 + 20 + 12);
    /* UDP header cut short on the wire. */
    write_frame(&w, frame(ipv4_full(text("\xc3\x51\x00\x35\x00"), &c2s, IPPROTO_UDP_, 8, 0, 25), &c2s));
    /* Non-first fragments whose first fragment is missing (IPv4, IPv6). */
    write_frame(&w, frame(ipv4_full(text("\x00\x35\x00\x35 fragment tail"), &c2s, IPPROTO_UDP_, 9, 185, 20 + 18), &c2s));
    {
        GByteArray *b = text("\x00\x17\x00\x17 fragment tail");
        guint8 *fh = prepend(b, 8);
        fh[0] = IPPROTO_UDP_;
        put16(fh + 2, 185 << 3);    /* offset 1480, no more fragments */
        put32(fh + 4, 0xf00d);
        write_frame(&w, frame(ipv6_hdr(b, &c6, IPPROTO_FRAG6_), &c6));
    }
    /* ICMP errors quoting a DNS query and a Telnet SYN. */
    write_frame(&w, frame(icmp_error(ip(udp(dns_message(FALSE, FALSE), &c2s, 50013, 53), &c2s, IPPROTO_UDP_), &back), &back));
    write_frame(&w, frame(icmp_error(ipv6_hdr(tcp(g_byte_array_new(), &c6, 50014, 23, TCP_SYN, 1, 0), &c6, IPPROTO_TCP_), &b6), &b6));
    /* TCP with a bogus data offset (3 words): a malformed header. */
    {
        GByteArray *seg = tcp(text("x"), &c2s, 50015, 21, TCP_PSH | TCP_ACK, 1, 1);
        seg->data[12] = 3 << 4;
        write_frame(&w, frame(ip(seg, &c2s, IPPROTO_TCP_), &c2s));
    }
    writer_close(&w);
}

/* ---- payload.pcap ---------------------------------------------------------- */

static const guint8 tls_client_hello[] = {
    0x16, 0x03, 0x01, 0x00, 0x2d, 0x01, 0x00, 0x00, 0x29, 0x03, 0x03,
    0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d,
    0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d, 0x5d,
    0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00
};
static const guint8 tls_server_hello[] = {
    0x16, 0x03, 0x03, 0x00, 0x2a, 0x02, 0x00, 0x00, 0x26, 0x03, 0x03,
    0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
    0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5, 0xa5,
    0x00, 0x13, 0x01, 0x00
};
static const guint8 telnet_options[] = { 0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfb, 0x01 };

#define DIALOGUE(w, a, cport, sport, wrap, ...) do { \
        static const say_t says_[] = { __VA_ARGS__ }; \
        tcp_dialogue(w, a, cport, sport, wrap, says_, G_N_ELEMENTS(says_)); \
    } while (0)

static void write_payload(const char *dir)
{
    writer_t w;
    addrs_t a = v4("192.0.2.30", "198.51.100.40");
    const say_t tls_hello[] = {
        { C2S, tls_client_hello, sizeof tls_client_hello },
        { S2C, tls_server_hello, sizeof tls_server_hello },
    };
    const say_t tls_client_only[] = { { C2S, tls_client_hello, sizeof tls_client_hello } };
    const say_t telnet[] = { { S2C, telnet_options, sizeof telnet_options } };
    const say_t http_again[] = { SAY(C2S, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"),
                                 SAY(S2C, "HTTP/1.1 200 OK\r\n\r\n") };
    const guint32 reused_isn[2] = { 777000u, 888000u };
    static const guint8 socks5_greeting[] = { 0x05, 0x01, 0x00 };
    static const guint8 socks5_choice[] = { 0x05, 0x00 };
    static const guint8 socks5_connect[] = { 0x05, 0x01, 0x00, 0x01, 198, 51, 100, 80, 0x01, 0xbb };
    static const guint8 socks5_granted[] = { 0x05, 0x00, 0x00, 0x01, 198, 51, 100, 80, 0x01, 0xbb };
    const say_t socks_then_tls[] = {
        { C2S, socks5_greeting, sizeof socks5_greeting }, { S2C, socks5_choice, sizeof socks5_choice },
        { C2S, socks5_connect, sizeof socks5_connect }, { S2C, socks5_granted, sizeof socks5_granted },
        { C2S, tls_client_hello, sizeof tls_client_hello }, { S2C, tls_server_hello, sizeof tls_server_hello },
    };
    const say_t starttls[] = {
        SAY(S2C, "220 mail.example.org ESMTP\r\n"), SAY(C2S, "STARTTLS\r\n"), SAY(S2C, "220 Go ahead\r\n"),
        { C2S, tls_client_hello, sizeof tls_client_hello }, { S2C, tls_server_hello, sizeof tls_server_hello },
    };

    writer_open(&w, dir, "payload.pcap");
    /* each protocol on its own port: confirmed */
    DIALOGUE(&w, &a, 50100, 22, NULL, SAY(S2C, "SSH-2.0-OpenSSH_9.2p1\r\n"), SAY(C2S, "SSH-2.0-PuTTY_0.78\r\n"));
    DIALOGUE(&w, &a, 50101, 80, NULL, SAY(C2S, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"),
             SAY(S2C, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
             SAY(C2S, "SSH-2.0-decided-already\r\n"));   /* only first payloads count */
    tcp_dialogue(&w, &a, 50102, 443, NULL, tls_hello, G_N_ELEMENTS(tls_hello));
    DIALOGUE(&w, &a, 50103, 25, NULL, SAY(S2C, "220 mail.example.org ESMTP\r\n"), SAY(C2S, "EHLO client\r\n"));
    DIALOGUE(&w, &a, 50104, 21, NULL, SAY(S2C, "220 Welcome\r\n"), SAY(C2S, "USER anonymous\r\n"));
    DIALOGUE(&w, &a, 50105, 110, NULL, SAY(S2C, "+OK POP3 ready\r\n"), SAY(C2S, "USER alice\r\n"));
    DIALOGUE(&w, &a, 50106, 143, NULL, SAY(S2C, "* OK IMAP4rev1 ready\r\n"), SAY(C2S, "a1 CAPABILITY\r\n"));
    tcp_dialogue(&w, &a, 50107, 23, NULL, telnet, G_N_ELEMENTS(telnet));
    udp_exchange(&w, &a, 50108, 53, dns_message(FALSE, FALSE), dns_message(TRUE, FALSE));
    udp_exchange(&w, &a, 50109, 1900, text("M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n\r\n"),
                 text("HTTP/1.1 200 OK\r\nST: upnp:rootdevice\r\n\r\n"));
    /* protocol mismatches: seen both ways, then from one side only */
    DIALOGUE(&w, &a, 50110, 22, NULL, SAY(C2S, "GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"),
             SAY(S2C, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    DIALOGUE(&w, &a, 50111, 80, NULL, SAY(S2C, "SSH-2.0-OpenSSH_9.2p1\r\n"), SAY(C2S, "SSH-2.0-OpenSSH_9.2p1\r\n"));
    tcp_dialogue(&w, &a, 50112, 23, NULL, tls_hello, G_N_ELEMENTS(tls_hello));
    tcp_dialogue(&w, &a, 50113, 80, NULL, tls_client_only, G_N_ELEMENTS(tls_client_only));
    DIALOGUE(&w, &a, 50114, 443, NULL, SAY(C2S, "\x01\x02 not a hello"),
             SAY(S2C, "HTTP/1.1 400 Bad Request\r\n\r\n"));
    /* known protocols on ports that are not theirs */
    DIALOGUE(&w, &a, 50115, 31337, NULL, SAY(S2C, "SSH-2.0-OpenSSH_9.2p1\r\n"), SAY(C2S, "SSH-2.0-libssh_0.10\r\n"));
    DIALOGUE(&w, &a, 50116, 31337, NULL, SAY(C2S, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n"),
             SAY(S2C, "HTTP/1.1 200 OK\r\n\r\n"));
    DIALOGUE(&w, &a, 50117, 4444, NULL, SAY(S2C, "HTTP/1.0 200 OK\r\n\r\n"));
    udp_exchange(&w, &a, 50118, 40053, dns_message(FALSE, FALSE), NULL);
    /* nothing to decide: an ambiguous greeting elsewhere, an answer that
     * looks like a greeting, unknown binary data */
    DIALOGUE(&w, &a, 50119, 2121, NULL, SAY(S2C, "220 Welcome\r\n"));
    DIALOGUE(&w, &a, 50120, 6379, NULL, SAY(C2S, "*2\r\n$4\r\nAUTH\r\n$3\r\npwd\r\n"), SAY(S2C, "+OK\r\n"));
    DIALOGUE(&w, &a, 50121, 22, NULL, SAY(C2S, "\x00\x01\x02\x03"), SAY(S2C, "\x04\x05"));
    /* the innermost conversation of a tunnel: SSH on 80/tcp inside VXLAN */
    DIALOGUE(&w, &a, 50122, 80, wrap_vxlan, SAY(S2C, "SSH-2.0-OpenSSH_9.2p1\r\n"));
    /* the same ports used again: SSH on 80/tcp, then, after a SYN with a new
     * sequence number (a new connection for Wireshark), HTTP: the first
     * connection's verdict must not follow the second */
    DIALOGUE(&w, &a, 50123, 80, NULL, SAY(S2C, "SSH-2.0-OpenSSH_9.2p1\r\n"));
    tcp_dialogue_isn(&w, &a, 50123, 80, NULL, http_again, G_N_ELEMENTS(http_again), reused_isn);
    /* tunnels: what follows a SOCKS 5 handshake (RFC 1928) or STARTTLS
     * (RFC 3207) is the tunnel's content, never a mismatch of the port */
    tcp_dialogue(&w, &a, 50124, 1080, NULL, socks_then_tls, G_N_ELEMENTS(socks_then_tls));
    tcp_dialogue(&w, &a, 50125, 25, NULL, starttls, G_N_ELEMENTS(starttls));
    writer_close(&w);
}

/* ---- exposure.pcap ------------------------------------------------------- */

/* An SMB2 NEGOTIATE request behind its direct-TCP length (MS-SMB2 2.1,
 * 2.2.1): what a client sends first. */
static const guint8 smb2_negotiate[4 + 64] = {
    0x00, 0x00, 0x00, 0x40, 0xfe, 'S', 'M', 'B', 0x40, 0x00,
};

/**
 * The same services seen from each side of the local networks' edge
 * (10.1.1.0/24 is local, 198.51.100.0/24 and 203.0.113.0/24 are the
 * Internet), and the routine traffic that must stay quiet: SMB internal,
 * inbound, outbound and external; Redis on loopback; a `kinit` of three
 * Kerberos exchanges with one server; a DNS lookup, an mDNS query to its
 * multicast group, and the victim's side of a DNS reflection (large
 * answers that no request asked for).
 */
static void write_exposure(const char *dir)
{
    writer_t w;
    const say_t smb[] = { { C2S, smb2_negotiate, sizeof smb2_negotiate } };
    const addrs_t internal = v4("10.1.1.5", "10.1.1.10"), inbound = v4("203.0.113.7", "10.1.1.10");
    const addrs_t outbound = v4("10.1.1.5", "198.51.100.9"), external = v4("198.51.100.1", "203.0.113.9");
    const addrs_t loopback = v4("127.0.0.1", "127.0.0.1"), kdc = v4("10.1.1.5", "10.1.1.2");
    const addrs_t mdns = v4("10.1.1.5", "224.0.0.251"), reflector = v4("198.51.100.53", "10.1.1.5");

    writer_open(&w, dir, "exposure.pcap");
    tcp_dialogue(&w, &internal, 50200, 445, NULL, smb, G_N_ELEMENTS(smb));
    tcp_dialogue(&w, &inbound, 50201, 445, NULL, smb, G_N_ELEMENTS(smb));
    tcp_dialogue(&w, &outbound, 50202, 445, NULL, smb, G_N_ELEMENTS(smb));
    tcp_dialogue(&w, &external, 50203, 445, NULL, smb, G_N_ELEMENTS(smb));
    DIALOGUE(&w, &loopback, 50204, 6379, NULL, SAY(C2S, "*1\r\n$4\r\nPING\r\n"), SAY(S2C, "+PONG\r\n"));
    for (guint16 i = 0; i < 3; i++)
        udp_exchange(&w, &kdc, (guint16)(50205 + i), 88, text("kinit request"), text("kinit reply"));
    udp_exchange(&w, &kdc, 50210, 53, dns_message(FALSE, FALSE), dns_message(TRUE, FALSE));
    udp_exchange(&w, &mdns, 5353, 5353, dns_message(FALSE, FALSE), NULL);
    for (int i = 0; i < 3; i++)
        write_frame(&w, frame(ip(udp(dns_message(TRUE, FALSE), &reflector, 53, 50211), &reflector,
                                 IPPROTO_UDP_), &reflector));
    writer_close(&w);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
        return 2;
    }
    write_seed(argv[1]);
    write_ipv6(argv[1]);
    write_encap(argv[1]);
    write_edge(argv[1]);
    write_payload(argv[1]);
    write_exposure(argv[1]);
    return 0;
}
