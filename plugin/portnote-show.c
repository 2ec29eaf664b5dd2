/* portnote-show.c
 * Showing a frame's notes: one "Port Notes" item per packet, with the
 * packet's highest risk and one item per note (its self-contained
 * summary, and the note's fields below it); the text of its Expert Info
 * (the entries are portnote-expert.c's); the Info column.
 * Text from the notes files is only ever passed as a "%s" argument.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/expert.h>

#include "portnote-glue.h"
#include "portnote-fields.h"

/* Free text is cut into items of at most this many bytes, so that no
 * label reaches Wireshark's limit (ITEM_LABEL_LENGTH, with the field name)
 * and gets "[truncated]": after a sentence where one fits, else between
 * words outside parentheses, else between any words. */
#define PN_TEXT_PIECE 220

#define PN_PAYLOAD_SOURCE "The protocols' public specifications (RFCs, vendors' protocol " \
    "documents), which PortNote's payload check compares the conversation's first payloads with"
#define PN_IANA_SOURCE "IANA Service Name and Transport Protocol Port Number Registry, " \
    "as known to Wireshark's resolver (services file); not in the notes database"

/* ---- What a note says -------------------------------------------------- */

static const char *transport_of(const pn_note_t *note)
{
    return pn_transport_name((pn_transport_t)note->transport);
}

static const char *observed_of(const pn_note_t *note)
{
    return pn_proto_name((pn_proto_t)note->observed);
}

/** Lists joined by ", " ("" when all are empty). */
static char *join_lists(wmem_allocator_t *scope, char **const *lists, int count)
{
    wmem_strbuf_t *text = wmem_strbuf_new(scope, "");

    for (int l = 0; l < count; l++)
        for (char **item = lists[l]; item && *item; item++)
            wmem_strbuf_append_printf(text, "%s%s", wmem_strbuf_get_len(text) ? ", " : "", *item);
    return wmem_strbuf_finalize(text);
}

/** The categories that stand, joined by ", ". */
static char *categories_text(wmem_allocator_t *scope, const pn_note_t *note)
{
    char **lists[PN_CATEGORY_LISTS];

    pn_note_categories(note, lists);
    return join_lists(scope, lists, PN_CATEGORY_LISTS);
}

/** The threats that stand, joined by ", ". */
static char *threats_text(wmem_allocator_t *scope, const pn_note_t *note)
{
    char **lists[PN_THREAT_LISTS];

    pn_note_threats(note, lists);
    return join_lists(scope, lists, PN_THREAT_LISTS);
}

/** "ssh", "http or tls": the protocols whose own port this is. */
static const char *own_protocols_text(wmem_allocator_t *scope, const pn_note_t *note)
{
    pn_proto_set_t own = pn_port_protocols((pn_transport_t)note->transport, note->port);
    wmem_strbuf_t *text = wmem_strbuf_new(scope, "");

    for (int p = 1; p < PN_PROTO_COUNT; p++)
        if (own & PN_PROTO_BIT(p))
            wmem_strbuf_append_printf(text, "%s%s", wmem_strbuf_get_len(text) ? " or " : "",
                                      pn_proto_name((pn_proto_t)p));
    return wmem_strbuf_finalize(text);
}

/** The plain-words note of a payload finding. */
static const char *finding_note(wmem_allocator_t *scope, const pn_note_t *note)
{
    if (note->verdict == PN_VERDICT_MISMATCH)
        return wmem_strdup_printf(scope,
            "Port %u/%s belongs to %s, but this conversation speaks %s: a tunnel, backdoor or "
            "scan behind the port, or a service moved onto it. Going by the port, Wireshark "
            "may decode it as the wrong protocol.",
            note->port, transport_of(note), own_protocols_text(scope, note), observed_of(note));
    return wmem_strdup_printf(scope,
        "The server on %u/%s speaks %s, a protocol that does not use this port: a backdoor "
        "or tunnel (an SSH or web server on 31337), or a service moved out of sight.",
        note->port, transport_of(note), observed_of(note));
}

/** "23/tcp Telnet (server)" */
static const char *note_title(wmem_allocator_t *scope, const pn_note_t *note)
{
    return wmem_strdup_printf(scope, "%u/%s %s (%s)%s", note->port, transport_of(note),
                              portnote_note_service(note), pn_role_name((pn_role_t)note->role),
                              note->kind == PN_NOTE_IANA ? " [IANA name only]" : "");
}

