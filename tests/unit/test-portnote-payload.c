/* test-portnote-payload.c
 * Unit tests of the payload signatures and verdicts (no Wireshark): each
 * signature on real-looking first payloads, its near misses, the server
 * end, and the verdict for a port.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "portnote-payload.h"

#define BIT PN_PROTO_BIT

static pn_payload_sig_t classify_text(pn_transport_t t, const char *text)
{
    return pn_payload_classify(t, (const guint8 *)text, strlen(text));
}

typedef struct {
    const char *text;
    pn_proto_set_t candidates;
    pn_sender_t sender;
} text_case_t;

/* TCP first payloads and what they must be taken for. */
static const text_case_t tcp_cases[] = {
    { "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", BIT(PN_PROTO_SSH), PN_SENDER_EITHER },
    { "SSH-1.99-Cisco-1.25\r\n", BIT(PN_PROTO_SSH), PN_SENDER_EITHER },
    { "GET / HTTP/1.1\r\nHost: a\r\n\r\n", BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT },
    { "POST /cgi-bin/x HTTP/1.0\r\n", BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT },
    { "CONNECT example.org:443 HTTP/1.1\r\n", BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT },
    { "HTTP/1.1 200 OK\r\nServer: x\r\n", BIT(PN_PROTO_HTTP), PN_SENDER_SERVER },
    { "HTTP/1.0 404 Not Found\r\n", BIT(PN_PROTO_HTTP), PN_SENDER_SERVER },
    { "220 mail.example.org ESMTP Postfix\r\n", BIT(PN_PROTO_SMTP), PN_SENDER_SERVER },
    { "220-smtp.example.org ESMTP\r\n", BIT(PN_PROTO_SMTP), PN_SENDER_SERVER },
    { "220 (vsFTPd 3.0.3)\r\n", BIT(PN_PROTO_FTP), PN_SENDER_SERVER },
    { "220 Welcome\r\n", BIT(PN_PROTO_SMTP) | BIT(PN_PROTO_FTP), PN_SENDER_SERVER },
    { "+OK POP3 server ready\r\n", BIT(PN_PROTO_POP3), PN_SENDER_SERVER },
    { "+OK\r\n", BIT(PN_PROTO_POP3), PN_SENDER_SERVER },
    { "* OK [CAPABILITY IMAP4rev1] ready\r\n", BIT(PN_PROTO_IMAP), PN_SENDER_SERVER },
    /* near misses: nothing */
    { "SSH-3.0-x\r\n", 0, PN_SENDER_EITHER },
    { "GET / RTSP/1.0\r\n", 0, PN_SENDER_EITHER },
    { "INVITE sip:a@b SIP/2.0\r\n", 0, PN_SENDER_EITHER },
    { "GET  HTTP/1.1\r\n", 0, PN_SENDER_EITHER },
    { "GET /a-very-long-line-without-an-end", 0, PN_SENDER_EITHER },
    { "HTTP/1.1 2x0 OK\r\n", 0, PN_SENDER_EITHER },
    { "2201 nope\r\n", 0, PN_SENDER_EITHER },
    { "+OKAY\r\n", 0, PN_SENDER_EITHER },
    { "+PONG\r\n", 0, PN_SENDER_EITHER },
    { "*1\r\n$4\r\nPING\r\n", 0, PN_SENDER_EITHER },
    { "hello", 0, PN_SENDER_EITHER },
};

static void test_tcp_text(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(tcp_cases); i++) {
        pn_payload_sig_t s = classify_text(PN_TRANSPORT_TCP, tcp_cases[i].text);
        g_test_message("%s", tcp_cases[i].text);
        g_assert_cmphex(s.candidates, ==, tcp_cases[i].candidates);
        if (s.candidates)
            g_assert_cmpint(s.sender, ==, tcp_cases[i].sender);
    }
}

static void test_greetings_are_marked(void)
{
    g_assert_true(classify_text(PN_TRANSPORT_TCP, "+OK ready\r\n").greeting);
    g_assert_true(classify_text(PN_TRANSPORT_TCP, "220 x SMTP\r\n").greeting);
    g_assert_false(classify_text(PN_TRANSPORT_TCP, "HTTP/1.1 200 OK\r\n").greeting);
    g_assert_false(classify_text(PN_TRANSPORT_TCP, "SSH-2.0-x\r\n").greeting);
}

static const guint8 client_hello[] = { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03 };
static const guint8 server_hello[] = { 0x16, 0x03, 0x03, 0x00, 0x5a, 0x02, 0x00, 0x00, 0x56, 0x03, 0x03 };

