/* portnote-tap.c
 * What PortNote's command-line taps (-z portnote,findings and
 * -z portnote,services) share: attaching a listener to the "portnote" tap
 * with the filter given after the tap's name, and saying why when it cannot.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>
#include <epan/packet.h>

#include "portnote-tap.h"

/**
 * Attaches a listener for tshark's "-z CLI[,FILTER]" (opt_arg is the whole
 * argument).  On failure prints tshark's usual message, hands data to
 * finish (which frees it) and returns FALSE.
 */
gboolean pn_tap_listen(const char *cli, const char *opt_arg, void *data, tap_reset_cb reset,
                       tap_packet_cb packet, tap_draw_cb draw, tap_finish_cb finish)
{
    size_t cli_len = strlen(cli);
    const char *filter = NULL;
    GString *error;

    if (strncmp(opt_arg, cli, cli_len) == 0 && opt_arg[cli_len] == ',')
        filter = opt_arg + cli_len + 1;
    error = register_tap_listener(PN_TAP_NAME, data, filter, TL_REQUIRES_PROTO_TREE, reset, packet,
                                  draw, finish);
    if (!error)
        return TRUE;
    fprintf(stderr, "tshark: Couldn't register %s tap: %s\n", cli, error->str);
    g_string_free(error, TRUE);
    finish(data);
    return FALSE;
}