/** The one-line summary: title, risk, what stands, and what the payload showed. */
static const char *note_line(wmem_allocator_t *scope, const pn_note_t *note)
{
    wmem_strbuf_t *text = wmem_strbuf_new(scope, note_title(scope, note));
    pn_risk_t risk = pn_note_risk(note);
    const char *categories = categories_text(scope, note);

    if (risk != PN_RISK_NONE)
        wmem_strbuf_append_printf(text, ", risk %s", pn_risk_name(risk));
    if (pn_note_is_finding(note))
        wmem_strbuf_append_printf(text, ": %s, %s payload", pn_verdict_name((pn_verdict_t)note->verdict),
                                  observed_of(note));
    else if (risk != PN_RISK_NONE && *categories)
        wmem_strbuf_append_printf(text, ": %s", categories);
    if (note->verdict == PN_VERDICT_CONFIRMED)
        wmem_strbuf_append_printf(text, " [payload: %s]", observed_of(note));
    return wmem_strbuf_finalize(text);
}

/* ---- Tree items ---------------------------------------------------------- */

#define WANTED(set, hf) portnote_field_in(set, hf)

static void add_text(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, const char *text)
{
    if (text && *text)
        proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, start, 0, text));
}

/** Whether a sentence ends before text[at] (a space): ". ", "?) " or
 * ".\" " followed by a capital or digit, so that "e.g. x" is no end. */
static gboolean sentence_ends_at(const char *text, size_t at)
{
    size_t end = at;

    while (end > 0 && (text[end - 1] == ')' || text[end - 1] == '"'))
        end--;
    return end > 0 && strchr(".!?", text[end - 1])
        && (g_ascii_isupper(text[at + 1]) || g_ascii_isdigit(text[at + 1]));
}

/** Where a piece of at most PN_TEXT_PIECE bytes of text should end (text
 * longer than that): the last sentence end that fits, else the last space
 * outside parentheses, else the last space, else a character boundary. */
static size_t piece_end(const char *text, size_t len)
{
    size_t sentence = 0, outside = 0, any = 0, cut;
    int depth = 0;

    for (size_t i = 0; i < len && i <= PN_TEXT_PIECE; i++) {
        if (text[i] == '(')
            depth++;
        else if (text[i] == ')' && depth > 0)
            depth--;
        else if (text[i] == ' ' && i > 0) {
            any = i;
            if (depth == 0)
                outside = i;
            if (depth == 0 && sentence_ends_at(text, i))
                sentence = i;
        }
    }
    if (sentence || outside || any)
        return sentence ? sentence : outside ? outside : any;
    cut = PN_TEXT_PIECE;
    while (cut > 0 && (text[cut] & 0xC0) == 0x80)  /* not inside a UTF-8 character */
        cut--;
    return cut;
}

/** Adds free text as items of the same field, cut where it reads well. */
static void add_text_pieces(wmem_allocator_t *scope, proto_tree *tree, int hf, tvbuff_t *tvb,
                            gint start, const char *text)
{
    size_t len = strlen(text);

    while (len > 0) {
        size_t end = len <= PN_TEXT_PIECE ? len : piece_end(text, len);
        add_text(tree, hf, tvb, start, wmem_strndup(scope, text, end));
        while (end < len && text[end] == ' ')
            end++;
        text += end;
        len -= end;
    }
}

/** Adds free text only when someone can see the field: cutting it costs
 * allocations, and a filtered read would pay them for every note. */
static inline void add_long_text(pn_field_set_t wanted, wmem_allocator_t *scope, proto_tree *tree, int hf,
                                 tvbuff_t *tvb, gint start, const char *text)
{
    if (text && WANTED(wanted, hf))
        add_text_pieces(scope, tree, hf, tvb, start, text);
}

static void add_list(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, char *const *items)
{
    for (char *const *item = items; item && *item; item++)
        add_text(tree, hf, tvb, start, *item);
}

