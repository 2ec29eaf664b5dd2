/* fuzz-payload.c
 * libFuzzer target: any bytes, as a TCP or UDP first payload, must be
 * classified without a crash or undefined behaviour, never read past
 * their end (ASan: the input is copied to an exact-size buffer), and give
 * a consistent verdict.  Built by CMake with clang; run by
 * tests/fuzz-parser.sh payload.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <glib.h>

#include "portnote-payload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    guint8 *copy = g_memdup2(data, size);
    /* ports with no protocol, one, two (2379), wrappers' and weak signatures' own */
    static const guint16 ports[] = { 21, 22, 23, 25, 53, 67, 80, 88, 102, 110, 123, 139, 143, 161, 389, 427,
                                     443, 445, 500, 502, 514, 554, 853, 1080, 1812, 1883, 1900, 2379, 3306,
                                     3389, 3478, 4500, 5060, 5432, 5900, 6379, 6667, 6881, 10050, 27017, 31337 };

    for (int t = PN_TRANSPORT_TCP; t <= PN_TRANSPORT_UDP; t++) {
        pn_payload_sig_t sig = pn_payload_classify((pn_transport_t)t, copy, size);
        const gboolean eph[2] = { FALSE, TRUE };
        pn_proto_t seen;

        if ((PN_PROTO_COUNT < 64 && sig.candidates >= PN_PROTO_BIT(PN_PROTO_COUNT)) || (sig.candidates & 1))
            __builtin_trap();
        for (gsize i = 0; i < G_N_ELEMENTS(ports); i++) {
            pn_verdict_t v = pn_payload_verdict((pn_transport_t)t, ports[i], &sig, &seen);
            if ((v == PN_VERDICT_NONE) != (seen == PN_PROTO_NONE) || !(sig.candidates & PN_PROTO_BIT(seen) || !seen))
                __builtin_trap();
        }
        if (pn_payload_server_end(&sig, (pn_transport_t)t, 0, ports, eph, -1) > 1)
            __builtin_trap();
        /* a weak signature never raises a finding */
        for (gsize i = 0; sig.weak && i < G_N_ELEMENTS(ports); i++)
            if (pn_payload_verdict((pn_transport_t)t, ports[i], &sig, &seen) > PN_VERDICT_CONFIRMED)
                __builtin_trap();
        /* between a port of syslog's or DNS's and any other: what classify
         * names, or else only a weak signature */
        for (gsize i = 0; i < 2; i++) {
            const guint16 pair[2] = { i ? 5353 : 514, ports[size % G_N_ELEMENTS(ports)] };
            pn_payload_sig_t between = pn_payload_classify_between((pn_transport_t)t, copy, size, pair);
            if (sig.candidates ? between.candidates != sig.candidates : between.candidates && !between.weak)
                __builtin_trap();
        }
        /* nothing past the peek is read: the same verdict on a truncated copy */
        if (size > PN_PAYLOAD_PEEK && pn_payload_classify((pn_transport_t)t, copy, PN_PAYLOAD_PEEK).candidates
                                          != sig.candidates)
            __builtin_trap();
    }
    g_free(copy);
    return 0;
}
