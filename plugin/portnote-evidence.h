/* portnote-evidence.h
 * One annotated port of a frame (a "note") and the rule that decides what
 * it says once the payload check has spoken: which risk, categories and
 * threats stand, and which become mere context.  Plain C + GLib, no epan:
 * the glue keeps the notes per frame and shows them; the statistics tree
 * counts them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_EVIDENCE_H
#define PORTNOTE_EVIDENCE_H

#include <glib.h>

#include "portnote-db.h"
#include "portnote-payload.h"

G_BEGIN_DECLS

/** The most notes one frame carries (ports of every layer, findings). */
#define PN_MAX_NOTES 16

typedef enum {
    PN_NOTE_DOCUMENTED,         /* a row of the notes database */
    PN_NOTE_IANA,               /* only an IANA service name (a preference): no notes, no risk */
    PN_NOTE_UNDOCUMENTED        /* no row: annotated only because the payload check found something */
} pn_note_kind_t;

/* What happened to a note in this frame (pn_note_t.flags). */
enum {
    PN_FLAG_FIRST_IN_CONV = 1 << 0,     /* the conversation's first frame with this note */
    PN_FLAG_VERDICT_CHANGED = 1 << 1,   /* first pass only: the payload just changed the note */
    PN_FLAG_DECIDED_HERE = 1 << 2,      /* the verdict was reached in this frame */
    PN_FLAG_AMPLIFYING = 1 << 3,        /* the conversation's answers dwarf its requests */
    PN_FLAG_FIRST_IN_SERVICE = 1 << 4   /* the server service's first frame with this note,
                                         * verdict and exposure: where Expert Info goes */
};

/* One annotated port of a frame, found afresh on every pass. */
typedef struct {
    const pn_entry_t *entry;    /* the port's row; NULL for IANA and undocumented notes */
    gint32 start;               /* the port's bytes in the frame; -1 when elsewhere */
    guint16 port;
    guint8 length;
    guint8 role;                /* pn_role_t */
    guint8 is_src;              /* the packet's source port (else destination) */
    guint8 kind;                /* pn_note_kind_t */
    guint8 transport;           /* pn_transport_t */
    guint8 verdict;             /* pn_verdict_t of the conversation's payload for this port */
    guint8 observed;            /* pn_proto_t the payload looks like, or none */
    guint8 flags;               /* PN_FLAG_* */
    guint8 both_sides;          /* both ends of the layer use this port (53 to 53) */
    guint8 exposure;            /* pn_exposure_t of the conversation */
    guint8 tunnelled;           /* pn_proto_t a proxy's or upgrade's tunnel carries, or none */
} pn_note_t;

/* How many NULL-terminated lists pn_note_categories() and pn_note_threats() give. */
#define PN_CATEGORY_LISTS 3
#define PN_THREAT_LISTS 2

pn_risk_t pn_note_risk(const pn_note_t *note);
void pn_note_categories(const pn_note_t *note, char **lists[PN_CATEGORY_LISTS]);
void pn_note_threats(const pn_note_t *note, char **lists[PN_THREAT_LISTS]);
char **pn_note_context(const pn_note_t *note);
gboolean pn_note_is_finding(const pn_note_t *note);
gboolean pn_note_also_stands(const pn_note_t *note);
char **pn_note_finding_categories(const pn_note_t *note);

const char *pn_note_exposure_note(const pn_note_t *note);

gboolean pn_amplification_seen(guint64 request_bytes, guint32 requests, guint64 answer_bytes,
                               guint32 answers);

char *pn_note_summary(const pn_note_t *note, const char *service);

G_END_DECLS

#endif /* PORTNOTE_EVIDENCE_H */