/** The note's categories and threats, each only when someone can see it. */
static void add_note_lists(pn_field_set_t wanted, proto_tree *pt, tvbuff_t *tvb, gint start,
                           const pn_note_t *note)
{
    char **categories[PN_CATEGORY_LISTS], **threats[PN_THREAT_LISTS];

    if (WANTED(wanted, hf_portnote_category)) {
        pn_note_categories(note, categories);
        for (int l = 0; l < PN_CATEGORY_LISTS; l++)
            add_list(pt, hf_portnote_category, tvb, start, categories[l]);
    }
    if (WANTED(wanted, hf_portnote_threat)) {
        pn_note_threats(note, threats);
        for (int l = 0; l < PN_THREAT_LISTS; l++)
            add_list(pt, hf_portnote_threat, tvb, start, threats[l]);
    }
    if (WANTED(wanted, hf_portnote_also_used_by))
        add_list(pt, hf_portnote_also_used_by, tvb, start, pn_note_context(note));
}

/** The note's plain-words texts: the finding, the notes, the sources. */
static void add_note_texts(pn_field_set_t wanted, proto_tree *pt, tvbuff_t *tvb, packet_info *pinfo,
                           gint start, const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;
    gboolean finding = pn_note_is_finding(note);

    if (WANTED(wanted, hf_portnote_note)) {
        if (finding)
            add_long_text(wanted, pinfo->pool, pt, hf_portnote_note, tvb, start, finding_note(pinfo->pool, note));
        if (e) {
            add_long_text(wanted, pinfo->pool, pt, hf_portnote_note, tvb, start, pn_note_exposure_note(note));
            add_long_text(wanted, pinfo->pool, pt, hf_portnote_note, tvb, start, e->own.note);
            add_long_text(wanted, pinfo->pool, pt, hf_portnote_note, tvb, start,
                          pn_note_also_stands(note) ? e->also.note : NULL);
        }
    }
    if (WANTED(wanted, hf_portnote_source)) {
        add_long_text(wanted, pinfo->pool, pt, hf_portnote_source, tvb, start,
                      e ? e->source : note->kind == PN_NOTE_IANA ? PN_IANA_SOURCE : NULL);
        if (finding)
            add_long_text(wanted, pinfo->pool, pt, hf_portnote_source, tvb, start, PN_PAYLOAD_SOURCE);
    }
    if (e && WANTED(wanted, hf_portnote_defined_at))
        add_text(pt, hf_portnote_defined_at, tvb, start, e->origin);
}

/** The note's risk, when it has one (portnote.risk is absent otherwise). */
static void add_risk(proto_tree *pt, tvbuff_t *tvb, gint start, const pn_note_t *note)
{
    pn_risk_t risk = pn_note_risk(note);

    if (risk != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_portnote_risk, tvb, start, 0, risk));
}

/** The fields of one note, under its summary item: only those someone
 * can see. */
static void add_note_fields(pn_field_set_t wanted, proto_tree *pt, tvbuff_t *tvb, packet_info *pinfo,
                            gint start, guint length, const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;

    if (WANTED(wanted, hf_portnote_port))
        proto_tree_add_uint(pt, hf_portnote_port, tvb, start, length, note->port);
    if (WANTED(wanted, hf_portnote_transport))
        add_text(pt, hf_portnote_transport, tvb, start, transport_of(note));
    if (WANTED(wanted, hf_portnote_role))
        add_text(pt, hf_portnote_role, tvb, start, pn_role_name((pn_role_t)note->role));
    if (WANTED(wanted, hf_portnote_service))
        add_text(pt, hf_portnote_service, tvb, start, portnote_note_service(note));
    if (note->kind == PN_NOTE_IANA && WANTED(wanted, hf_portnote_iana_only))
        proto_item_set_generated(proto_tree_add_boolean(pt, hf_portnote_iana_only, tvb, start, 0, TRUE));
    if (e)
        add_long_text(wanted, pinfo->pool, pt, hf_portnote_description, tvb, start, e->description);
    if (WANTED(wanted, hf_portnote_risk))
        add_risk(pt, tvb, start, note);
    add_note_lists(wanted, pt, tvb, start, note);
    if (note->exposure != PN_EXPOSURE_UNKNOWN && WANTED(wanted, hf_portnote_exposure))
        add_text(pt, hf_portnote_exposure, tvb, start, pn_exposure_name((pn_exposure_t)note->exposure));
    if (WANTED(wanted, hf_portnote_evidence))
        add_text(pt, hf_portnote_evidence, tvb, start, note->verdict != PN_VERDICT_NONE ? "payload" : "port");
    if (note->observed != PN_PROTO_NONE && WANTED(wanted, hf_portnote_observed))
        add_text(pt, hf_portnote_observed, tvb, start, observed_of(note));
    if (note->tunnelled != PN_PROTO_NONE && WANTED(wanted, hf_portnote_tunnelled))
        add_text(pt, hf_portnote_tunnelled, tvb, start, pn_proto_name((pn_proto_t)note->tunnelled));
    add_note_texts(wanted, pt, tvb, pinfo, start, note);
}

