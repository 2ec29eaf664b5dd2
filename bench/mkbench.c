/* mkbench.c
 * Writes the benchmark capture: PACKETS frames of mixed TCP and UDP over
 * IPv4 and IPv6, about half of them on ports the notes document, the rest
 * on undocumented server ports; the same bytes for the same arguments.
 * With FLOWS, the packets take turns among FLOWS fixed conversations (for
 * the payload check's cost once conversations are decided); without it,
 * nearly every packet is a conversation of its own.
 * Usage: mkbench PACKETS OUTPUT_DIR NAME.pcap [FLOWS]
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdlib.h>
#include <string.h>

#include "pcapgen.h"

static const guint16 documented_tcp[] = { 0, 1, 7, 19, 21, 22, 23, 25, 31, 42, 53, 79, 80, 99, 102, 110 };
static const guint16 documented_udp[] = { 0, 7, 19, 53, 67, 69, 553 };

/* 64-bit LCG (Knuth's MMIX constants): deterministic everywhere. */
static guint64 next_random(guint64 *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 11;
}

static addrs_t endpoints(guint64 r, gboolean v6_family)
{
    char client[32], server[32];

    if (v6_family)
        return v6((guint8)(1 + r % 200), (guint8)(201 + (r >> 8) % 50));
    g_snprintf(client, sizeof client, "10.%u.%u.%u", (guint)(r % 8), (guint)((r >> 3) % 250),
               (guint)(1 + (r >> 11) % 250));
    g_snprintf(server, sizeof server, "198.51.100.%u", (guint)(1 + (r >> 19) % 200));
    return v4(client, server);
}

static GByteArray *payload(guint64 r)
{
    static const char filler[] = "portnote benchmark payload portnote benchmark payload";
    return bytes_of(filler, r % 48);
}

int main(int argc, char **argv)
{
    guint64 state = 20250101, count, flows = 0;
    writer_t w;

    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s PACKETS OUTPUT_DIR NAME.pcap [FLOWS]\n", argv[0]);
        return 2;
    }
    count = g_ascii_strtoull(argv[1], NULL, 10);
    if (argc == 5)
        flows = g_ascii_strtoull(argv[4], NULL, 10);
    writer_open(&w, argv[2], argv[3]);
    for (guint64 i = 0; i < count; i++) {
        guint64 r = next_random(&state), r2 = next_random(&state);
        guint64 fresh = r;
        if (flows) {    /* the flow's fixed endpoints; only the direction varies */
            guint64 flow_state = 77 + i % flows;
            r = next_random(&flow_state);
            r2 = next_random(&flow_state);
        }
        gboolean is_tcp = r % 10 < 6, documented = (r >> 4) & 1;
        gboolean to_server = flows ? (fresh >> 7) & 1 : (r >> 5) & 1;
        guint16 server = documented
            ? (is_tcp ? documented_tcp[(r >> 6) % G_N_ELEMENTS(documented_tcp)]
                      : documented_udp[(r >> 6) % G_N_ELEMENTS(documented_udp)])
            : (guint16)(5001 + (r >> 6) % 25000);
        guint16 client = (guint16)(32768 + (r >> 22) % 32000);
        addrs_t a = endpoints(r2, r2 % 5 == 0);
        addrs_t dir = to_server ? a : reversed(&a);
        guint16 sp = to_server ? client : server, dp = to_server ? server : client;
        GByteArray *b = payload(fresh >> 40);

        if (is_tcp)
            b = tcp(b, &dir, sp, dp, (flows ? i < flows : i % 16 == 0) ? TCP_SYN : (TCP_PSH | TCP_ACK),
                    (guint32)r2, (guint32)(r2 >> 32));
        else
            b = udp(b, &dir, sp, dp);
        write_frame(&w, frame(ip(b, &dir, is_tcp ? 6 : 17), &dir));
    }
    writer_close(&w);
    return 0;
}
