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
    static const guint16 ports[] = { 22, 23, 25, 53, 80, 443, 1900, 31337 };

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
    }
    g_free(copy);
    return 0;
}
