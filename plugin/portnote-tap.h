/* portnote-tap.h
 * The notes PortNote found in one frame.  They are computed once, on the
 * first pass, kept as per-frame data, and handed to the tap listeners
 * (the statistics tree in portnote-stats.c) on every pass.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_TAP_H
#define PORTNOTE_TAP_H

#include "portnote-db.h"

#define PN_TAP_NAME "portnote"
#define PN_MAX_NOTES 16

typedef struct {
    guint16 port;
    pn_role_t role;
    gboolean is_src;            /* the packet's source port (else destination) */
    gint start;                 /* the port's bytes in the frame; -1 when elsewhere */
    gint length;
    const pn_entry_t *entry;
} pn_note_t;

typedef struct {
    guint count;
    pn_note_t notes[PN_MAX_NOTES];
} pn_frame_notes_t;

void portnote_register_stats(void);

#endif /* PORTNOTE_TAP_H */
