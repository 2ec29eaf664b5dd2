/* portnote-tap.h
 * The notes PortNote found in one frame.  They are computed once, on the
 * first pass, kept as per-frame data, and handed to the tap listeners
 * (the statistics tree in portnote-stats.c) on every pass.
 *
 * A note is one of three kinds: a port the notes database documents, a
 * port only Wireshark's IANA service names know (a preference), or a
 * payload finding (the traffic is not what the port says).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_TAP_H
#define PORTNOTE_TAP_H

#include "portnote-db.h"
#include "portnote-payload.h"

#define PN_TAP_NAME "portnote"
#define PN_MAX_NOTES 16

typedef enum {
    PN_NOTE_DOCUMENTED,         /* a row of the notes database */
    PN_NOTE_IANA,               /* only an IANA service name; no notes, no risk */
    PN_NOTE_FINDING             /* a payload finding: protocol mismatch or non-standard port */
} pn_note_kind_t;

/* One annotated port (24 bytes: one is kept per annotated port of every
 * annotated frame, for as long as the capture is open). */
typedef struct {
    const pn_entry_t *entry;    /* the port's row; NULL when the database has none */
    gint32 start;               /* the port's bytes in the frame; -1 when elsewhere */
    guint16 port;
    guint8 length;
    guint8 role;                /* pn_role_t */
    guint8 is_src;              /* the packet's source port (else destination) */
    guint8 kind;                /* pn_note_kind_t */
    guint8 transport;           /* pn_transport_t */
    guint8 verdict;             /* pn_verdict_t: confirmed, or the finding's kind */
    guint8 observed;            /* pn_proto_t the payload looks like, or none */
    guint8 decided_here;        /* the finding was made in this frame */
} pn_note_t;

typedef struct {
    guint count;
    pn_note_t notes[];          /* count notes */
} pn_frame_notes_t;

void portnote_register_stats(void);

pn_risk_t portnote_note_risk(const pn_note_t *note);
const char *portnote_note_service(const pn_note_t *note);

#endif /* PORTNOTE_TAP_H */
