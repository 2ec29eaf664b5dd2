/* portnote-tap.h
 * What PortNote hands its tap listeners (the statistics tree in
 * portnote-stats.c, the findings per conversation in portnote-findings.c)
 * for every frame with notes, on every pass: the frame's notes with the
 * conversation's payload verdict applied.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_TAP_H
#define PORTNOTE_TAP_H

#include <epan/tap.h>

#include "portnote-evidence.h"

#define PN_TAP_NAME "portnote"

typedef struct {
    guint count;
    const pn_note_t *notes;
    gboolean conversation_starts;   /* the conversation's first frame with notes */
    const void *conversation;       /* identifies the packet's conversation */
} pn_tap_notes_t;

gboolean pn_tap_listen(const char *cli, const char *opt_arg, void *data, tap_reset_cb reset,
                       tap_packet_cb packet, tap_draw_cb draw, tap_finish_cb finish);

/* The return of a stat_tap_ui's init callback: bool since 4.2, void before. */
#ifdef PORTNOTE_TAP_INIT_RETURNS_BOOL
#define PN_TAP_INIT_RESULT bool
#define PN_TAP_INIT_RETURN(ok) return (ok)
#else
#define PN_TAP_INIT_RESULT void
#define PN_TAP_INIT_RETURN(ok) (void)(ok)
#endif

void portnote_register_stats(void);
void portnote_register_findings(void);
void portnote_register_services_view(void);
void portnote_register_services_table(void);

#endif /* PORTNOTE_TAP_H */
