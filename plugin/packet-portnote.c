/* packet-portnote.c
 * PortNote: a post-dissector that tags every documented transport port of
 * a packet with its service and security notes.  The notes themselves
 * (parsing, lookup, client/server decision) live in portnote-db.c; this
 * file only registers with Wireshark and annotates the tree.
 *
 * Ports are taken from every TCP, UDP and SCTP layer of the packet (so
 * tunnels such as VXLAN or GRE show their inner ports too).  Ports quoted
 * inside an ICMP or ICMPv6 error are not annotated: they describe the
 * packet that failed, not this one, and `-Y portnote.risk` must only
 * select packets that really carry traffic on a documented port.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_LOG_DOMAIN "portnote"

#include <ws_version.h>
#include <epan/packet.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/range.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>

#include "portnote-db.h"
#include "portnote-embedded.h"

#define PN_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) \
     || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* 4.2 moved field values behind a pointer and preferences to C bool. */
#if PN_WS_AT_LEAST(4, 2)
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fi)->value)
typedef bool pn_pref_bool_t;
#else
/* 4.0's getter takes a non-const fvalue although it only reads it. */
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fvalue_t *)&(fi)->value)
typedef gboolean pn_pref_bool_t;
#endif

#define PN_NOTES_FILE "portnotes.csv"
#define PN_EMBEDDED_NAME "built-in " PN_NOTES_FILE
#define PN_MAX_REPORTED_ERRORS 40

void proto_register_portnote(void);
void proto_reg_handoff_portnote(void);

static int proto_portnote = -1;
static int proto_icmp = -1;
static int proto_icmpv6 = -1;

static int hf_portnote_port = -1;
static int hf_portnote_transport = -1;
static int hf_portnote_role = -1;
static int hf_portnote_service = -1;
static int hf_portnote_description = -1;
static int hf_portnote_risk = -1;
static int hf_portnote_category = -1;
static int hf_portnote_threat = -1;
static int hf_portnote_note = -1;
static int hf_portnote_source = -1;
static int hf_portnote_defined_at = -1;

static int ett_portnote = -1;

static expert_field ei_portnote_risk[PN_RISK_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT
};

static dissector_handle_t portnote_handle;

static const value_string risk_vals[] = {
    { PN_RISK_LOW,      "low" },
    { PN_RISK_MEDIUM,   "medium" },
    { PN_RISK_HIGH,     "high" },
    { PN_RISK_CRITICAL, "critical" },
    { 0, NULL }
};

/* The lower-layer fields this post-dissector reads. */
typedef struct {
    const char *src_name;
    const char *dst_name;
    pn_transport_t transport;
    gint min_header;    /* a header cut shorter than this gets no notes */
    int hf_src;
    int hf_dst;
} transport_fields_t;

static transport_fields_t transport_fields[] = {
    { "tcp.srcport",  "tcp.dstport",  PN_TRANSPORT_TCP,  20, -1, -1 },
    { "udp.srcport",  "udp.dstport",  PN_TRANSPORT_UDP,   8, -1, -1 },
    { "sctp.srcport", "sctp.dstport", PN_TRANSPORT_SCTP, 12, -1, -1 },
};

/* Preferences. */
static range_t *pref_ephemeral_ports;
static pn_pref_bool_t pref_client_side_ports = FALSE;

/* The notes in force, and the profile they were loaded for. */
static pn_db_t *notes_db;
static char *notes_db_profile;

/* ---- Loading the notes ------------------------------------------------- */

/** Shows every problem found while loading, in one message. */
static void report_load_errors(const GPtrArray *errors)
{
    GString *text;
    guint shown;

    if (errors->len == 0)
        return;
    text = g_string_new(NULL);
    shown = MIN(errors->len, PN_MAX_REPORTED_ERRORS);
    for (guint i = 0; i < shown; i++)
        g_string_append_printf(text, "\n%s", (const char *)errors->pdata[i]);
    if (errors->len > shown)
        g_string_append_printf(text, "\n... and %u more", errors->len - shown);
    report_warning("PortNote: problems in the port notes files (bad rows were skipped):%s",
                   text->str);
    g_string_free(text, TRUE);
}

/** Adds path to files unless it is already there. */
static void add_unique_path(GPtrArray *files, char *path)
{
    for (guint i = 0; i < files->len; i++) {
        if (g_strcmp0(files->pdata[i], path) == 0) {
            g_free(path);
            return;
        }
    }
    g_ptr_array_add(files, path);
}

