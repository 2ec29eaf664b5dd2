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
 * The payload check (portnote-payload.c) looks at the first payload of
 * each direction of the innermost TCP or UDP conversation, once, on the
 * first pass; its state lives in Wireshark's conversation framework.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_LOG_DOMAIN "portnote"

#include <string.h>
#include <ws_version.h>
#include <epan/packet.h>
#include <epan/addr_resolv.h>
#include <epan/conversation.h>
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

/* 4.2 moved field values behind a pointer, preferences to C bool, and
 * renamed tvb_get_guint8 (deprecated from 4.4). */
#if PN_WS_AT_LEAST(4, 2)
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fi)->value)
#define pn_tvb_get_u8 tvb_get_uint8
typedef bool pn_pref_bool_t;
#else
/* 4.0's getter takes a non-const fvalue although it only reads it. */
#define PN_FINFO_UINT(fi) fvalue_get_uinteger((fvalue_t *)&(fi)->value)
#define pn_tvb_get_u8 tvb_get_guint8
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
static int hf_portnote_evidence = -1;
static int hf_portnote_observed = -1;
static int hf_portnote_iana_only = -1;

static int ett_portnote = -1;

static expert_field ei_portnote_risk[PN_RISK_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT
};
static expert_field ei_portnote_mismatch = EI_INIT;
static expert_field ei_portnote_non_standard = EI_INIT;

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
    port_type ptype;
    const char *len_name;   /* the field the payload length comes from */
    gint len_offset;        /* its furthest offset from the source port (tcp.len sits
                             * at the header's start in 4.0, at byte 12 before) */
    int hf_src;
    int hf_dst;
    int hf_len;
} transport_fields_t;

