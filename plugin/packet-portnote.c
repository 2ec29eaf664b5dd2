/* packet-portnote.c
 * PortNote: a post-dissector that tags every documented transport port of
 * a packet with its service and security notes, and checks the first
 * payload of each conversation against the port's protocol.  This file
 * registers it and ties the parts together (see portnote-glue.h); the
 * notes themselves live in the epan-free core (portnote-db.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto_data.h>
#include <epan/tap.h>

#include "portnote-glue.h"

void proto_register_portnote(void);
void proto_reg_handoff_portnote(void);

int proto_portnote = -1;

static dissector_handle_t portnote_handle;
static int portnote_tap = -1;
static int expert_tap = -1;
static gboolean switched_off;   /* for this capture file, because nothing can see it */

/* ---- Preferences -------------------------------------------------------- */

enum { EPHEMERAL_MODERN, EPHEMERAL_IANA, EPHEMERAL_LINUX, EPHEMERAL_LEGACY, EPHEMERAL_CUSTOM };

static const enum_val_t ephemeral_preset_vals[] = {
    { "modern", "IANA and Linux (32768-65535)", EPHEMERAL_MODERN },
    { "iana",   "IANA (49152-65535)",           EPHEMERAL_IANA },
    { "linux",  "Linux (32768-60999)",          EPHEMERAL_LINUX },
    { "legacy", "Older systems, as in the seed (1024-5000)", EPHEMERAL_LEGACY },
    { "custom", "Custom range (below)",         EPHEMERAL_CUSTOM },
    { NULL, NULL, 0 }
};
static const char *const ephemeral_preset_ranges[] = {
    "32768-65535", "49152-65535", "32768-60999", "1024-5000"
};

static const enum_val_t expert_risk_vals[] = {
    { "low",      "Low and above",    PN_RISK_LOW },
    { "medium",   "Medium and above", PN_RISK_MEDIUM },
    { "high",     "High and above",   PN_RISK_HIGH },
    { "critical", "Critical only",    PN_RISK_CRITICAL },
    { NULL, NULL, 0 }
};

pn_prefs_t portnote_prefs = {
    .expert_enabled = TRUE,
    .expert_min_risk = PN_RISK_LOW,
    .payload_check = TRUE,
};
static gint pref_ephemeral_preset = EPHEMERAL_MODERN;
static range_t *pref_ephemeral_custom;

/* Picks the ephemeral range in force after a preference change. */
static void portnote_prefs_apply(void)
{
    static range_t *presets[G_N_ELEMENTS(ephemeral_preset_ranges)];
    gint preset = pref_ephemeral_preset;

    if (preset < 0 || preset >= (gint)G_N_ELEMENTS(ephemeral_preset_ranges)) {
        portnote_prefs.ephemeral = pref_ephemeral_custom;
        return;
    }
    if (!presets[preset])
        range_convert_str(wmem_epan_scope(), &presets[preset],
                          ephemeral_preset_ranges[preset], 65535);
    portnote_prefs.ephemeral = presets[preset];
}

static void register_preferences(void)
{
    module_t *module = prefs_register_protocol(proto_portnote, portnote_prefs_apply);

    prefs_register_bool_preference(module, "expert_info", "Raise Expert Info for warnings",
        "Add an Expert Info item (Security group) once per conversation for each port with a warning",
        &portnote_prefs.expert_enabled);
    prefs_register_enum_preference(module, "expert_min_risk", "Minimum risk for Expert Info",
        "Ports whose risk is below this level get no Expert Info (they are still annotated)",
        &portnote_prefs.expert_min_risk, expert_risk_vals, FALSE);
    prefs_register_enum_preference(module, "ephemeral_preset", "Ephemeral (client) port range",
        "Ports that clients take as temporary source ports; when only one side of a "
        "connection is in this range, that side is the client",
        &pref_ephemeral_preset, ephemeral_preset_vals, FALSE);
    range_convert_str(wmem_epan_scope(), &pref_ephemeral_custom, "49152-65535", 65535);
    prefs_register_range_preference(module, "ephemeral_ports", "Custom ephemeral port range",
        "Used when the ephemeral range is set to \"Custom range\"", &pref_ephemeral_custom, 65535);
    prefs_register_bool_preference(module, "client_side_ports",
        "Annotate documented ports on the client side",
        "Also annotate a documented service port when it is the client's temporary "
        "port in this packet (it then does not mean the host runs that service)",
        &portnote_prefs.client_side_ports);
    prefs_register_bool_preference(module, "client_ranges", "Show client port ranges",
        "Also annotate a client's port with the database's client-port range it falls in "
        "(the seed's legacy ephemeral range 1024-5000); it never carries a warning",
        &portnote_prefs.client_ranges);
    prefs_register_bool_preference(module, "info_column", "Show notes in the Info column",
        "Append each documented port's service and risk to the Info column",
        &portnote_prefs.info_column);
    prefs_register_bool_preference(module, "payload_check", "Check payloads against the port",
        "Compare the first payloads of each direction of a TCP or UDP conversation with the "
        "port's protocol (from SSH, HTTP, TLS and DNS to SMB, RDP, databases, ICS, VPN and "
        "peer-to-peer protocols): a confirmed service drops the notes of software that only "
        "uses its port number; a mismatch is reported",
        &portnote_prefs.payload_check);
    prefs_register_bool_preference(module, "iana_names", "Show IANA names of undocumented ports",
        "For a server port the notes database does not document, show the IANA service "
        "name Wireshark knows (marked portnote.iana_only, with no risk)",
        &portnote_prefs.iana_names);
    prefs_register_uat_preference(module, "notes_table", "Port notes",
        "Add, override or silence port notes (saved as portnotes.csv in the profile)",
        portnote_register_notes_table());
    portnote_prefs_apply();
}