static void test_tls(void)
{
    guint8 bad[sizeof client_hello];
    pn_payload_sig_t s = pn_payload_classify(PN_TRANSPORT_TCP, client_hello, sizeof client_hello);

    g_assert_cmphex(s.candidates, ==, BIT(PN_PROTO_TLS));
    g_assert_cmpint(s.sender, ==, PN_SENDER_CLIENT);
    s = pn_payload_classify(PN_TRANSPORT_TCP, server_hello, sizeof server_hello);
    g_assert_cmphex(s.candidates, ==, BIT(PN_PROTO_TLS));
    g_assert_cmpint(s.sender, ==, PN_SENDER_SERVER);
    /* not a Hello, wrong version, absurd length: nothing */
    for (int field = 0; field < 3; field++) {
        memcpy(bad, client_hello, sizeof bad);
        if (field == 0) bad[5] = 0x0b;
        if (field == 1) bad[1] = 0x02;
        if (field == 2) bad[3] = 0xff;
        g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, bad, sizeof bad).candidates, ==, 0);
    }
    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_UDP, client_hello, sizeof client_hello).candidates, ==, 0);
}

static void test_telnet(void)
{
    static const guint8 will_echo[] = { 0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03 };
    static const guint8 odd_option[] = { 0xff, 0xfb, 0x90 };
    static const guint8 not_negotiation[] = { 0xff, 0xf1, 0x01 };

    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, will_echo, sizeof will_echo).candidates,
                    ==, BIT(PN_PROTO_TELNET));
    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, odd_option, sizeof odd_option).candidates, ==, 0);
    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, not_negotiation, sizeof not_negotiation).candidates,
                    ==, 0);
}

/* A query for example.org A IN, and variants. */
static GByteArray *dns_query(guint16 flags, guint16 qdcount, guint16 klass)
{
    static const guint8 name[] = { 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0 };
    guint8 header[12] = { 0x12, 0x34, flags >> 8, flags & 0xff, qdcount >> 8, qdcount & 0xff };
    guint8 tail[4] = { 0, 1, klass >> 8, klass & 0xff };
    GByteArray *m = g_byte_array_new();

    g_byte_array_append(m, header, sizeof header);
    g_byte_array_append(m, name, sizeof name);
    g_byte_array_append(m, tail, sizeof tail);
    return m;
}

static pn_proto_set_t udp_candidates(GByteArray *m, pn_sender_t *sender)
{
    pn_payload_sig_t s = pn_payload_classify(PN_TRANSPORT_UDP, m->data, m->len);

    if (sender)
        *sender = s.sender;
    g_byte_array_free(m, TRUE);
    return s.candidates;
}

static void test_dns(void)
{
    pn_sender_t sender;
    GByteArray *tcp;
    guint8 len[2];

    g_assert_cmphex(udp_candidates(dns_query(0x0100, 1, 1), &sender), ==, BIT(PN_PROTO_DNS));
    g_assert_cmpint(sender, ==, PN_SENDER_CLIENT);
    g_assert_cmphex(udp_candidates(dns_query(0x8180, 1, 1), &sender), ==, BIT(PN_PROTO_DNS));
    g_assert_cmpint(sender, ==, PN_SENDER_SERVER);
    g_assert_cmphex(udp_candidates(dns_query(0x0000, 1, 0x8001), NULL), ==, BIT(PN_PROTO_DNS));
    g_assert_cmphex(udp_candidates(dns_query(0x0100, 2, 1), NULL), ==, 0);     /* two questions */
    g_assert_cmphex(udp_candidates(dns_query(0x0840, 1, 1), NULL), ==, 0);     /* IQUERY, Z set */
    g_assert_cmphex(udp_candidates(dns_query(0x0100, 1, 7), NULL), ==, 0);     /* unknown class */
    /* over TCP, behind its two-byte length */
    tcp = dns_query(0x0100, 1, 1);
    len[0] = 0;
    len[1] = (guint8)tcp->len;
    g_byte_array_prepend(tcp, len, 2);
    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, tcp->data, tcp->len).candidates, ==,
                    BIT(PN_PROTO_DNS));
    g_byte_array_free(tcp, TRUE);
}

static void test_ssdp_is_http_over_udp(void)
{
    pn_sender_t sender;
    const char *search = "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n";
    GByteArray *m = g_byte_array_new();

    g_byte_array_append(m, (const guint8 *)search, (guint)strlen(search));
    g_assert_cmphex(udp_candidates(m, &sender), ==, BIT(PN_PROTO_HTTP));
    g_assert_cmpint(sender, ==, PN_SENDER_CLIENT);
}

/* Every byte string up to 4 bytes long over a small alphabet: no crash, and
 * nothing this short is taken for a protocol but Telnet (IAC, verb, option). */
static void test_short_inputs(void)
{
    static const guint8 alphabet[] = { 0x00, 0x16, 0x03, 0xff, 0xfb, '2', 'S', '+', '\r' };
    guint8 buf[6];

    for (guint n = 0; n <= 4; n++) {
        guint total = 1;
        for (guint i = 0; i < n; i++)
            total *= G_N_ELEMENTS(alphabet);
        for (guint code = 0; code < total; code++) {
            guint c = code;
            for (guint i = 0; i < n; i++, c /= G_N_ELEMENTS(alphabet))
                buf[i] = alphabet[c % G_N_ELEMENTS(alphabet)];
            pn_payload_sig_t s = pn_payload_classify(PN_TRANSPORT_TCP, buf, n);
            g_assert_true(s.candidates == 0 || s.candidates == BIT(PN_PROTO_TELNET));
            pn_payload_classify(PN_TRANSPORT_UDP, buf, n);
        }
    }
    g_assert_cmphex(pn_payload_classify(PN_TRANSPORT_TCP, NULL, 10).candidates, ==, 0);
}

