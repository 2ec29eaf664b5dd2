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

#include "portnote-exposure.h"
#include "portnote-glue.h"

void proto_register_portnote(void);
void proto_reg_handoff_portnote(void);

int proto_portnote = -1;

static int hf_portnote_connection = -1;
static header_field_info *connection_info;

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
static const char *pref_local_networks = PN_LOCAL_NETWORKS_DEFAULT;

/* Picks the ephemeral range and the local networks in force after a
 * preference change. */
static void portnote_prefs_apply(void)
{
    static range_t *presets[G_N_ELEMENTS(ephemeral_preset_ranges)];
    gint preset = pref_ephemeral_preset;

    portnote_site_set(pref_local_networks);
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
    prefs_register_string_preference(module, "local_networks", "Local networks",
        "Address prefixes of the networks you defend (like Suricata's HOME_NET), separated by "
        "commas: a conversation between two of them is internal, from outside to them inbound, "
        "from them to outside outbound, and neither external. Exposed services, worms, default "
        "passwords and remote access weigh by exposure; the notes stay visible everywhere",
        &pref_local_networks);
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
        "Change, add or silence port notes; the table shows the built-in rows and saves the changed and added ones as portnotes-table.csv in the profile",
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

/** The hidden field that names the packet's TCP connection, for checking
 * PortNote's connections against Wireshark's tcp.stream; added only when
 * the tree is shown (tshark -T fields shows it) or a filter asks for it. */
static void show_connection(tvbuff_t *tvb, proto_tree *tree, const pn_packet_t *packet,
                            const pn_conv_view_t *view)
{
    if (tree && (PTREE_DATA(tree)->visible || connection_info->ref_type != HF_REF_TYPE_NONE)
        && view->connection
        && packet->conv_layer >= 0 && packet->conv.transport == PN_TRANSPORT_TCP)
        proto_item_set_hidden(proto_tree_add_uint(tree, hf_portnote_connection, tvb, 0, 0,
                                                  view->connection));
}

/**
 * The frame's notes and its conversation.  With a conversation layer, the
 * conversation comes first: its connection decides the roles of that
 * layer's ports.  Without one, there is a conversation only when another
 * layer has notes (returns NULL, with *view unset, when it has none).
 */
static pn_conv_t *notes_and_conversation(pn_note_buffer_t *found, packet_info *pinfo,
                                         const pn_packet_t *packet, pn_conv_view_t *view)
{
    pn_conv_t *conv;

    found->count = 0;
    if (packet->conv_layer < 0) {
        portnote_layers_notes(found, packet, NULL);
        return found->count ? portnote_conv_update(pinfo, packet, view) : NULL;
    }
    conv = portnote_conv_update(pinfo, packet, view);
    portnote_layers_notes(found, packet, view->roles_known ? view->roles : NULL);
    return conv;
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
    pn_packet_t packet;
    pn_tap_notes_t *shown;
    pn_note_t *notes;
    pn_conv_t *conv;
    gboolean tapped, starts;
    pn_conv_view_t view;

    if (!portnote_notes())
        return 0;
    if (nothing_can_see(pinfo, tree)) {
        /* a disabled protocol costs nothing for the rest of the file */
        switched_off = TRUE;
        proto_set_decoding(proto_portnote, FALSE);
        return 0;
    }
    portnote_layers_collect(&packet, pinfo, tree, tvb);
    conv = notes_and_conversation(&found, pinfo, &packet, &view);
    if (found.count == 0 && packet.conv_layer < 0)
        return 0;
    show_connection(tvb, tree, &packet, &view);
    portnote_conv_add_findings(conv, view.end, &packet, &found);
    if (found.count == 0)
        return 0;
    tapped = have_tap_listener(portnote_tap);
    /* taps run after the dissection: their notes must outlive it */
    notes = tapped ? wmem_memdup(pinfo->pool, found.notes, found.count * sizeof(pn_note_t)) : found.notes;
    starts = portnote_conv_apply(conv, pinfo, view.end, notes, found.count);
    portnote_conv_flag_amplifying(&view, &packet, notes, found.count);
    portnote_site_apply(pinfo, portnote_conv_site_memo(conv), view.end, notes, found.count);
    portnote_services_flag(pinfo, notes, found.count);
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

static void register_connection_field(void)
{
    static hf_register_info hf[] = {
        { &hf_portnote_connection,
          { "Connection", "portnote.connection", FT_FRAMENUM, BASE_NONE, FRAMENUM_TYPE(FT_FRAMENUM_NONE), 0x0,
            "The frame that started PortNote's record of this TCP connection (hidden; "
            "its connections follow tcp.stream)", HFILL } },
    };

    proto_register_field_array(proto_portnote, hf, array_length(hf));
}

void proto_register_portnote(void)
{
    proto_portnote = proto_register_protocol("Port Notes", "PortNote", "portnote");
    portnote_register_fields();
    register_connection_field();
    register_preferences();

    portnote_handle = register_dissector("portnote", dissect_portnote, proto_portnote);
    register_postdissector(portnote_handle);
    portnote_tap = register_tap(PN_TAP_NAME);
    portnote_register_services_table();
    register_init_routine(portnote_file_init);
    portnote_connections_init();
    portnote_services_init();
    register_shutdown_routine(portnote_notes_free);
    register_shutdown_routine(portnote_site_free);
}

void proto_reg_handoff_portnote(void)
{
    connection_info = proto_registrar_get_nth((guint)hf_portnote_connection);
    portnote_layers_init();
}
