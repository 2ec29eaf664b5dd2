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

#include <string.h>
#include <ws_version.h>
#include <epan/packet.h>
#include <epan/proto_data.h>
#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/range.h>
#include <epan/tap.h>
#include <epan/uat.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>
#include <wsutil/wslog.h>

#include "portnote-db.h"
#include "portnote-embedded.h"
#include "portnote-tap.h"

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

static gint pref_ephemeral_preset = EPHEMERAL_MODERN;
static range_t *pref_ephemeral_custom;
static pn_pref_bool_t pref_client_side_ports = FALSE;
static pn_pref_bool_t pref_expert_enabled = TRUE;
static gint pref_expert_min_risk = PN_RISK_LOW;
static pn_pref_bool_t pref_info_column = FALSE;

/* The ephemeral range in force (a preset or the custom range). */
static range_t *ephemeral_ports;

/* The "Port notes" table (UAT) is the profile's portnotes.csv, editable in
 * the preferences.  It only edits that file: the database is always built
 * from the files by the core's parser, so a bad row never hides others. */
typedef struct {
    char *ports;
    char *transport;
    char *role;
    char *service;
    char *risk;
    char *categories;
    char *threats;
    char *description;
    char *note;
    char *source;
} pn_uat_row_t;

/* The row's fields in the notes file's column order. */
static const size_t uat_field_offsets[PN_FIELD_COUNT] = {
    offsetof(pn_uat_row_t, ports),      offsetof(pn_uat_row_t, transport),
    offsetof(pn_uat_row_t, role),       offsetof(pn_uat_row_t, service),
    offsetof(pn_uat_row_t, risk),       offsetof(pn_uat_row_t, categories),
    offsetof(pn_uat_row_t, threats),    offsetof(pn_uat_row_t, description),
    offsetof(pn_uat_row_t, note),       offsetof(pn_uat_row_t, source),
};

static pn_uat_row_t *uat_rows;
static guint uat_row_count;
/* Wireshark 4.0's table loader stops at the first row it is told is bad,
 * and saving the table afterwards would drop the rest of the file.  So
 * rows are taken as they are while the file loads (the notes loader
 * reports bad ones as file:line and skips only those), and validated as
 * soon as the table is loaded, i.e. when a person edits it. */
static gboolean uat_loaded;

/* The notes in force, and the profile they were loaded for. */
static pn_db_t *notes_db;
static char *notes_db_profile;
static gboolean notes_db_stale;

static int portnote_tap = -1;

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
    gint64 started = g_get_monotonic_time();

    pn_db_load_text(db, PN_EMBEDDED_NAME, portnote_embedded_notes,
                    portnote_embedded_notes_len, errors);
    add_unique_path(files, get_datafile_path(PN_NOTES_FILE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, FALSE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, TRUE));
    for (guint i = 0; i < files->len; i++)
        pn_db_load_file(db, files->pdata[i], errors);

    report_load_errors(errors);
    ws_info("%u port notes rows loaded for profile %s in %.3f ms (built-in and %u optional files; %u problems)",
            pn_db_row_count(db), get_profile_name(), (g_get_monotonic_time() - started) / 1000.0,
            files->len, errors->len);
    g_ptr_array_free(files, TRUE);
    g_ptr_array_free(errors, TRUE);
    return db;
}

/* Init routine: (re)load when first needed or when the profile changed. */
static void portnote_init(void)
{
    const char *profile = get_profile_name();

    if (notes_db && !notes_db_stale && g_strcmp0(profile, notes_db_profile) == 0)
        return;
    pn_db_free(notes_db);
    g_free(notes_db_profile);
    notes_db = load_notes();
    notes_db_profile = g_strdup(profile);
    notes_db_stale = FALSE;
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
    end.ephemeral = value_is_in_range(ephemeral_ports, end.port);
    end.entry = pn_db_lookup(notes_db, transport, end.port);
    return end;
}

/* ---- Finding a frame's notes (first pass) -------------------------------- */

/* The notes of the frame being dissected, before they are kept. */
typedef struct {
    guint count;
    pn_note_t notes[PN_MAX_NOTES];
} note_buffer_t;