/**
 * Builds the database: the built-in notes, then the global, personal and
 * profile files (as addr_resolv does for "services"), later ones winning.
 */
static pn_db_t *load_notes(void)
{
    pn_db_t *db = pn_db_new();
    GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);

    pn_db_load_text(db, PN_EMBEDDED_NAME, portnote_embedded_notes,
                    portnote_embedded_notes_len, errors);
    add_unique_path(files, get_datafile_path(PN_NOTES_FILE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, FALSE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, TRUE));
    for (guint i = 0; i < files->len; i++)
        pn_db_load_file(db, files->pdata[i], errors);

    report_load_errors(errors);
    g_ptr_array_free(files, TRUE);
    g_ptr_array_free(errors, TRUE);
    return db;
}

/* Init routine: (re)load when first needed or when the profile changed. */
static void portnote_init(void)
{
    const char *profile = get_profile_name();

    if (notes_db && g_strcmp0(profile, notes_db_profile) == 0)
        return;
    pn_db_free(notes_db);
    g_free(notes_db_profile);
    notes_db = load_notes();
    notes_db_profile = g_strdup(profile);
}

static void portnote_shutdown(void)
{
    pn_db_free(notes_db);
    notes_db = NULL;
    g_free(notes_db_profile);
    notes_db_profile = NULL;
}

/* ---- Reading the lower layers ------------------------------------------ */

/** Finds the destination port field of the layer whose source port is src. */
static const field_info *matching_dst(const GPtrArray *dsts, guint hint,
                                      const field_info *src)
{
    for (guint k = 0; k < dsts->len; k++) {
        const field_info *dst = dsts->pdata[(hint + k) % dsts->len];
        if (dst->ds_tvb == src->ds_tvb && dst->start == src->start + 2)
            return dst;
    }
    return NULL;
}

/** Whether fi lies inside an ICMP or ICMPv6 item (a quoted packet). */
static gboolean inside_icmp(proto_tree *tree, const field_info *fi)
{
    const int protos[] = { proto_icmp, proto_icmpv6 };

    for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
        const GPtrArray *icmps = protos[p] > 0 ? proto_get_finfo_ptr_array(tree, protos[p]) : NULL;
        for (guint i = 0; icmps && i < icmps->len; i++) {
            const field_info *c = icmps->pdata[i];
            if (c->ds_tvb == fi->ds_tvb && fi->start >= c->start
                && fi->start < c->start + c->length)
                return TRUE;
        }
    }
    return FALSE;
}

/** The TCP handshake flags say who the client is (byte 13 of the header). */
static pn_hint_t tcp_handshake_hint(const field_info *src)
{
    guint8 flags;

    if (!tvb_bytes_exist(src->ds_tvb, src->start + 13, 1))
        return PN_HINT_NONE;
    flags = tvb_get_guint8(src->ds_tvb, src->start + 13);
    if (!(flags & 0x02))
        return PN_HINT_NONE;
    return (flags & 0x10) ? PN_HINT_SRC_IS_SERVER : PN_HINT_SRC_IS_CLIENT;
}

static pn_endpoint_t endpoint_of(const field_info *fi, pn_transport_t transport)
{
    pn_endpoint_t end;

    end.port = (guint16)PN_FINFO_UINT(fi);
    end.ephemeral = value_is_in_range(pref_ephemeral_ports, end.port);
    end.entry = pn_db_lookup(notes_db, transport, end.port);
    return end;
}

/* ---- Annotating -------------------------------------------------------- */

static void add_text(proto_tree *tree, int hf, const field_info *at, const char *text)
{
    if (text && *text)
        proto_item_set_generated(
            proto_tree_add_string(tree, hf, at->ds_tvb, at->start, 0, text));
}

static void add_list(proto_tree *tree, int hf, const field_info *at, char **items)
{
    for (char **item = items; *item; item++)
        add_text(tree, hf, at, *item);
}

/**
 * Raises the Expert Info that goes with the entry's risk level.  The text
 * is a short, stable summary so that the Expert dialog groups one line
 * per port; the full note is in the tree.
 */