/* Indexed by pn_transport_t. */
static transport_fields_t transport_fields[PN_TRANSPORT_COUNT] = {
    [PN_TRANSPORT_TCP]  = { "tcp.srcport",  "tcp.dstport",  PN_TRANSPORT_TCP,  20, PT_TCP,  "tcp.len",    12, -1, -1, -1 },
    [PN_TRANSPORT_UDP]  = { "udp.srcport",  "udp.dstport",  PN_TRANSPORT_UDP,   8, PT_UDP,  "udp.length",  4, -1, -1, -1 },
    [PN_TRANSPORT_SCTP] = { "sctp.srcport", "sctp.dstport", PN_TRANSPORT_SCTP, 12, PT_SCTP, NULL,          0, -1, -1, -1 },
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
static pn_pref_bool_t pref_payload_check = TRUE;
static pn_pref_bool_t pref_iana_names = FALSE;

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
    flags = pn_tvb_get_u8(src->ds_tvb, src->start + 13);
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

/* The innermost TCP or UDP layer: the one the payload check looks at. */
typedef struct {
    const transport_fields_t *tf;
    const field_info *src;
    const field_info *dst;
} layer_t;

/** Appends a note for one side of a layer (entry: the port's row, or NULL);
 * NULL when the buffer is full. */
static pn_note_t *add_note(note_buffer_t *notes, tvbuff_t *frame_tvb, const field_info *at,
                           pn_transport_t transport, const pn_entry_t *entry, guint16 port,
                           pn_role_t role, gboolean is_src)
{
    pn_note_t *note;

    if (notes->count >= PN_MAX_NOTES)
        return NULL;
    note = &notes->notes[notes->count++];
    memset(note, 0, sizeof *note);
    note->entry = entry;
    note->kind = PN_NOTE_DOCUMENTED;
    note->transport = (guint8)transport;
    note->port = port;
    note->role = (guint8)role;
    note->is_src = (guint8)is_src;
    /* Later passes only have the frame's bytes to point at. */
    note->start = at->ds_tvb == frame_tvb ? at->start : -1;
    note->length = at->ds_tvb == frame_tvb ? (guint8)at->length : 0;
    return note;
}

/** Adds the IANA name of an undocumented server port, when asked to. */
static void add_iana_note(note_buffer_t *notes, tvbuff_t *frame_tvb, const field_info *at,
                          const transport_fields_t *tf, guint16 port, pn_role_t role, gboolean is_src)
{
    pn_note_t *note;

    if (!pref_iana_names || role != PN_ROLE_SERVER || !try_serv_name_lookup(tf->ptype, port))
        return;
    note = add_note(notes, frame_tvb, at, tf->transport, NULL, port, role, is_src);
    if (note)
        note->kind = PN_NOTE_IANA;
}

/** Finds the documented ports of one transport layer. */
static void find_layer_notes(note_buffer_t *notes, tvbuff_t *frame_tvb,
                             const transport_fields_t *tf,
                             const field_info *src, const field_info *dst)
{
    const field_info *at[2] = { src, dst };
    pn_endpoint_t ends[2] = { endpoint_of(src, tf->transport), endpoint_of(dst, tf->transport) };
    pn_hint_t hint = tf->transport == PN_TRANSPORT_TCP ? tcp_handshake_hint(src) : PN_HINT_NONE;
    pn_role_t roles[2];

    if (!ends[0].entry && !ends[1].entry && !pref_iana_names)
        return;
    pn_decide_roles(&ends[0], &ends[1], hint, &roles[0], &roles[1]);
    for (int side = 0; side < 2; side++) {
        if (!ends[side].entry)
            add_iana_note(notes, frame_tvb, at[side], tf, ends[side].port, roles[side], side == 0);
        else if (pn_should_annotate(ends[side].entry, roles[side], pref_client_side_ports))
            add_note(notes, frame_tvb, at[side], tf->transport, ends[side].entry, ends[side].port,
                     roles[side], side == 0);
    }
}

/** Whether this layer's ports are the ones Wireshark keyed the conversation on. */
static gboolean is_conversation_layer(const packet_info *pinfo, const transport_fields_t *tf,
                                      const field_info *src, const field_info *dst)
{
    return pinfo->ptype == tf->ptype && (tf->ptype == PT_TCP || tf->ptype == PT_UDP)
        && PN_FINFO_UINT(src) == pinfo->srcport && PN_FINFO_UINT(dst) == pinfo->destport;
}

/** Finds the notes of every layer of one transport in the packet. */
static void find_transport_notes(note_buffer_t *notes, tvbuff_t *frame_tvb, packet_info *pinfo,
                                 proto_tree *tree, const transport_fields_t *tf, layer_t *inner)
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
        if (!dst || !tvb_bytes_exist(src->ds_tvb, src->start, tf->min_header)
            || inside_icmp(tree, src))
            continue;
        find_layer_notes(notes, frame_tvb, tf, src, dst);
        if (is_conversation_layer(pinfo, tf, src, dst)) {
            inner->tf = tf;
            inner->src = src;
            inner->dst = dst;
        }
    }
}

/* ---- The payload check (first pass, per conversation) --------------------- */

/* What one direction's first payload said (8 bytes). */
typedef struct {
    guint32 frame;          /* where it was seen; 0: no payload yet */
    guint16 server_port;
    guint8 verdict;         /* pn_verdict_t */
    guint8 observed;        /* pn_proto_t */
} direction_result_t;

/* Per conversation, in the conversation framework (file scope), kept
 * small because a capture may hold millions of conversations.  End 0 is
 * the conversation key's first address and port (the first packet's
 * source); once both directions are decided a packet costs the lookup
 * and two comparisons. */
typedef struct {
    direction_result_t dir[2];
    guint8 server_end[2];   /* per direction: the end its verdict calls the server */
    gint8 server_hint;      /* end that answered the TCP handshake; -1 unknown */
    guint8 any_payload;     /* some direction has sent payload already */
} conversation_state_t;

/** The packet's conversation and its state, created on its first packet. */
static conversation_state_t *conversation_state(packet_info *pinfo, conversation_t **conv)
{
    conversation_state_t *st;

    *conv = find_or_create_conversation(pinfo);
    st = conversation_get_proto_data(*conv, proto_portnote);
    if (!st) {
        st = wmem_new0(wmem_file_scope(), conversation_state_t);
        st->server_hint = -1;
        conversation_add_proto_data(*conv, proto_portnote, st);
    }
    return st;
}

