/* portnote-evidence.c
 * What a port's notes say once the traffic has been seen (see
 * portnote-evidence.h).  A warning is earned by what this traffic shows,
 * not by what the port number is known for:
 *   - the service's own notes weigh what the exposure makes of them
 *     (data/RUBRIC.md): a worm's way in is routine between local hosts and
 *     high from outside; amplification counts only when it is seen;
 *   - software that merely uses the port number (the row's also_ half) is
 *     context unless the payload contradicts the port, or the rubric says
 *     the squatter is the likelier explanation (a trojan-only port);
 *   - the payload contradicts the port: the full notes, and the finding.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "portnote-evidence.h"

static const char *mismatch_categories[] = { "protocol-mismatch", "non-standard-port", NULL };
static const char *non_standard_categories[] = { "non-standard-port", NULL };
static const char *no_categories[] = { NULL };

/** Whether the payload contradicts the port (a mismatch, or a known protocol off its ports). */
gboolean pn_note_is_finding(const pn_note_t *note)
{
    return note->verdict == PN_VERDICT_MISMATCH || note->verdict == PN_VERDICT_NON_STANDARD;
}

/** Whether the software squatting on the port counts: the payload points
 * away from the service, or nothing confirmed a service that is rarer than
 * its squatters. */
gboolean pn_note_also_stands(const pn_note_t *note)
{
    if (pn_note_is_finding(note))
        return TRUE;
    return note->verdict != PN_VERDICT_CONFIRMED && pn_entry_squatter_likelier(note->entry);
}

/** The categories a finding adds (a mismatch is also a known protocol off its port). */
char **pn_note_finding_categories(const pn_note_t *note)
{
    if (note->verdict == PN_VERDICT_MISMATCH)
        return (char **)mismatch_categories;
    return (char **)(note->verdict == PN_VERDICT_NON_STANDARD ? non_standard_categories
                                                              : no_categories);
}

/** A finding's own weight: a port speaking another port's protocol is worse
 * than a known protocol on a port that has none; a web server on a port of
 * its choosing (development servers, admin pages, APIs) is everyday, so it
 * only counts for what the port's own notes say. */
static pn_risk_t finding_risk(const pn_note_t *note)
{
    switch (note->verdict) {
    case PN_VERDICT_MISMATCH:
        return PN_RISK_HIGH;
    case PN_VERDICT_NON_STANDARD:
        return note->observed == PN_PROTO_HTTP ? PN_RISK_LOW : PN_RISK_MEDIUM;
    default:
        return PN_RISK_NONE;
    }
}

/** The note's risk under the evidence rule above. */
pn_risk_t pn_note_risk(const pn_note_t *note)
{
    const pn_entry_t *e = note->kind == PN_NOTE_DOCUMENTED ? note->entry : NULL;
    pn_risk_t risk = PN_RISK_NONE;

    if (e) {
        risk = pn_entry_own_risk(e, (pn_exposure_t)note->exposure, (note->flags & PN_FLAG_AMPLIFYING) != 0);
        if (pn_note_also_stands(note))
            risk = MAX(risk, e->also.risk);
    }
    return MAX(risk, finding_risk(note));
}

/** What the row says of this note's exposure in particular, or NULL. */
const char *pn_note_exposure_note(const pn_note_t *note)
{
    const pn_entry_t *e = note->kind == PN_NOTE_DOCUMENTED ? note->entry : NULL;

    pn_exposure_t rated = note->exposure == PN_EXPOSURE_UNKNOWN ? PN_EXPOSURE_EXTERNAL
                                                                : (pn_exposure_t)note->exposure;

    return e && e->exposure.has_note[rated] ? e->exposure.note : NULL;
}

/* Amplification is judged over a few exchanges, so that one large answer
 * (a zone's DNSKEY set) is not a reflection. */
#define PN_AMPLIFICATION_ANSWERS 3
#define PN_AMPLIFICATION_FACTOR 10

/**
 * Whether a UDP service is seen amplifying: over several answers, answers
 * carrying at least ten times the requests' bytes, or answers with no
 * request at all (the victim's side of a reflection, where the forged
 * requests were sent elsewhere).
 */