static void add_expert(packet_info *pinfo, proto_item *ti, const pn_entry_t *e,
                       guint16 port, pn_role_t role)
{
    if (e->risk == PN_RISK_NONE)
        return;
    if (e->threats[0])
        expert_add_info_format(pinfo, ti, &ei_portnote_risk[e->risk],
                               "%u/%s %s (%s), risk %s: %s; threats: %s", port,
                               pn_transport_name(e->transport), e->service,
                               pn_role_name(role), pn_risk_name(e->risk),
                               e->categories_text, e->threats_text);
    else
        expert_add_info_format(pinfo, ti, &ei_portnote_risk[e->risk],
                               "%u/%s %s (%s), risk %s: %s", port,
                               pn_transport_name(e->transport), e->service,
                               pn_role_name(role), pn_risk_name(e->risk),
                               e->categories_text);
}

/** Adds one "Port Notes" subtree for a documented port. */
static void add_port_notes(proto_tree *tree, packet_info *pinfo, const field_info *at,
                           const pn_entry_t *e, guint16 port, pn_role_t role)
{
    proto_item *ti = proto_tree_add_item(tree, proto_portnote, at->ds_tvb,
                                         at->start, at->length, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(ti, ett_portnote);
    const char *transport = pn_transport_name(e->transport);

    proto_item_set_text(ti, "Port Notes: %u/%s %s (%s)", port, transport,
                        e->service, pn_role_name(role));
    if (e->risk != PN_RISK_NONE)
        proto_item_append_text(ti, ", risk %s: %s", pn_risk_name(e->risk),
                               e->categories_text);

    proto_tree_add_uint(pt, hf_portnote_port, at->ds_tvb, at->start, at->length, port);
    add_text(pt, hf_portnote_transport, at, transport);
    add_text(pt, hf_portnote_role, at, pn_role_name(role));
    add_text(pt, hf_portnote_service, at, e->service);
    add_text(pt, hf_portnote_description, at, e->description);
    if (e->risk != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_portnote_risk, at->ds_tvb,
                                                     at->start, 0, e->risk));
    add_list(pt, hf_portnote_category, at, e->categories);
    add_list(pt, hf_portnote_threat, at, e->threats);
    add_text(pt, hf_portnote_note, at, e->note);
    add_text(pt, hf_portnote_source, at, e->source);
    add_text(pt, hf_portnote_defined_at, at, e->origin);
    add_expert(pinfo, ti, e, port, role);
}

/** Annotates the documented ports of one transport layer; returns how many. */
static guint annotate_layer(proto_tree *tree, packet_info *pinfo, pn_transport_t transport,
                            const field_info *src, const field_info *dst)
{
    const field_info *at[2] = { src, dst };
    pn_endpoint_t ends[2] = { endpoint_of(src, transport), endpoint_of(dst, transport) };
    pn_hint_t hint = transport == PN_TRANSPORT_TCP ? tcp_handshake_hint(src) : PN_HINT_NONE;
    pn_role_t roles[2];
    guint annotated = 0;

    if (!ends[0].entry && !ends[1].entry)
        return 0;
    pn_decide_roles(&ends[0], &ends[1], hint, &roles[0], &roles[1]);
    for (int side = 0; side < 2; side++) {
        if (!pn_should_annotate(ends[side].entry, roles[side], pref_client_side_ports))
            continue;
        add_port_notes(tree, pinfo, at[side], ends[side].entry, ends[side].port, roles[side]);
        annotated++;
    }
    return annotated;
}

/** Annotates every layer of one transport found in the packet. */
static guint annotate_transport(proto_tree *tree, packet_info *pinfo,
                                const transport_fields_t *tf)
{
    const GPtrArray *srcs, *dsts;
    guint annotated = 0;

    if (tf->hf_src <= 0 || tf->hf_dst <= 0)
        return 0;
    srcs = proto_get_finfo_ptr_array(tree, tf->hf_src);
    dsts = proto_get_finfo_ptr_array(tree, tf->hf_dst);
    if (!srcs || !dsts)
        return 0;
    for (guint i = 0; i < srcs->len; i++) {
        const field_info *src = srcs->pdata[i];
        const field_info *dst = matching_dst(dsts, i, src);
        if (dst && tvb_bytes_exist(src->ds_tvb, src->start, tf->min_header)
            && !inside_icmp(tree, src))
            annotated += annotate_layer(tree, pinfo, tf->transport, src, dst);
    }
    return annotated;
}

static int dissect_portnote(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            void *data _U_)
{
    guint annotated = 0;

    /* Everything portnote adds is tree content; without a tree nobody looks. */
    if (!tree || !notes_db)
        return 0;
    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++)
        annotated += annotate_transport(tree, pinfo, &transport_fields[i]);
    return annotated ? (int)tvb_captured_length(tvb) : 0;
}