/** The end of the conversation this packet comes from (0: its key's first
 * address and port).  Only asked when needed: decided conversations with
 * nothing to show never are. */
static int packet_end(const packet_info *pinfo, const conversation_t *conv)
{
    const address *addr1 = conversation_key_addr1(conv->key_ptr);

    return addr1 && addresses_equal(&pinfo->src, addr1)
        && pinfo->srcport == conversation_key_port1(conv->key_ptr) ? 0 : 1;
}

/** The layer's payload length, from tcp.len or udp.length; -1 if unknown. */
static gint layer_payload_length(proto_tree *tree, const layer_t *inner)
{
    const GPtrArray *lens = proto_get_finfo_ptr_array(tree, inner->tf->hf_len);

    for (guint i = 0; lens && i < lens->len; i++) {
        const field_info *len = lens->pdata[i];
        if (len->ds_tvb == inner->src->ds_tvb && len->start >= inner->src->start
            && len->start <= inner->src->start + inner->tf->len_offset)
            return inner->tf->ptype == PT_TCP ? (gint)PN_FINFO_UINT(len)
                                              : (gint)PN_FINFO_UINT(len) - 8;
    }
    return -1;
}

/** Classifies the first bytes (at most PN_PAYLOAD_PEEK) of a payload of length bytes. */
static pn_payload_sig_t classify_layer_payload(const layer_t *inner, gint length)
{
    tvbuff_t *tvb = inner->src->ds_tvb;
    gint header = inner->tf->ptype == PT_TCP
        ? (pn_tvb_get_u8(tvb, inner->src->start + 12) >> 4) * 4 : 8;
    gint offset = inner->src->start + header;
    pn_payload_sig_t none = { 0, PN_SENDER_EITHER, FALSE };

    length = MIN(length, tvb_captured_length_remaining(tvb, offset));
    length = MIN(length, PN_PAYLOAD_PEEK);
    if (header < inner->tf->min_header || length <= 0)
        return none;
    return pn_payload_classify(inner->tf->transport, tvb_get_ptr(tvb, offset, length), (gsize)length);
}

/** Decides a direction from its first payload. */
static void decide_direction(conversation_state_t *st, packet_info *pinfo, int end,
                             const layer_t *inner, pn_payload_sig_t sig)
{
    guint16 ports[2];
    gboolean ephemeral[2];
    direction_result_t *r = &st->dir[end];
    pn_proto_t observed;
    int server;

    /* A greeting after the other side has spoken is an answer (Redis's
     * "+OK" to AUTH), not a server announcing itself. */
    if (sig.greeting && st->any_payload)
        sig.candidates = 0;
    st->any_payload = TRUE;
    ports[end] = (guint16)pinfo->srcport;
    ports[!end] = (guint16)pinfo->destport;
    ephemeral[0] = value_is_in_range(ephemeral_ports, ports[0]);
    ephemeral[1] = value_is_in_range(ephemeral_ports, ports[1]);
    server = pn_payload_server_end(&sig, inner->tf->transport, end, ports, ephemeral, st->server_hint);
    r->frame = pinfo->num;
    st->server_end[end] = (guint8)server;
    r->server_port = ports[server];
    r->verdict = (guint8)pn_payload_verdict(inner->tf->transport, ports[server], sig.candidates, &observed);
    r->observed = (guint8)observed;
}

/** Updates the conversation with this packet (first pass only). */
static conversation_state_t *check_payload(packet_info *pinfo, proto_tree *tree,
                                           const layer_t *inner, conversation_t **conv)
{
    conversation_state_t *st = conversation_state(pinfo, conv);
    pn_hint_t hint;
    gint length;
    int end;

    if (st->dir[0].frame && st->dir[1].frame)
        return st;
    end = packet_end(pinfo, *conv);
    if (st->server_hint < 0 && inner->tf->ptype == PT_TCP
        && (hint = tcp_handshake_hint(inner->src)) != PN_HINT_NONE)
        st->server_hint = (gint8)(hint == PN_HINT_SRC_IS_SERVER ? end : !end);
    if (!st->dir[end].frame && (length = layer_payload_length(tree, inner)) > 0)
        decide_direction(st, pinfo, end, inner, classify_layer_payload(inner, length));
    return st;
}

