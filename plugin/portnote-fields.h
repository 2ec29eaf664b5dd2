/* portnote-fields.h
 * What PortNote registers with Wireshark (portnote-fields.c: fields and
 * subtrees; portnote-expert.c: Expert Info), and the values its fields
 * take that the display and the taps share (a note's service).
 * portnote_register_fields(), which registers them all, is in
 * portnote-glue.h for packet-portnote.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_FIELDS_H
#define PORTNOTE_FIELDS_H

#include <epan/address.h>
#include <epan/proto.h>
#include <epan/expert.h>

#include "portnote-evidence.h"

/* ---- portnote-fields.c ---------------------------------------------------- */

extern int hf_portnote_max_risk;
extern int hf_portnote_summary;
extern int hf_portnote_port;
extern int hf_portnote_transport;
extern int hf_portnote_role;
extern int hf_portnote_service;
extern int hf_portnote_description;
extern int hf_portnote_risk;
extern int hf_portnote_category;
extern int hf_portnote_threat;
extern int hf_portnote_also_used_by;
extern int hf_portnote_note;
extern int hf_portnote_source;
extern int hf_portnote_defined_at;
extern int hf_portnote_evidence;
extern int hf_portnote_observed;
extern int hf_portnote_tunnelled;
extern int hf_portnote_iana_only;
extern int hf_portnote_exposure;

extern int ett_portnote;
extern int ett_portnote_note;

/* PortNote's registered field infos by id (from portnote_first_field_id
 * on, portnote_field_count of them), so that asking whether a field is
 * referenced reads its reference state directly: proto_field_is_referenced()
 * looks the field up on each call. */
extern header_field_info **portnote_field_infos;
extern int portnote_first_field_id;
extern int portnote_field_count;
extern header_field_info *portnote_protocol_info;  /* PortNote's own */

/* A set of PortNote's fields: bit (id - portnote_first_field_id) each. */
typedef guint64 pn_field_set_t;

/**
 * The fields anyone can see in this tree: all of them in a shown tree,
 * else those a filter, column, colour rule or export asks for (items no
 * one asks for would only be faked away by Wireshark, one call each).
 * Read once per packet: a filtered read asks it for most fields of every
 * note.
 */
static inline pn_field_set_t portnote_fields_wanted(proto_tree *tree)
{
    pn_field_set_t set = 0;

    if (!tree)
        return 0;
    if (PTREE_DATA(tree)->visible)
        return ~(pn_field_set_t)0;
    for (int i = 0; i < portnote_field_count; i++)
        if (portnote_field_infos[i]->ref_type != HF_REF_TYPE_NONE)
            set |= (pn_field_set_t)1 << i;
    return set;
}

/** The set of one field. */
static inline pn_field_set_t portnote_field_bit(int hf)
{
    return (pn_field_set_t)1 << (hf - portnote_first_field_id);
}

/** Whether a set of portnote_fields_wanted() holds the field. */
static inline gboolean portnote_field_in(pn_field_set_t set, int hf)
{
    return (set >> (hf - portnote_first_field_id)) & 1;
}

const char *portnote_note_service(const pn_note_t *note);

/* ---- portnote-expert.c ---------------------------------------------------- */

void portnote_register_expert(void);
expert_field *portnote_note_expert(const pn_note_t *note);
gboolean portnote_expert_changes_nothing(packet_info *pinfo, const proto_item *ti, const expert_field *ei);
gboolean portnote_expert_text_wanted(proto_tree *tree);

#endif /* PORTNOTE_FIELDS_H */
