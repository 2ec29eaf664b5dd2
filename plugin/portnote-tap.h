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

/* One annotated port (24 bytes: one is kept per annotated port of every
 * annotated frame, for as long as the capture is open). */
typedef struct {
    const pn_entry_t *entry;
    gint32 start;               /* the port's bytes in the frame; -1 when elsewhere */
    guint16 port;
    guint8 length;
    guint8 role;                /* pn_role_t */
    guint8 is_src;              /* the packet's source port (else destination) */
} pn_note_t;

typedef struct {
    guint count;
    pn_note_t notes[];          /* count notes */
} pn_frame_notes_t;

void portnote_register_stats(void);

#endif /* PORTNOTE_TAP_H */