/** Marks the note of the server port as confirmed by the payload. */
static void mark_confirmed(note_buffer_t *notes, const direction_result_t *r, gboolean server_is_src)
{
    for (guint i = 0; i < notes->count; i++) {
        pn_note_t *n = &notes->notes[i];
        if (n->port == r->server_port && n->is_src == server_is_src && n->kind != PN_NOTE_FINDING
            && n->role != PN_ROLE_CLIENT) {
            n->verdict = PN_VERDICT_CONFIRMED;
            n->observed = r->observed;
        }
    }
}

/** Adds a finding note unless this frame already has the same one. */
static void add_finding(note_buffer_t *notes, tvbuff_t *frame_tvb, packet_info *pinfo,
                        const layer_t *inner, const direction_result_t *r, gboolean server_is_src)
{
    pn_note_t *n;

    for (guint i = 0; i < notes->count; i++) {
        n = &notes->notes[i];
        if (n->kind == PN_NOTE_FINDING && n->verdict == r->verdict && n->observed == r->observed) {
            n->decided_here |= r->frame == pinfo->num;
            return;
        }
    }
    n = add_note(notes, frame_tvb, server_is_src ? inner->src : inner->dst, inner->tf->transport,
                 pn_db_lookup(notes_db, inner->tf->transport, r->server_port),
                 r->server_port, PN_ROLE_SERVER, server_is_src);
    if (!n)
        return;
    n->kind = PN_NOTE_FINDING;
    n->verdict = r->verdict;
    n->observed = r->observed;
    n->decided_here = r->frame == pinfo->num;
}

/** Applies the conversation's decided directions to this frame's notes. */
static void apply_payload_results(note_buffer_t *notes, tvbuff_t *frame_tvb, packet_info *pinfo,
                                  proto_tree *tree, const layer_t *inner)
{
    conversation_t *conv;
    const conversation_state_t *st = check_payload(pinfo, tree, inner, &conv);
    int from = -1;

    for (int end = 0; end < 2; end++) {
        const direction_result_t *r = &st->dir[end];
        gboolean server_is_src;
        if (!r->frame || r->verdict == PN_VERDICT_NONE)
            continue;
        if (from < 0)
            from = packet_end(pinfo, conv);
        server_is_src = st->server_end[end] == from;
        if (r->verdict == PN_VERDICT_CONFIRMED)
            mark_confirmed(notes, r, server_is_src);
        else
            add_finding(notes, frame_tvb, pinfo, inner, r, server_is_src);
    }
}

/**
 * The notes of this frame.  Wireshark primes the port fields we asked
 * for only on the first pass; later passes (packet list columns,
 * colouring, the details pane) may not even have them in the tree, so
 * the first pass's result is kept as per-frame data and reused.  Only
 * frames with notes keep anything, sized to their notes.  The payload
 * check runs on the first pass only, in frame order, so that every pass
 * shows what was known when the frame went by.
 */
static const pn_frame_notes_t *frame_notes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    pn_frame_notes_t *kept = p_get_proto_data(wmem_file_scope(), pinfo, proto_portnote, 0);
    note_buffer_t found;
    layer_t inner = { NULL, NULL, NULL };
    size_t size;

    if (kept || !tree || !notes_db || !proto_field_is_referenced(tree, transport_fields[0].hf_src))
        return kept;
    found.count = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++)
        find_transport_notes(&found, tvb, pinfo, tree, &transport_fields[i], &inner);
    if (pref_payload_check && inner.tf && !PINFO_FD_VISITED(pinfo))
        apply_payload_results(&found, tvb, pinfo, tree, &inner);
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

