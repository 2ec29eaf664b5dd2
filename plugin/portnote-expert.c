/* portnote-expert.c
 * PortNote's Expert Info: the table of entries (one per risk and kind of
 * finding, in the Security group), which entry a note raises in a frame,
 * and whether anyone can see the raising (the display builds the text).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/expert.h>
#include <epan/tap.h>

#include "portnote-glue.h"
#include "portnote-fields.h"

static expert_field ei_portnote_risk[PN_RISK_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT
};
/* A finding's Expert Info, by its risk (severity follows the risk, as for
 * the notes; the abbreviation names the kind of finding). */
static expert_field ei_portnote_mismatch[PN_RISK_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT
};
static expert_field ei_portnote_non_standard[PN_RISK_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT
};

/**
 * The Expert Info a note raises in this frame, or NULL: once per server
 * service (address, transport, port, note, verdict and exposure), in the
 * service's first frame (portnote-services.c).
 */
expert_field *portnote_note_expert(const pn_note_t *note)
{
    pn_risk_t risk;

    /* most notes are not their service's first: no risk to weigh */
    if (!(note->flags & PN_FLAG_FIRST_IN_SERVICE) || !portnote_prefs.expert_enabled)
        return NULL;
    risk = pn_note_risk(note);
    if (risk == PN_RISK_NONE || (gint)risk < portnote_prefs.expert_min_risk)
        return NULL;
    if (pn_note_is_finding(note))
        return note->verdict == PN_VERDICT_MISMATCH ? &ei_portnote_mismatch[risk] : &ei_portnote_non_standard[risk];
    return &ei_portnote_risk[risk];
}

/* PortNote's registered Expert Info.  Registration keeps pointers to these
 * entries (and to their fields): the Expert Info severity table (a UAT)
 * changes their severity in place, so expert_severity() reads the severity
 * in force, and filters mark their fields' reference state here. */
static ei_register_info expert_infos[] = {
    { &ei_portnote_risk[PN_RISK_LOW],
      { "portnote.risk.low", PI_SECURITY, PI_CHAT,
        "Port with a low-risk security note", EXPFILL }},
    { &ei_portnote_risk[PN_RISK_MEDIUM],
      { "portnote.risk.medium", PI_SECURITY, PI_NOTE,
        "Port with a medium-risk security note", EXPFILL }},
    { &ei_portnote_risk[PN_RISK_HIGH],
      { "portnote.risk.high", PI_SECURITY, PI_WARN,
        "Port with a high-risk security note", EXPFILL }},
    { &ei_portnote_risk[PN_RISK_CRITICAL],
      { "portnote.risk.critical", PI_SECURITY, PI_ERROR,
        "Port with a critical-risk security note", EXPFILL }},
    { &ei_portnote_mismatch[PN_RISK_HIGH],
      { "portnote.protocol_mismatch", PI_SECURITY, PI_WARN,
        "The payload is not the protocol of the port it uses", EXPFILL }},
    { &ei_portnote_mismatch[PN_RISK_CRITICAL],
      { "portnote.protocol_mismatch.critical", PI_SECURITY, PI_ERROR,
        "The payload is not the protocol of the port it uses (a port with a critical note)", EXPFILL }},
    { &ei_portnote_non_standard[PN_RISK_LOW],
      { "portnote.non_standard_port.low", PI_SECURITY, PI_CHAT,
        "A web server on a port that is not its own (and has no warning of its own)", EXPFILL }},
    { &ei_portnote_non_standard[PN_RISK_MEDIUM],
      { "portnote.non_standard_port", PI_SECURITY, PI_NOTE,
        "A known protocol on a port that is not its own", EXPFILL }},
    { &ei_portnote_non_standard[PN_RISK_HIGH],
      { "portnote.non_standard_port.high", PI_SECURITY, PI_WARN,
        "A known protocol on a port that is not its own, documented with a high-risk note", EXPFILL }},
    { &ei_portnote_non_standard[PN_RISK_CRITICAL],
      { "portnote.non_standard_port.critical", PI_SECURITY, PI_ERROR,
        "A known protocol on a port that is not its own, documented with a critical note", EXPFILL }},
};

/** The severity in force of one of PortNote's Expert Info fields. */
static int expert_severity(const expert_field *ei)
{
    for (size_t i = 0; i < G_N_ELEMENTS(expert_infos); i++)
        if (expert_infos[i].ids == ei)
            return expert_infos[i].eiinfo.severity;
    return PI_ERROR;
}

/**
 * Whether an Expert Info without text or item would change nothing anyone
 * sees: no column shows the packet's severity, and the capture's highest
 * severity (the status bar's) is already at least as high.  Raising it
 * costs Wireshark more than the rest of a packet's notes, and a port scan
 * raises it in every conversation's first packet.
 */
gboolean portnote_expert_changes_nothing(packet_info *pinfo, const proto_item *ti, const expert_field *ei)
{
    return !ti && !pinfo->cinfo && expert_severity(ei) <= expert_get_highest_severity();
}

/** Whether anyone can read an Expert Info's text: a shown tree, an expert
 * tap (tshark -z expert, Wireshark's dialog), or a filter, column or
 * colour rule on expert fields.  Building it costs more than the rest of
 * a packet's notes. */
gboolean portnote_expert_text_wanted(proto_tree *tree)
{
    static header_field_info *expert_protocol;
    static int expert_tap = -1;

    if (tree && PTREE_DATA(tree)->visible)
        return TRUE;
    if (expert_tap < 0)     /* both registered after PortNote */
        expert_tap = find_tap_id("expert");
    if (expert_tap >= 0 && have_tap_listener(expert_tap))
        return TRUE;
    if (!tree)
        return FALSE;
    if (!expert_protocol)
        expert_protocol = proto_registrar_get_nth(proto_get_id_by_filter_name("_ws.expert"));
    if (expert_protocol->ref_type != HF_REF_TYPE_NONE)
        return TRUE;
    /* each entry's field, as registered (read directly, as by portnote_fields_wanted()) */
    for (size_t i = 0; i < G_N_ELEMENTS(expert_infos); i++)
        if (expert_infos[i].eiinfo.hf_info.hfinfo.ref_type != HF_REF_TYPE_NONE)
            return TRUE;
    return FALSE;
}

/** Registers PortNote's Expert Info. */
void portnote_register_expert(void)
{
    expert_module_t *expert = expert_register_protocol(proto_portnote);

    expert_register_field_array(expert, expert_infos, array_length(expert_infos));
}