/* ---- Expert Info and the Info column ------------------------------------- */

static gboolean raises_expert(const pn_note_t *notes, guint count)
{
    for (guint i = 0; i < count; i++)
        if (portnote_note_expert(&notes[i]))
            return TRUE;
    return FALSE;
}

/**
 * Raises the note's Expert Info, if it has one in this frame.  The text
 * names the port, service and risk but no address, so that the Expert
 * dialog groups it across conversations.
 */
static void add_expert(packet_info *pinfo, proto_item *ti, const pn_note_t *note, gboolean with_text)
{
    expert_field *ei = portnote_note_expert(note);
    const char *threats;

    if (!ei)
        return;
    if (!with_text) {
        if (!portnote_expert_changes_nothing(pinfo, ti, ei))
            expert_add_info(pinfo, ti, ei);     /* still counts: the status bar's severity */
        return;
    }
    threats = pn_note_is_finding(note) ? "" : threats_text(pinfo->pool, note);
    expert_add_info_format(pinfo, ti, ei, "%s%s%s", note_line(pinfo->pool, note),
                           *threats ? "; threats: " : "", threats);
}

static void add_info_column(packet_info *pinfo, const pn_note_t *note)
{
    pn_risk_t risk = pn_note_risk(note);

    if (pn_note_is_finding(note))
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s: %s payload, %s]", note->port,
                            transport_of(note), portnote_note_service(note), observed_of(note),
                            pn_verdict_name((pn_verdict_t)note->verdict));
    else if (risk != PN_RISK_NONE)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s: %s risk]", note->port,
                            transport_of(note), portnote_note_service(note), pn_risk_name(risk));
    else
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s]", note->port, transport_of(note),
                            portnote_note_service(note));
}

/* ---- The packet's item ------------------------------------------------- */

static pn_risk_t highest_risk(const pn_note_t *notes, guint count)
{
    pn_risk_t highest = PN_RISK_NONE;

    for (guint i = 0; i < count; i++)
        highest = MAX(highest, pn_note_risk(&notes[i]));
    return highest;
}

/** The packet item's text: "Port Notes: 23/tcp Telnet (server), highest risk high". */
static void set_top_text(proto_item *top, wmem_allocator_t *scope, const pn_note_t *notes,
                         guint count, pn_risk_t highest)
{
    wmem_strbuf_t *text = wmem_strbuf_new(scope, "Port Notes: ");

    for (guint i = 0; i < count; i++)
        wmem_strbuf_append_printf(text, "%s%s", i ? "; " : "", note_title(scope, &notes[i]));
    if (highest != PN_RISK_NONE)
        wmem_strbuf_append_printf(text, ", highest risk %s", pn_risk_name(highest));
    proto_item_set_text(top, "%s", wmem_strbuf_get_str(text));
}

/** One note's item: its summary as the value when that is wanted, its
 * one-line text when the tree is shown. */
static proto_item *add_note_item(pn_field_set_t wanted, proto_tree *pt, tvbuff_t *tvb, packet_info *pinfo,
                                 const pn_note_t *note, gboolean visible)
{
    gint start = MAX(note->start, 0);
    char *summary = WANTED(wanted, hf_portnote_summary)
        ? pn_note_summary(note, portnote_note_service(note)) : NULL;
    proto_item *ti = proto_tree_add_string(pt, hf_portnote_summary, tvb, start, note->length,
                                           summary ? summary : "");

    g_free(summary);
    if (visible)
        proto_item_set_text(ti, "%s", note_line(pinfo->pool, note));
    return ti;
}

