/* portnote-evidence.c
 * What a port's notes say once the payload has been seen (see
 * portnote-evidence.h):
 *   - the payload confirms the port's own protocol: only the service's
 *     own notes stand; software that merely uses the port number (the
 *     row's also_ half) is context, never a threat or a risk;
 *   - nothing seen yet, or nothing recognised: the port's full notes;
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

/** Whether the software squatting on the port still counts (the service is not confirmed). */
gboolean pn_note_also_stands(const pn_note_t *note)
{
    return note->verdict != PN_VERDICT_CONFIRMED;
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
    pn_risk_t risk = note->kind == PN_NOTE_DOCUMENTED
        ? pn_entry_risk(note->entry, !pn_note_also_stands(note)) : PN_RISK_NONE;

    return MAX(risk, finding_risk(note));
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
    return g_string_free(out, FALSE);
}