#define PN_PAYLOAD_SOURCE "PortNote payload check: the first payload of each direction against " \
    "SSH (RFC 4253), HTTP (RFC 9112), TLS (RFC 8446), SMTP (RFC 5321), FTP (RFC 959), " \
    "POP3 (RFC 1939), IMAP (RFC 9051), Telnet (RFC 854) and DNS (RFC 1035) signatures"
#define PN_IANA_SOURCE "IANA Service Name and Transport Protocol Port Number Registry, " \
    "as known to Wireshark's resolver (services file); not in the notes database"

/* Categories of the two kinds of finding (a mismatch is also a known
 * protocol away from its own port). */
static const char *mismatch_categories[] = { "protocol-mismatch", "non-standard-port", NULL };
static const char *non_standard_categories[] = { "non-standard-port", NULL };
static const char *no_categories[] = { NULL };

/** A note's risk: its row's, none for an IANA name, high for a mismatch, medium
 * for a known protocol on a non-standard port (used by the statistics too). */
pn_risk_t portnote_note_risk(const pn_note_t *note)
{
    if (note->kind == PN_NOTE_FINDING)
        return note->verdict == PN_VERDICT_MISMATCH ? PN_RISK_HIGH : PN_RISK_MEDIUM;
    return note->entry ? note->entry->risk : PN_RISK_NONE;
}

/** A note's service: its row's, else the IANA name where that is wanted. */
const char *portnote_note_service(const pn_note_t *note)
{
    const char *iana;

    if (note->entry)
        return note->entry->service;
    iana = note->kind == PN_NOTE_IANA || pref_iana_names
        ? try_serv_name_lookup(transport_fields[note->transport].ptype, note->port) : NULL;
    return iana ? iana : "undocumented";
}

static char **note_categories(const pn_note_t *note)
{
    if (note->kind == PN_NOTE_FINDING)
        return (char **)(note->verdict == PN_VERDICT_MISMATCH ? mismatch_categories
                                                              : non_standard_categories);
    return note->entry ? note->entry->categories : (char **)no_categories;
}

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

/** "ssh", "http or tls": the protocols whose own port this is. */
static const char *own_protocols_text(wmem_allocator_t *scope, const pn_note_t *note)
{
    guint32 own = pn_port_protocols((pn_transport_t)note->transport, note->port);
    wmem_strbuf_t *text = wmem_strbuf_new(scope, "");

    for (int p = 1; p < PN_PROTO_COUNT; p++)
        if (own & PN_PROTO_BIT(p))
            wmem_strbuf_append_printf(text, "%s%s", wmem_strbuf_get_len(text) ? " or " : "",
                                      pn_proto_name((pn_proto_t)p));
    return wmem_strbuf_get_str(text);
}

/** The plain-words note of a payload finding. */
static const char *finding_note(wmem_allocator_t *scope, const pn_note_t *note)
{
    const char *seen = pn_proto_name((pn_proto_t)note->observed);
    const char *transport = pn_transport_name((pn_transport_t)note->transport);

    if (note->verdict == PN_VERDICT_MISMATCH)
        return wmem_strdup_printf(scope,
            "Port %u/%s belongs to %s, but this conversation speaks %s: a tunnel, backdoor or "
            "scan behind the port, or a service moved onto it. Going by the port, Wireshark "
            "may decode it as the wrong protocol.",
            note->port, transport, own_protocols_text(scope, note), seen);
    return wmem_strdup_printf(scope,
        "The server on %u/%s speaks %s, and this is not a %s port: a backdoor or tunnel "
        "(an SSH or web server on 31337), or a service moved out of sight.",
        note->port, transport, seen, seen);
}

/**
 * Raises the Expert Info that goes with the note's risk.  The text is a
 * short, stable summary so that the Expert dialog groups one line per
 * port; the full note is in the tree.  A finding is raised once, in the
 * frame where its direction was decided.
 */