/* ---- The dissector ------------------------------------------------------ */

/**
 * Whether nothing can see what PortNote adds, now or later: tshark's only
 * pass printing packet summaries, with no tree, no Info-column notes, and
 * no one listening to Expert Info or PortNote's tap.  The GUI's and
 * sharkd's first passes fill no columns unless a tap asks for them, and
 * tshark -2's first pass fills none: their later passes need the state.
 */
static gboolean nothing_can_see(packet_info *pinfo, proto_tree *tree)
{
    if (tree || !pinfo->cinfo || PINFO_FD_VISITED(pinfo) || portnote_prefs.info_column)
        return FALSE;
    if (expert_tap < 0)     /* registered after PortNote's handoff */
        expert_tap = find_tap_id("expert");
    return !(union_of_tap_listener_flags() & TL_REQUIRES_COLUMNS)
        && !have_tap_listener(portnote_tap) && expert_tap >= 0 && !have_tap_listener(expert_tap);
}

/** Turns PortNote's decoding back on for a new capture file, if it was
 * turned off for the last one (so a protocol disabled by the user stays
 * disabled). */
static void portnote_file_init(void)
{
    if (switched_off)
        proto_set_decoding(proto_portnote, TRUE);
    switched_off = FALSE;
    portnote_notes_refresh();
}

/**
 * Finds the frame's notes afresh on every pass (the ports come from the
 * transport dissectors' proto data, with or without a tree), updates the
 * conversation on the first pass, applies its verdict as known on this
 * pass, and shows the notes to whoever looks: the tree, Expert Info, the
 * Info column, the taps.
 */
static int dissect_portnote(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    pn_note_buffer_t found;
    const pn_layer_t *inner;
    pn_layer_t inner_layer;
    pn_tap_notes_t *shown;
    pn_note_t *notes;
    pn_conv_t *conv;
    gboolean tapped, starts;
    int end = 0;

    if (!portnote_notes())
        return 0;
    if (nothing_can_see(pinfo, tree)) {
        /* a disabled protocol costs nothing for the rest of the file */
        switched_off = TRUE;
        proto_set_decoding(proto_portnote, FALSE);
        return 0;
    }
    found.count = 0;
    inner = portnote_find_notes(&found, pinfo, tree, tvb, &inner_layer);
    if (found.count == 0 && !inner)
        return 0;
    conv = portnote_conv_update(pinfo, inner, &end);
    portnote_conv_add_findings(conv, pinfo, end, inner, &found);
    if (found.count == 0)
        return 0;
    tapped = have_tap_listener(portnote_tap);
    /* taps run after the dissection: their notes must outlive it */
    notes = tapped ? wmem_memdup(pinfo->pool, found.notes, found.count * sizeof(pn_note_t)) : found.notes;
    starts = portnote_conv_apply(conv, pinfo, end, notes, found.count);
    portnote_show(tvb, pinfo, tree, notes, found.count);
    if (tapped) {
        shown = wmem_new(pinfo->pool, pn_tap_notes_t);
        shown->conversation_starts = starts;
        shown->count = found.count;
        shown->notes = notes;
        shown->conversation = conv;
        tap_queue_packet(portnote_tap, pinfo, shown);
    }
    return (int)tvb_captured_length(tvb);
}

/* ---- Registration ------------------------------------------------------ */

void proto_register_portnote(void)
{
    proto_portnote = proto_register_protocol("Port Notes", "PortNote", "portnote");
    portnote_register_fields();
    register_preferences();

    portnote_handle = register_dissector("portnote", dissect_portnote, proto_portnote);
    register_postdissector(portnote_handle);
    portnote_tap = register_tap(PN_TAP_NAME);
    register_init_routine(portnote_file_init);
    portnote_connections_init();
    register_shutdown_routine(portnote_notes_free);
}

void proto_reg_handoff_portnote(void)
{
    portnote_layers_init();
}