/** The packet's "Port Notes" item and, below it, one item per note. */
static void add_tree(pn_field_set_t wanted, tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                     const pn_note_t *notes, guint count, gboolean expert_text)
{
    pn_risk_t highest = highest_risk(notes, count);
    gboolean visible = PTREE_DATA(tree)->visible;
    proto_item *top = proto_tree_add_item(tree, proto_portnote, tvb, 0, 0, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(top, ett_portnote);

    if (visible)
        set_top_text(top, pinfo->pool, notes, count, highest);
    if (highest != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_portnote_max_risk, tvb, 0, 0, highest));
    for (guint i = 0; i < count; i++) {
        proto_item *ti = add_note_item(wanted, pt, tvb, pinfo, &notes[i], visible);
        add_note_fields(wanted, proto_item_add_subtree(ti, ett_portnote_note), tvb, pinfo,
                        MAX(notes[i].start, 0), notes[i].length, &notes[i]);
        add_expert(pinfo, ti, &notes[i], expert_text);
    }
}

/** Each note's wanted fields, straight under the root of a hidden tree. */
static void add_fields_only(pn_field_set_t wanted, tvbuff_t *tvb, packet_info *pinfo, proto_tree *root,
                            const pn_note_t *notes, guint count)
{
    pn_risk_t highest = WANTED(wanted, hf_portnote_max_risk) ? highest_risk(notes, count) : PN_RISK_NONE;

    /* A filter on the risk alone (`-Y portnote.risk`, the most common
     * read) gets its items and nothing is asked of the other fields. */
    if ((wanted & ~portnote_field_bit(hf_portnote_risk)) == 0) {
        for (guint i = 0; i < count; i++) {
            if (wanted)
                add_risk(root, tvb, MAX(notes[i].start, 0), &notes[i]);
            add_expert(pinfo, NULL, &notes[i], FALSE);
        }
        return;
    }

    if (highest != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(root, hf_portnote_max_risk, tvb, 0, 0, highest));
    for (guint i = 0; i < count; i++) {
        const pn_note_t *note = &notes[i];
        if (WANTED(wanted, hf_portnote_summary))
            add_note_item(wanted, root, tvb, pinfo, note, FALSE);
        add_note_fields(wanted, root, tvb, pinfo, MAX(note->start, 0), note->length, note);
        add_expert(pinfo, NULL, note, FALSE);
    }
}

/**
 * Whether a hidden tree asks only for some of PortNote's fields (a filter,
 * column or colour rule on portnote.risk, say), not for its item: no one
 * names the protocol itself or reads Expert Info (which needs items to
 * hang on), and protocols may be faked.  The fields then go straight
 * under the root: the item and one item per note are what a filtered read
 * would otherwise pay most for, and the root's children are never faked.
 */
static gboolean only_fields_wanted(proto_tree *tree, gboolean expert_text)
{
    return !PTREE_DATA(tree)->visible && PTREE_DATA(tree)->fake_protocols
        && portnote_protocol_info->ref_type == HF_REF_TYPE_INDIRECT && !expert_text;
}

/**
 * Shows the frame's notes, paying only for what someone can see: items
 * nobody can see (no visible tree, no filter, column or colour rule on
 * portnote) would be faked away one by one, so they are skipped; texts
 * (labels, summaries, Expert Info messages) are built only for a shown
 * tree or a consumer of them.  Expert Info itself is always raised.
 */
void portnote_show(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                   const pn_note_t *notes, guint count)
{
    gboolean expert_text = raises_expert(notes, count) && portnote_expert_text_wanted(tree);

    for (guint i = 0; i < count; i++)
        if (portnote_prefs.info_column)
            add_info_column(pinfo, &notes[i]);
    /* Expert Info's items (what a filter on _ws.expert reads) need the
     * notes' items to hang on. */
    if (!tree || (!proto_field_is_referenced(tree, proto_portnote) && !expert_text)) {
        for (guint i = 0; i < count; i++)
            add_expert(pinfo, NULL, &notes[i], expert_text);
    } else if (only_fields_wanted(tree, expert_text)) {
        add_fields_only(portnote_fields_wanted(tree), tvb, pinfo, tree, notes, count);
    } else {
        add_tree(portnote_fields_wanted(tree), tvb, pinfo, tree, notes, count, expert_text);
    }
}