static void add_expert(packet_info *pinfo, proto_item *ti, const pn_note_t *note)
{
    const pn_entry_t *e = note->entry;
    pn_risk_t risk = portnote_note_risk(note);
    const char *transport = pn_transport_name((pn_transport_t)note->transport);

    if (risk == PN_RISK_NONE || !pref_expert_enabled || (gint)risk < pref_expert_min_risk)
        return;
    if (note->kind == PN_NOTE_FINDING) {
        if (note->decided_here)
            expert_add_info_format(pinfo, ti, note->verdict == PN_VERDICT_MISMATCH
                                   ? &ei_portnote_mismatch : &ei_portnote_non_standard,
                                   "%u/%s: %s payload, %s", note->port, transport,
                                   pn_proto_name((pn_proto_t)note->observed),
                                   pn_verdict_name((pn_verdict_t)note->verdict));
        return;
    }
    expert_add_info_format(pinfo, ti, &ei_portnote_risk[risk],
                           "%u/%s %s (%s), risk %s: %s%s%s", note->port, transport, e->service,
                           pn_role_name((pn_role_t)note->role), pn_risk_name(risk),
                           e->categories_text, e->threats[0] ? "; threats: " : "",
                           e->threats_text);
}

static void add_info_column(packet_info *pinfo, const pn_note_t *note)
{
    pn_risk_t risk = portnote_note_risk(note);
    const char *transport = pn_transport_name((pn_transport_t)note->transport);

    if (!pref_info_column)
        return;
    if (note->kind == PN_NOTE_FINDING)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s: %s payload, %s]", note->port,
                            transport, pn_proto_name((pn_proto_t)note->observed),
                            pn_verdict_name((pn_verdict_t)note->verdict));
    else if (risk != PN_RISK_NONE)
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s: %s risk]", note->port,
                            transport, portnote_note_service(note), pn_risk_name(risk));
    else
        col_append_sep_fstr(pinfo->cinfo, COL_INFO, " ", "[%u/%s %s]", note->port, transport,
                            portnote_note_service(note));
}

/** The summary line of a note's item. */
static void set_item_text(proto_item *ti, const pn_note_t *note)
{
    pn_risk_t risk = portnote_note_risk(note);

    proto_item_set_text(ti, "Port Notes: %u/%s %s (%s)", note->port,
                        pn_transport_name((pn_transport_t)note->transport),
                        portnote_note_service(note), pn_role_name((pn_role_t)note->role));
    if (note->kind == PN_NOTE_IANA)
        proto_item_append_text(ti, " [IANA name only]");
    if (note->kind == PN_NOTE_FINDING)
        proto_item_append_text(ti, ", %s: %s payload", pn_verdict_name((pn_verdict_t)note->verdict),
                               pn_proto_name((pn_proto_t)note->observed));
    if (risk != PN_RISK_NONE)
        proto_item_append_text(ti, ", risk %s", pn_risk_name(risk));
    if (note->kind == PN_NOTE_DOCUMENTED && risk != PN_RISK_NONE)
        proto_item_append_text(ti, ": %s", note->entry->categories_text);
    if (note->verdict == PN_VERDICT_CONFIRMED)
        proto_item_append_text(ti, " [payload: %s]", pn_proto_name((pn_proto_t)note->observed));
}