/** Appends a note for a documented port of one layer. */
static void add_note(note_buffer_t *notes, tvbuff_t *frame_tvb, const field_info *at,
                     const pn_endpoint_t *end, pn_role_t role, gboolean is_src)
{
    pn_note_t *note;

    if (notes->count >= PN_MAX_NOTES)
        return;
    note = &notes->notes[notes->count++];
    note->entry = end->entry;
    note->port = end->port;
    note->role = (guint8)role;
    note->is_src = (guint8)is_src;
    /* Later passes only have the frame's bytes to point at. */
    note->start = at->ds_tvb == frame_tvb ? at->start : -1;
    note->length = at->ds_tvb == frame_tvb ? (guint8)at->length : 0;
}

/** Finds the documented ports of one transport layer. */
static void find_layer_notes(note_buffer_t *notes, tvbuff_t *frame_tvb,
                             pn_transport_t transport,
                             const field_info *src, const field_info *dst)
{
    const field_info *at[2] = { src, dst };
    pn_endpoint_t ends[2] = { endpoint_of(src, transport), endpoint_of(dst, transport) };
    pn_hint_t hint = transport == PN_TRANSPORT_TCP ? tcp_handshake_hint(src) : PN_HINT_NONE;
    pn_role_t roles[2];

    if (!ends[0].entry && !ends[1].entry)
        return;
    pn_decide_roles(&ends[0], &ends[1], hint, &roles[0], &roles[1]);
    for (int side = 0; side < 2; side++)
        if (pn_should_annotate(ends[side].entry, roles[side], pref_client_side_ports))
            add_note(notes, frame_tvb, at[side], &ends[side], roles[side], side == 0);
}

/** Finds the notes of every layer of one transport in the packet. */
static void find_transport_notes(note_buffer_t *notes, tvbuff_t *frame_tvb,
                                 proto_tree *tree, const transport_fields_t *tf)
{
    const GPtrArray *srcs, *dsts;

    if (tf->hf_src <= 0 || tf->hf_dst <= 0)
        return;
    srcs = proto_get_finfo_ptr_array(tree, tf->hf_src);
    dsts = proto_get_finfo_ptr_array(tree, tf->hf_dst);
    if (!srcs || !dsts)
        return;
    for (guint i = 0; i < srcs->len; i++) {
        const field_info *src = srcs->pdata[i];
        const field_info *dst = matching_dst(dsts, i, src);
        if (dst && tvb_bytes_exist(src->ds_tvb, src->start, tf->min_header)
            && !inside_icmp(tree, src))
            find_layer_notes(notes, frame_tvb, tf->transport, src, dst);
    }
}

/**
 * The notes of this frame.  Wireshark primes the port fields we asked
 * for only on the first pass; later passes (packet list columns,
 * colouring, the details pane) may not even have them in the tree, so
 * the first pass's result is kept as per-frame data and reused.  Only
 * frames with notes keep anything, sized to their notes.
 */
static const pn_frame_notes_t *frame_notes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    pn_frame_notes_t *kept = p_get_proto_data(wmem_file_scope(), pinfo, proto_portnote, 0);
    note_buffer_t found;
    size_t size;

    if (kept || !tree || !notes_db || !proto_field_is_referenced(tree, transport_fields[0].hf_src))
        return kept;
    found.count = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++)
        find_transport_notes(&found, tvb, tree, &transport_fields[i]);
    if (found.count == 0)
        return NULL;
    size = sizeof(pn_frame_notes_t) + found.count * sizeof(pn_note_t);
    kept = wmem_alloc(wmem_file_scope(), size);
    kept->count = found.count;
    memcpy(kept->notes, found.notes, found.count * sizeof(pn_note_t));
    p_add_proto_data(wmem_file_scope(), pinfo, proto_portnote, 0, kept);
    return kept;
}

/* ---- Showing them (every pass) ------------------------------------------- */

static void add_text(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, const char *text)
{
    if (text && *text)
        proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, start, 0, text));
}

static void add_list(proto_tree *tree, int hf, tvbuff_t *tvb, gint start, char **items)
{
    for (char **item = items; *item; item++)
        add_text(tree, hf, tvb, start, *item);
}

/**
 * Raises the Expert Info that goes with the entry's risk level.  The text
 * is a short, stable summary so that the Expert dialog groups one line
 * per port; the full note is in the tree.
 */