gboolean pn_amplification_seen(guint64 request_bytes, guint32 requests, guint64 answer_bytes,
                               guint32 answers)
{
    if (answers < PN_AMPLIFICATION_ANSWERS)
        return FALSE;
    if (requests == 0)
        return TRUE;
    return answer_bytes >= PN_AMPLIFICATION_FACTOR * MAX(request_bytes, 1);
}

/** The categories that stand, in the order they are shown: the finding's,
 * the service's own, and those of the software on its port unless the
 * payload confirmed the service.  Unused lists are NULL. */
void pn_note_categories(const pn_note_t *note, char **lists[PN_CATEGORY_LISTS])
{
    const pn_entry_t *e = note->entry;

    lists[0] = pn_note_finding_categories(note);
    lists[1] = e ? e->own.categories : NULL;
    lists[2] = e && pn_note_also_stands(note) ? e->also.categories : NULL;
}

/** The threats that stand: the service's own, then those of the software
 * on its port unless the payload confirmed the service. */
void pn_note_threats(const pn_note_t *note, char **lists[PN_THREAT_LISTS])
{
    const pn_entry_t *e = note->entry;

    lists[0] = e ? e->own.threats : NULL;
    lists[1] = e && pn_note_also_stands(note) ? e->also.threats : NULL;
}

/** Software known to use the port number that this traffic is not (the
 * payload confirmed the port's own protocol); NULL when there is none. */
char **pn_note_context(const pn_note_t *note)
{
    return note->entry && !pn_note_also_stands(note) ? note->entry->also.threats : NULL;
}

/** Appends text with the characters that separate exported values replaced:
 * '|' (the aggregator of the export recipes) and '"' (CSV quoting). */
static void append_clean(GString *out, const char *text)
{
    for (const char *p = text; *p; p++)
        g_string_append_c(out, *p == '|' ? '/' : *p == '"' ? '\'' : *p);
}

static void append_list(GString *out, char **items, gboolean *first)
{
    for (char **item = items; item && *item; item++) {
        g_string_append(out, *first ? "" : ", ");
        append_clean(out, *item);
        *first = FALSE;
    }
}

/**
 * One self-contained value per note for exports, so that a CSV row can
 * never pair a value with the wrong port:
 *   "23/tcp server Telnet; risk high; threats Mirai, Tiny Telnet Server"
 *   "22/tcp server SSH; risk high; protocol-mismatch: http payload"
 * Free with g_free().
 */
char *pn_note_summary(const pn_note_t *note, const char *service)
{
    GString *out = g_string_new(NULL);
    pn_risk_t risk = pn_note_risk(note);
    char **threats[PN_THREAT_LISTS];
    gboolean first = TRUE;

    g_string_append_printf(out, "%u/%s %s ", note->port, pn_transport_name((pn_transport_t)note->transport),
                           pn_role_name((pn_role_t)note->role));
    append_clean(out, service);
    if (risk != PN_RISK_NONE)
        g_string_append_printf(out, "; risk %s", pn_risk_name(risk));
    if (note->exposure != PN_EXPOSURE_UNKNOWN)
        g_string_append_printf(out, "; %s", pn_exposure_name((pn_exposure_t)note->exposure));
    if ((note->flags & PN_FLAG_AMPLIFYING) && note->kind == PN_NOTE_DOCUMENTED && pn_entry_amplifies(note->entry))
        g_string_append(out, "; answers amplified");
    pn_note_threats(note, threats);
    for (int l = 0; l < PN_THREAT_LISTS; l++) {
        if (threats[l] && threats[l][0] && first)
            g_string_append(out, "; threats ");
        append_list(out, threats[l], &first);
    }
    if (pn_note_is_finding(note))
        g_string_append_printf(out, "; %s: %s payload", pn_verdict_name((pn_verdict_t)note->verdict),
                               pn_proto_name((pn_proto_t)note->observed));
    else if (note->verdict == PN_VERDICT_CONFIRMED)
        g_string_append_printf(out, "; confirmed: %s payload", pn_proto_name((pn_proto_t)note->observed));
    if (note->tunnelled != PN_PROTO_NONE)
        g_string_append_printf(out, "; tunnelled: %s payload", pn_proto_name((pn_proto_t)note->tunnelled));
    return g_string_free(out, FALSE);
}
