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
 * on), so that asking whether a field is referenced reads its reference
 * state directly: proto_field_is_referenced() looks the field up on each
 * call, and a filtered read asks it for most fields of every note. */
extern header_field_info **portnote_field_infos;
extern int portnote_first_field_id;
extern header_field_info *portnote_protocol_info;  /* PortNote's own */

/** Whether anyone can see a field: a shown tree, or a filter, column,
 * colour rule or export that asks for it (items no one asks for would
 * only be faked away by Wireshark, one call each). */
static inline gboolean portnote_field_wanted(proto_tree *tree, int hf)
{
    return tree && (PTREE_DATA(tree)->visible
                    || portnote_field_infos[hf - portnote_first_field_id]->ref_type != HF_REF_TYPE_NONE);
}

const char *portnote_note_service(const pn_note_t *note);

/* ---- portnote-expert.c ---------------------------------------------------- */

void portnote_register_expert(void);
expert_field *portnote_note_expert(const pn_note_t *note);
gboolean portnote_expert_changes_nothing(packet_info *pinfo, const proto_item *ti, const expert_field *ei);
gboolean portnote_expert_text_wanted(proto_tree *tree);

#endif /* PORTNOTE_FIELDS_H */
