/* own-ports.c
 * Prints the payload check's protocol table (plugin/portnote-protocols.def)
 * as the plugin's core has it, one line per protocol:
 *   NAME tcp:PORTS udp:PORTS sctp:PORTS ws:LAYERS flags:FLAGS
 *     PORTS: "22,80-81" or empty (pn_port_protocols);
 *     LAYERS: Wireshark's names of its layers, "ssh,sshv1";
 *     FLAGS: "wrapper," and/or "any-port," (off its own ports it decides nothing)
 * so that measure/measure-payload.py takes its protocols, their own ports
 * and its ground truth's names from the plugin's own table.
 *   own-ports --markdown   the table for the documentation instead
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include "portnote-payload.h"

/** Whether proto has an own port on this transport. */
static gboolean has_ports(pn_transport_t transport, pn_proto_t proto)
{
    for (int port = 0; port < 65536; port++)
        if (pn_port_protocols(transport, (guint16)port) & PN_PROTO_BIT(proto))
            return TRUE;
    return FALSE;
}

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

/** Prints a space-separated list with commas instead. */
static void print_commas(const char *list)
{
    for (; *list; list++)
        putchar(*list == ' ' ? ',' : *list);
}

/** One protocol per line, for measure/measure-payload.py. */
static void print_lines(void)
{
    for (int p = 1; p < PN_PROTO_COUNT; p++) {
        printf("%s", pn_proto_name((pn_proto_t)p));
        for (int t = 0; t < PN_TRANSPORT_COUNT; t++) {
            printf(" %s:", pn_transport_name((pn_transport_t)t));
            print_ports((pn_transport_t)t, (pn_proto_t)p);
        }
        printf(" ws:");
        print_commas(pn_proto_info((pn_proto_t)p)->wireshark);
        printf(" flags:%s%s", pn_proto_info((pn_proto_t)p)->flags & PN_PF_WRAPPER ? "wrapper," : "",
               pn_proto_info((pn_proto_t)p)->flags & PN_PF_ANY_PORT ? "any-port," : "");
        printf("\n");
    }
}

/** The table as Markdown, for the documentation's list of protocols. */
static void print_markdown(void)
{
    static const char *const strengths[] = { "strict", "weak", "mixed" };

    printf("| protocol | own ports | signatures | specification |\n|---|---|---|---|\n");
    for (int p = 1; p < PN_PROTO_COUNT; p++) {
        const pn_proto_info_t *info = pn_proto_info((pn_proto_t)p);
        const char *sep = "";

        printf("| %s | ", info->name);
        for (int t = 0; t < PN_TRANSPORT_COUNT; t++) {
            if (!has_ports((pn_transport_t)t, (pn_proto_t)p))
                continue;
            printf("%s", sep);
            print_ports((pn_transport_t)t, (pn_proto_t)p);
            printf("/%s", pn_transport_name((pn_transport_t)t));
            sep = " ";
        }
        printf(" | %s%s%s | %s |\n", strengths[info->strength],
               info->flags & PN_PF_WRAPPER ? ", wrapper" : "",
               info->flags & PN_PF_ANY_PORT ? ", any port" : "", info->spec);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--markdown") == 0)
        print_markdown();
    else
        print_lines();
    return 0;
}