static void add_expert(packet_info *pinfo, proto_item *ti, const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;

    if (e->risk == PN_RISK_NONE || !pref_expert_enabled || (gint)e->risk < pref_expert_min_risk)
        return;
    expert_add_info_format(pinfo, ti, &ei_portnote_risk[e->risk],
                           "%u/%s %s (%s), risk %s: %s%s%s", note->port,
                           pn_transport_name(e->transport), e->service,
                           pn_role_name((pn_role_t)note->role), pn_risk_name(e->risk),
                           e->categories_text, e->threats[0] ? "; threats: " : "",
                           e->threats_text);
}

static void add_info_column(packet_info *pinfo, const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;

    if (!pref_info_column)
        return;
    if (e->risk != PN_RISK_NONE)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s: %s risk]", note->port,
                            pn_transport_name(e->transport), e->service, pn_risk_name(e->risk));
    else
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s]", note->port,
                            pn_transport_name(e->transport), e->service);
}

/** Adds one "Port Notes" item for a documented port. */
static void add_port_notes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;
    const char *transport = pn_transport_name(e->transport);
    gint start = MAX(note->start, 0);
    proto_item *ti = proto_tree_add_item(tree, proto_portnote, tvb, start, note->length, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(ti, ett_portnote);

    proto_item_set_text(ti, "Port Notes: %u/%s %s (%s)", note->port, transport,
                        e->service, pn_role_name((pn_role_t)note->role));
    if (e->risk != PN_RISK_NONE)
        proto_item_append_text(ti, ", risk %s: %s", pn_risk_name(e->risk),
                               e->categories_text);

    proto_tree_add_uint(pt, hf_portnote_port, tvb, start, note->length, note->port);
    add_text(pt, hf_portnote_transport, tvb, start, transport);
    add_text(pt, hf_portnote_role, tvb, start, pn_role_name((pn_role_t)note->role));
    add_text(pt, hf_portnote_service, tvb, start, e->service);
    add_text(pt, hf_portnote_description, tvb, start, e->description);
    if (e->risk != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_portnote_risk, tvb,
                                                     start, 0, e->risk));
    add_list(pt, hf_portnote_category, tvb, start, e->categories);
    add_list(pt, hf_portnote_threat, tvb, start, e->threats);
    add_text(pt, hf_portnote_note, tvb, start, e->note);
    add_text(pt, hf_portnote_source, tvb, start, e->source);
    add_text(pt, hf_portnote_defined_at, tvb, start, e->origin);
    add_expert(pinfo, ti, note);
}

static int dissect_portnote(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                            void *data _U_)
{
    const pn_frame_notes_t *notes = frame_notes(tvb, pinfo, tree);
    /* Items nobody can see (no visible tree, no filter, column or colour
     * rule on portnote) would be faked away one by one: skip them. */
    proto_tree *shown = tree && proto_field_is_referenced(tree, proto_portnote) ? tree : NULL;

    if (!notes)
        return 0;
    for (guint i = 0; i < notes->count; i++) {
        if (shown)
            add_port_notes(tvb, pinfo, shown, &notes->notes[i]);
        else
            add_expert(pinfo, NULL, &notes->notes[i]);
        add_info_column(pinfo, &notes->notes[i]);
    }
    tap_queue_packet(portnote_tap, pinfo, notes);
    return (int)tvb_captured_length(tvb);
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

/* ---- The "Port notes" table (UAT) -------------------------------------- */

UAT_CSTRING_CB_DEF(pn_uat, ports, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, transport, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, role, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, service, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, risk, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, categories, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, threats, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, description, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, note, pn_uat_row_t)
UAT_CSTRING_CB_DEF(pn_uat, source, pn_uat_row_t)

static char **uat_field(void *row, int index)
{
    return (char **)((char *)row + uat_field_offsets[index]);
}

static void *pn_uat_copy(void *dest, const void *source, size_t len _U_)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        *uat_field(dest, i) = g_strdup(*uat_field((void *)source, i));
    return dest;
}

static void pn_uat_free(void *record)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++) {
        g_free(*uat_field(record, i));
        *uat_field(record, i) = NULL;
    }
}

