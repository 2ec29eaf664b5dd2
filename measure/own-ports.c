/* own-ports.c
 * Prints each payload-check protocol's own ports as the plugin's core has
 * them (pn_port_protocols), one line per protocol:
 *   NAME tcp:PORTS udp:PORTS sctp:PORTS      PORTS: "22,80-81" or empty
 * so that measure/measure-payload.py judges flows by the plugin's own table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

#include "portnote-payload.h"

/** Prints the ports of one transport that are proto's own, as ranges. */
static void print_ports(pn_transport_t transport, pn_proto_t proto)
{
    int start = -1;
    gboolean first = TRUE;

    for (int port = 0; port <= 65536; port++) {
        gboolean own = port < 65536
            && (pn_port_protocols(transport, (guint16)port) & PN_PROTO_BIT(proto)) != 0;
        if (own && start < 0)
            start = port;
        if (own || start < 0)
            continue;
        printf(first ? "%d" : ",%d", start);
        if (port - 1 > start)
            printf("-%d", port - 1);
        first = FALSE;
        start = -1;
    }
}

int main(void)
{
    static const char *const transports[PN_TRANSPORT_COUNT] = { "tcp", "udp", "sctp" };

    for (int p = 1; p < PN_PROTO_COUNT; p++) {
        printf("%s", pn_proto_name((pn_proto_t)p));
        for (int t = 0; t < PN_TRANSPORT_COUNT; t++) {
            printf(" %s:", transports[t]);
            print_ports((pn_transport_t)t, (pn_proto_t)p);
        }
        printf("\n");
    }
    return 0;
}
