/* portnote-tap.h
 * What the PortNote post-dissector hands to its tap listeners (the
 * statistics tree in portnote-stats.c): one record per packet, listing
 * every port it annotated.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_TAP_H
#define PORTNOTE_TAP_H

#include <epan/address.h>
#include "portnote-db.h"

#define PN_TAP_NAME "portnote"
#define PN_TAP_MAX_NOTES 16

typedef struct {
    guint16 port;
    pn_role_t role;
    const pn_entry_t *entry;
    address host;               /* network address of the port's side */
} pn_tap_note_t;

typedef struct {
    guint count;
    pn_tap_note_t notes[PN_TAP_MAX_NOTES];
} pn_tap_packet_t;

void portnote_register_stats(void);

#endif /* PORTNOTE_TAP_H */