/* ---- Registration ------------------------------------------------------ */

static void register_fields(void)
{
    static hf_register_info hf[] = {
        { &hf_portnote_port,
          { "Port", "portnote.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The documented port", HFILL }},
        { &hf_portnote_transport,
          { "Transport", "portnote.transport", FT_STRING, BASE_NONE, NULL, 0x0,
            "Transport protocol of the port: tcp, udp or sctp", HFILL }},
        { &hf_portnote_role,
          { "Role", "portnote.role", FT_STRING, BASE_NONE, NULL, 0x0,
            "Whether the port is the server or the client side here: server, client or unknown", HFILL }},
        { &hf_portnote_service,
          { "Service", "portnote.service", FT_STRING, BASE_NONE, NULL, 0x0,
            "Service documented for the port", HFILL }},
        { &hf_portnote_description,
          { "Description", "portnote.description", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the service is", HFILL }},
        { &hf_portnote_risk,
          { "Risk", "portnote.risk", FT_UINT8, BASE_DEC, VALS(risk_vals), 0x0,
            "Risk level of the port's security notes; absent when there is no warning", HFILL }},
        { &hf_portnote_category,
          { "Category", "portnote.category", FT_STRING, BASE_NONE, NULL, 0x0,
            "Kind of abuse documented for the port", HFILL }},
        { &hf_portnote_threat,
          { "Threat", "portnote.threat", FT_STRING, BASE_NONE, NULL, 0x0,
            "Trojan, backdoor or worm known to use the port", HFILL }},
        { &hf_portnote_note,
          { "Note", "portnote.note", FT_STRING, BASE_NONE, NULL, 0x0,
            "The security note in plain words", HFILL }},
        { &hf_portnote_source,
          { "Source", "portnote.source", FT_STRING, BASE_NONE, NULL, 0x0,
            "Where the entry's facts come from", HFILL }},
        { &hf_portnote_defined_at,
          { "Defined at", "portnote.defined_at", FT_STRING, BASE_NONE, NULL, 0x0,
            "Notes file and line the entry was read from", HFILL }},
    };
    static int *ett[] = { &ett_portnote };

    proto_register_field_array(proto_portnote, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}

static void register_expert_infos(void)
{
    static ei_register_info ei[] = {
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
    };
    expert_module_t *expert = expert_register_protocol(proto_portnote);

    expert_register_field_array(expert, ei, array_length(ei));
}

static void register_preferences(void)
{
    module_t *module = prefs_register_protocol(proto_portnote, NULL);

    range_convert_str(wmem_epan_scope(), &pref_ephemeral_ports, "32768-65535", 65535);
    prefs_register_range_preference(module, "ephemeral_ports",
        "Ephemeral (client) port range",
        "Ports that clients take as temporary source ports; when only one side of a "
        "connection is in this range, that side is the client. IANA: 49152-65535; "
        "Linux: 32768-60999; old systems: 1024-5000.",
        &pref_ephemeral_ports, 65535);
    prefs_register_bool_preference(module, "client_side_ports",
        "Annotate documented ports on the client side",
        "Also annotate a documented service port when it is the client's temporary "
        "port in this packet (it then does not mean the host runs that service)",
        &pref_client_side_ports);
}

void proto_register_portnote(void)
{
    proto_portnote = proto_register_protocol("Port Notes", "PortNote", "portnote");
    register_fields();
    register_expert_infos();
    register_preferences();

    portnote_handle = register_dissector("portnote", dissect_portnote, proto_portnote);
    register_postdissector(portnote_handle);
    register_init_routine(portnote_init);
    register_shutdown_routine(portnote_shutdown);
}

/** Asks for the port fields of every transport (and ICMP, to skip quotes). */
void proto_reg_handoff_portnote(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));

    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++) {
        transport_fields_t *tf = &transport_fields[i];
        tf->hf_src = proto_registrar_get_id_byname(tf->src_name);
        tf->hf_dst = proto_registrar_get_id_byname(tf->dst_name);
        if (tf->hf_src > 0 && tf->hf_dst > 0) {
            g_array_append_val(wanted, tf->hf_src);
            g_array_append_val(wanted, tf->hf_dst);
        }
    }
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    if (proto_icmp > 0)
        g_array_append_val(wanted, proto_icmp);
    if (proto_icmpv6 > 0)
        g_array_append_val(wanted, proto_icmpv6);
    set_postdissector_wanted_hfids(portnote_handle, wanted);
}