/** Adds one "Port Notes" item for an annotated port. */
static void add_port_notes(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                           const pn_note_t *note)
{
    const pn_entry_t *e = note->kind == PN_NOTE_DOCUMENTED ? note->entry : NULL;
    pn_risk_t risk = portnote_note_risk(note);
    gint start = MAX(note->start, 0);
    proto_item *ti = proto_tree_add_item(tree, proto_portnote, tvb, start, note->length, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(ti, ett_portnote);

    set_item_text(ti, note);
    proto_tree_add_uint(pt, hf_portnote_port, tvb, start, note->length, note->port);
    add_text(pt, hf_portnote_transport, tvb, start, pn_transport_name((pn_transport_t)note->transport));
    add_text(pt, hf_portnote_role, tvb, start, pn_role_name((pn_role_t)note->role));
    add_text(pt, hf_portnote_service, tvb, start, portnote_note_service(note));
    if (note->kind == PN_NOTE_IANA)
        proto_item_set_generated(proto_tree_add_boolean(pt, hf_portnote_iana_only, tvb, start, 0, TRUE));
    if (e)
        add_text(pt, hf_portnote_description, tvb, start, e->description);
    if (risk != PN_RISK_NONE)
        proto_item_set_generated(proto_tree_add_uint(pt, hf_portnote_risk, tvb, start, 0, risk));
    add_list(pt, hf_portnote_category, tvb, start, note_categories(note));
    if (e)
        add_list(pt, hf_portnote_threat, tvb, start, e->threats);
    add_text(pt, hf_portnote_evidence, tvb, start, note->verdict != PN_VERDICT_NONE ? "payload" : "port");
    if (note->observed != PN_PROTO_NONE)
        add_text(pt, hf_portnote_observed, tvb, start, pn_proto_name((pn_proto_t)note->observed));
    add_text(pt, hf_portnote_note, tvb, start,
             note->kind == PN_NOTE_FINDING ? finding_note(pinfo->pool, note) : e ? e->note : NULL);
    add_text(pt, hf_portnote_source, tvb, start,
             note->kind == PN_NOTE_FINDING ? PN_PAYLOAD_SOURCE : e ? e->source : PN_IANA_SOURCE);
    if (e)
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
        { &hf_portnote_evidence,
          { "Evidence", "portnote.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
            "What the note rests on: port (the port number alone) or payload (the payload "
            "confirmed the port's protocol, or contradicts it)", HFILL }},
        { &hf_portnote_observed,
          { "Observed protocol", "portnote.observed", FT_STRING, BASE_NONE, NULL, 0x0,
            "The protocol the conversation's first payload looks like: ssh, http, tls, smtp, "
            "ftp, pop3, imap, telnet or dns", HFILL }},
        { &hf_portnote_iana_only,
          { "IANA name only", "portnote.iana_only", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "The port is not in the notes database; the service is Wireshark's IANA name for it", HFILL }},
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
        { &ei_portnote_mismatch,
          { "portnote.protocol_mismatch", PI_SECURITY, PI_WARN,
            "The payload is not the protocol of the port it uses", EXPFILL }},
        { &ei_portnote_non_standard,
          { "portnote.non_standard_port", PI_SECURITY, PI_NOTE,
            "A known protocol on a port that is not its own", EXPFILL }},
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
    prefs_register_bool_preference(module, "payload_check", "Check payloads against the port",
        "Compare the first payload of each direction of a TCP or UDP conversation with the "
        "port's protocol (SSH, HTTP, TLS, SMTP, FTP, POP3, IMAP, Telnet, DNS) and report "
        "protocol mismatches and known protocols on non-standard ports",
        &pref_payload_check);
    prefs_register_bool_preference(module, "iana_names", "Show IANA names of undocumented ports",
        "For a server port the notes database does not document, show the IANA service "
        "name Wireshark knows (marked portnote.iana_only, with no risk)",
        &pref_iana_names);
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

/** Asks for the port and length fields of every transport (and ICMP, to skip quotes). */
void proto_reg_handoff_portnote(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, sizeof(int));

    for (size_t i = 0; i < G_N_ELEMENTS(transport_fields); i++) {
        transport_fields_t *tf = &transport_fields[i];
        tf->hf_src = proto_registrar_get_id_byname(tf->src_name);
        tf->hf_dst = proto_registrar_get_id_byname(tf->dst_name);
        tf->hf_len = tf->len_name ? proto_registrar_get_id_byname(tf->len_name) : -1;
        if (tf->hf_src > 0 && tf->hf_dst > 0) {
            g_array_append_val(wanted, tf->hf_src);
            g_array_append_val(wanted, tf->hf_dst);
        }
        if (tf->hf_len > 0)
            g_array_append_val(wanted, tf->hf_len);
    }
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    if (proto_icmp > 0)
        g_array_append_val(wanted, proto_icmp);
    if (proto_icmpv6 > 0)
        g_array_append_val(wanted, proto_icmpv6);
    set_postdissector_wanted_hfids(portnote_handle, wanted);
}