static void test_server_end(void)
{
    const guint16 ports[2] = { 50000, 22 };
    const gboolean eph[2] = { TRUE, FALSE };
    pn_payload_sig_t ssh = { BIT(PN_PROTO_SSH), PN_SENDER_EITHER, FALSE, FALSE };
    pn_payload_sig_t req = { BIT(PN_PROTO_HTTP), PN_SENDER_CLIENT, FALSE, FALSE };
    pn_payload_sig_t answer = { BIT(PN_PROTO_HTTP), PN_SENDER_SERVER, FALSE, FALSE };
    const guint16 odd[2] = { 31337, 40000 };
    const gboolean both[2] = { FALSE, FALSE };

    g_assert_cmpint(pn_payload_server_end(&req, PN_TRANSPORT_TCP, 0, ports, eph, -1), ==, 1);
    g_assert_cmpint(pn_payload_server_end(&answer, PN_TRANSPORT_TCP, 0, ports, eph, -1), ==, 0);
    g_assert_cmpint(pn_payload_server_end(&ssh, PN_TRANSPORT_TCP, 0, ports, eph, -1), ==, 1);
    g_assert_cmpint(pn_payload_server_end(&ssh, PN_TRANSPORT_TCP, 1, ports, eph, 0), ==, 0);
    g_assert_cmpint(pn_payload_server_end(&ssh, PN_TRANSPORT_TCP, 1, odd, both, -1), ==, 0);
}

/** The verdict for a strong signature of the given protocols. */
static pn_verdict_t verdict_of(pn_transport_t transport, guint16 port, pn_proto_set_t candidates,
                               pn_proto_t *seen)
{
    pn_payload_sig_t sig = { candidates, PN_SENDER_EITHER, FALSE, FALSE };

    return pn_payload_verdict(transport, port, &sig, seen);
}

static void test_verdicts(void)
{
    pn_proto_t seen;
    const pn_proto_set_t ssh = BIT(PN_PROTO_SSH), http = BIT(PN_PROTO_HTTP), tls = BIT(PN_PROTO_TLS);

    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 22, ssh, &seen), ==, PN_VERDICT_CONFIRMED);
    g_assert_cmpint(seen, ==, PN_PROTO_SSH);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 22, http, &seen), ==, PN_VERDICT_MISMATCH);
    g_assert_cmpint(seen, ==, PN_PROTO_HTTP);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 80, ssh, &seen), ==, PN_VERDICT_MISMATCH);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 23, tls, &seen), ==, PN_VERDICT_MISMATCH);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 31337, ssh, &seen), ==, PN_VERDICT_NON_STANDARD);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 31337, http, &seen), ==, PN_VERDICT_NON_STANDARD);
    /* TLS is a wrapper: only a port that promises another protocol objects to it */
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 5228, tls, &seen), ==, PN_VERDICT_NONE);
    g_assert_cmpint(seen, ==, PN_PROTO_NONE);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 80, tls, &seen), ==, PN_VERDICT_MISMATCH);
    /* an ambiguous 220 confirms 21 and 25 and decides nothing elsewhere */
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 21, BIT(PN_PROTO_SMTP) | BIT(PN_PROTO_FTP), &seen),
                    ==, PN_VERDICT_CONFIRMED);
    g_assert_cmpint(seen, ==, PN_PROTO_FTP);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 25, BIT(PN_PROTO_SMTP) | BIT(PN_PROTO_FTP), &seen),
                    ==, PN_VERDICT_CONFIRMED);
    g_assert_cmpint(seen, ==, PN_PROTO_SMTP);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 2121, BIT(PN_PROTO_SMTP) | BIT(PN_PROTO_FTP), &seen),
                    ==, PN_VERDICT_NONE);
    g_assert_cmpint(verdict_of(PN_TRANSPORT_TCP, 22, 0, &seen), ==, PN_VERDICT_NONE);
    /* NetBIOS names use the DNS format: DNS on 137/udp is no surprise */
    g_assert_cmpint(verdict_of(PN_TRANSPORT_UDP, 137, BIT(PN_PROTO_DNS), &seen), ==, PN_VERDICT_CONFIRMED);
    g_assert_cmpstr(pn_proto_name(PN_PROTO_TLS), ==, "tls");
    g_assert_cmpstr(pn_verdict_name(PN_VERDICT_MISMATCH), ==, "protocol-mismatch");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/signature/tcp-text", test_tcp_text);
    g_test_add_func("/signature/greetings", test_greetings_are_marked);
    g_test_add_func("/signature/tls", test_tls);
    g_test_add_func("/signature/telnet", test_telnet);
    g_test_add_func("/signature/dns", test_dns);
    g_test_add_func("/signature/ssdp", test_ssdp_is_http_over_udp);
    g_test_add_func("/signature/short-inputs", test_short_inputs);
    g_test_add_func("/verdict/server-end", test_server_end);
    g_test_add_func("/verdict/verdicts", test_verdicts);
    return g_test_run();
}