/** Validates an edited table row with the same rules as the notes files. */
static pn_pref_bool_t pn_uat_update(void *record, char **error)
{
    const char *values[PN_FIELD_COUNT];

    if (!uat_loaded)
        return TRUE;
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        values[i] = *uat_field(record, i);
    return pn_check_fields(values, error);
}

/* The table was loaded or edited: rebuild the notes before the next pass. */
static void pn_uat_post_update(void)
{
    uat_loaded = TRUE;
    notes_db_stale = TRUE;
}

/* The table is about to be reloaded (a profile change). */
static void pn_uat_reset(void)
{
    uat_loaded = FALSE;
}

static uat_t *register_notes_table(void)
{
    static uat_field_t fields[] = {
        UAT_FLD_CSTRING(pn_uat, ports, "Ports", "A port (23) or a range (6000-6063)"),
        UAT_FLD_CSTRING(pn_uat, transport, "Transport", "tcp, udp or sctp"),
        UAT_FLD_CSTRING(pn_uat, role, "Role",
                        "server (a service's port), client (a port clients send from) "
                        "or ignore (silence earlier notes for these ports)"),
        UAT_FLD_CSTRING(pn_uat, service, "Service", "Short service name"),
        UAT_FLD_CSTRING(pn_uat, risk, "Risk", "empty, low, medium, high or critical"),
        UAT_FLD_CSTRING(pn_uat, categories, "Categories", "';'-separated, e.g. trojan;reconnaissance"),
        UAT_FLD_CSTRING(pn_uat, threats, "Threats", "';'-separated names of trojans, backdoors, worms"),
        UAT_FLD_CSTRING(pn_uat, description, "Description", "What the service is"),
        UAT_FLD_CSTRING(pn_uat, note, "Note", "The warning in plain words (needed with a risk)"),
        UAT_FLD_CSTRING(pn_uat, source, "Source", "Where the facts come from"),
        UAT_END_FIELDS
    };

    return uat_new("Port notes", sizeof(pn_uat_row_t), PN_NOTES_FILE, TRUE,
                   &uat_rows, &uat_row_count, UAT_AFFECTS_DISSECTION,
                   NULL, pn_uat_copy, pn_uat_update, pn_uat_free,
                   pn_uat_post_update, pn_uat_reset, fields);
}

/* ---- Preferences -------------------------------------------------------- */

/* Picks the ephemeral range in force after a preference change. */
static void portnote_prefs_apply(void)
{
    static range_t *presets[G_N_ELEMENTS(ephemeral_preset_ranges)];
    gint preset = pref_ephemeral_preset;

    if (preset < 0 || preset >= (gint)G_N_ELEMENTS(ephemeral_preset_ranges)) {
        ephemeral_ports = pref_ephemeral_custom;
        return;
    }
    if (!presets[preset])
        range_convert_str(wmem_epan_scope(), &presets[preset],
                          ephemeral_preset_ranges[preset], 65535);
    ephemeral_ports = presets[preset];
}

static void register_preferences(void)
{
    module_t *module = prefs_register_protocol(proto_portnote, portnote_prefs_apply);

    prefs_register_bool_preference(module, "expert_info", "Raise Expert Info for warnings",
        "Add an Expert Info item (Security group) for each port with a warning",
        &pref_expert_enabled);
    prefs_register_enum_preference(module, "expert_min_risk", "Minimum risk for Expert Info",
        "Ports whose risk is below this level get no Expert Info (they are still annotated)",
        &pref_expert_min_risk, expert_risk_vals, FALSE);
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
        &pref_client_side_ports);
    prefs_register_bool_preference(module, "info_column", "Show notes in the Info column",
        "Append each documented port's service and risk to the Info column",
        &pref_info_column);
    prefs_register_uat_preference(module, "notes_table", "Port notes",
        "Add, override or silence port notes (saved as portnotes.csv in the profile)",
        register_notes_table());
    portnote_prefs_apply();
}

void proto_register_portnote(void)
{
    proto_portnote = proto_register_protocol("Port Notes", "PortNote", "portnote");
    register_fields();
    register_expert_infos();
    register_preferences();

    portnote_handle = register_dissector("portnote", dissect_portnote, proto_portnote);
    register_postdissector(portnote_handle);
    portnote_tap = register_tap(PN_TAP_NAME);
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
