/* portnote-conv.c
 * What PortNote remembers per conversation (in its own connection table,
 * portnote-connections.c), built on the first pass in frame order:
 *   - which end is the server, decided once for the connection (the TCP
 *     handshake, else the ports of its first packet), so that all its
 *     packets carry the same roles and notes;
 *   - per end, the packets and payload bytes seen;
 *   - the payload check: the first payload of each direction of the
 *     innermost TCP or UDP conversation, once, against the port;
 *   - which notes the conversation has shown, and in which frame first,
 *     so that Expert Info is raised once per conversation and note (and
 *     once more when the payload changes the verdict), not per packet.
 * A direction is decided by its first payload that a signature knows,
 * looking at no more than PN_PAYLOAD_TRIES payloads: noise (a few zero
 * bytes before a TLS hello) and the middle of a conversation whose start
 * is not in the capture do not settle it for good.
 * Every pass applies the conversation's verdict to the frame's notes: the
 * first pass knows what was seen so far; later passes (the GUI, tshark
 * -2) know the whole conversation, so a confirmed HTTP conversation is
 * confirmed from its SYN on.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/packet.h>

#include "portnote-glue.h"

/* Whether a direction opened a tunnel (a proxy's or an upgrade's opening,
 * pn_payload_opens_tunnel) and whether what it carries is known. */
enum { TUNNEL_NONE, TUNNEL_OPEN, TUNNEL_DONE };

/* What one direction's first payload said. */
typedef struct {
    pn_proto_set_t opener;  /* the protocols its tunnel opening may be */
    guint32 frame;          /* where it was seen; 0: no payload yet */
    guint16 server_port;
    guint8 verdict;         /* pn_verdict_t */
    guint8 observed;        /* pn_proto_t */
    guint8 tunnel;          /* TUNNEL_* */
    guint8 tunnel_tries;    /* payloads looked at after the opening */
    guint8 tunnelled;       /* pn_proto_t the tunnel carries, or none */
} direction_result_t;

/* A note the conversation has shown: its first frame, and the verdict it
 * was last shown with on the first pass. */
typedef struct {
    guint32 key;            /* port and transport */
    guint32 first_frame;
    guint8 verdict;
} shown_note_t;

/* Payloads per direction the payload check looks at before it gives up. */
#define PN_PAYLOAD_TRIES 4

/* Most conversations show one or two ports; tunnels and odd cases more. */
#define PN_INLINE_SHOWN 2

/* Which end of a connection is the server (pn_conv.server). */
enum { SERVER_UNDECIDED, SERVER_NONE, SERVER_END0 /* + the end */ };

/* Kept small: a capture may hold millions of conversations.  End 0 is the
 * side that sent the conversation's first packet. */
struct pn_conv {
    direction_result_t dir[2];
    guint8 server_end[2];   /* per direction: the end its verdict calls the server */
    guint8 server_hint;     /* 1 + the end that answered the TCP handshake; 0 unknown */
    guint8 server;          /* the roles of every packet: SERVER_* */
    guint8 any_payload;     /* some direction has sent payload already */
    guint8 tries[2];        /* per direction: payloads looked at */
    guint8 deciding;        /* 1 + the direction whose verdict speaks for the conversation; 0: none */
    guint8 shown_count;
    shown_note_t shown[PN_INLINE_SHOWN];    /* in the order first shown */
    wmem_array_t *more_shown;   /* beyond PN_INLINE_SHOWN */
    guint32 packets[2];     /* per end: the conversation layer's packets */
    guint64 bytes[2];       /* per end: their payload bytes */
    pn_site_memo_t site;    /* whether each end is local */
};

/** The conversation's record of its ends' locality (NULL without one). */
pn_site_memo_t *portnote_conv_site_memo(pn_conv_t *conv)
{
    return conv ? &conv->site : NULL;
}

/* ---- Roles and counts ------------------------------------------------------ */

/**
 * Decides once which end of the connection is the server, so that every
 * packet of it gets the same roles and notes: a TCP handshake says it (the
 * SYN's receiver, the SYN-ACK's sender); without one, the ports of the
 * connection's first packet do (pn_decide_roles), and their decision
 * stands, unless they left it open and a handshake follows.
 */
static void decide_server(pn_conv_t *conv, int end, const pn_conv_layer_t *layer)
{
    pn_endpoint_t ends[2] = { layer->ends[0], layer->ends[1] };
    pn_role_t src, dst;

    if (conv->server >= SERVER_END0 || (conv->server == SERVER_NONE && layer->handshake == PN_HINT_NONE))
        return;
    for (int e = 0; e < 2; e++)
        ends[e].ephemeral = value_is_in_range(portnote_prefs.ephemeral, ends[e].port);
    pn_decide_roles(&ends[0], &ends[1], layer->handshake, &src, &dst);
    conv->server = src == PN_ROLE_SERVER ? SERVER_END0 + end
                 : src == PN_ROLE_CLIENT ? SERVER_END0 + !end : SERVER_NONE;
}

/** What the conversation says of a packet from `end`: its roles and the
 * counts per end, by client and server once the server is known. */
static void describe(const pn_conv_t *conv, int end, pn_conv_view_t *view)
{
    int server = (int)conv->server - SERVER_END0;

    view->roles_known = conv->server != SERVER_UNDECIDED;
    view->server_known = server >= 0;
    view->roles[0] = !view->server_known ? PN_ROLE_UNKNOWN : server == end ? PN_ROLE_SERVER : PN_ROLE_CLIENT;
    view->roles[1] = !view->server_known ? PN_ROLE_UNKNOWN : server == end ? PN_ROLE_CLIENT : PN_ROLE_SERVER;
    for (int e = 0; e < 2; e++) {
        int to = !view->server_known ? e : e == server ? PN_END_SERVER : PN_END_CLIENT;
        view->packets[to] = conv->packets[e];
        view->bytes[to] = conv->bytes[e];
    }
}

/* ---- The payload check (first pass) ------------------------------------- */

/** Whether verdict a speaks louder than b: a finding outweighs a
 * confirmation (the other side may just be answering), else the earlier. */
static gboolean outweighs(const direction_result_t *a, const direction_result_t *b)
{
    gboolean a_finding = a->verdict != PN_VERDICT_CONFIRMED;
    gboolean b_finding = b->verdict != PN_VERDICT_CONFIRMED;

    return a_finding != b_finding ? a_finding : a->frame < b->frame;
}

/** 1 + the direction whose verdict speaks for the conversation, 0 when
 * nothing was recognised yet (kept in pn_conv.deciding: only a decided
 * direction changes it). */
static guint8 deciding_of(const pn_conv_t *conv)
{
    int best = -1;

    for (int e = 0; e < 2; e++) {
        const direction_result_t *r = &conv->dir[e];
        if (!r->frame || r->verdict == PN_VERDICT_NONE)
            continue;
        if (best < 0 || outweighs(r, &conv->dir[best]))
            best = e;
    }
    return (guint8)(best + 1);
}

/** Decides a direction from a payload a signature knows (or from the
 * last one it looks at). */
static void decide_direction(pn_conv_t *conv, packet_info *pinfo, int end,
                             pn_transport_t transport, pn_payload_sig_t sig)
{
    guint16 ports[2];
    gboolean ephemeral[2];
    direction_result_t *r = &conv->dir[end];
    pn_proto_t observed;
    int server;

    ports[end] = (guint16)pinfo->srcport;
    ports[!end] = (guint16)pinfo->destport;
    ephemeral[0] = value_is_in_range(portnote_prefs.ephemeral, ports[0]);
    ephemeral[1] = value_is_in_range(portnote_prefs.ephemeral, ports[1]);
    /* The handshake has the last word, as for the roles of the notes. */
    server = conv->server_hint ? (int)conv->server_hint - 1
           : pn_payload_server_end(&sig, transport, end, ports, ephemeral, -1);
    r->frame = pinfo->num;
    conv->server_end[end] = (guint8)server;
    r->server_port = ports[server];
    r->verdict = (guint8)pn_payload_verdict(transport, ports[server], &sig, &observed);
    r->observed = (guint8)observed;
    if (pn_payload_opens_tunnel(transport, r->server_port, &sig)) {
        r->tunnel = TUNNEL_OPEN;
        r->opener = sig.candidates;
    }
    conv->deciding = deciding_of(conv);
}

/** Looks at a payload after a direction's tunnel opening for what the
 * tunnel carries: what it finds is shown as such, never as a verdict on
 * the port (the opening decided that). */
static void look_into_tunnel(direction_result_t *r, pn_transport_t transport, const pn_payload_t *payload)
{
    pn_proto_t carried = pn_payload_tunnelled(transport, payload->data, payload->length, r->opener);

    if (carried != PN_PROTO_NONE)
        r->tunnelled = (guint8)carried;
    if (carried != PN_PROTO_NONE || ++r->tunnel_tries >= PN_PAYLOAD_TRIES)
        r->tunnel = TUNNEL_DONE;
}

/** Looks at one payload of an undecided direction: a signature it matches
 * decides the direction, and so does the last payload looked at. */
static void look_at_payload(pn_conv_t *conv, packet_info *pinfo, int end, pn_transport_t transport,
                            const pn_payload_t *payload)
{
    const guint16 ports[2] = { (guint16)pinfo->srcport, (guint16)pinfo->destport };
    pn_payload_sig_t sig = pn_payload_classify_between(transport, payload->data, payload->length, ports);
    gboolean noise = pn_payload_is_noise(payload->data, payload->length);

    /* A greeting after the other side has spoken is an answer (Redis's
     * "+OK" to AUTH), not a server announcing itself. */
    if (sig.greeting && conv->any_payload)
        sig.candidates = 0;
    if (!noise)
        conv->any_payload = TRUE;
    if (sig.candidates || ++conv->tries[end] >= PN_PAYLOAD_TRIES)
        decide_direction(conv, pinfo, end, transport, sig);
}

/** Notes the server the TCP handshake names (the SYN's receiver). */
static void take_handshake_hint(pn_conv_t *conv, int end, pn_hint_t hint)
{
    if (!conv->server_hint && hint != PN_HINT_NONE)
        conv->server_hint = (guint8)(1 + (hint == PN_HINT_SRC_IS_SERVER ? end : !end));
}

/** Looks at this packet's payload if its direction is still undecided,
 * or inside the tunnel its direction opened. */
static void check_payload(pn_conv_t *conv, packet_info *pinfo, int end, const pn_conv_layer_t *layer)
{
    direction_result_t *r = &conv->dir[end];
    pn_payload_t payload;

    if (!conv->dir[0].frame || !conv->dir[1].frame)
        take_handshake_hint(conv, end, layer->handshake);
    if (!layer->has_payload)
        return;
    /* the payload's bytes are read only when they will be looked at */
    if (!r->frame) {
        portnote_layers_payload(layer, &payload);
        look_at_payload(conv, pinfo, end, layer->transport, &payload);
    } else if (r->tunnel == TUNNEL_OPEN && r->frame != pinfo->num) {
        portnote_layers_payload(layer, &payload);
        if (!pn_payload_is_noise(payload.data, payload.length))
            look_into_tunnel(r, layer->transport, &payload);
    }
}

/**
 * The packet's conversation: on the first pass created with its first
 * packet and updated with this packet's payload (that of its conversation
 * layer, if it has one); later passes only look it up (NULL when it has
 * no state).  *view: what it says of the packet.
 */
pn_conv_t *portnote_conv_update(packet_info *pinfo, const pn_packet_t *packet, pn_conv_view_t *view)
{
    pn_conv_t *conv;

    memset(view, 0, sizeof *view);
    conv = portnote_connection(pinfo, packet, sizeof(pn_conv_t), &view->end, &view->connection);
    if (!conv)
        return NULL;
    if (!PINFO_FD_VISITED(pinfo) && packet->conv_layer >= 0) {
        decide_server(conv, view->end, &packet->conv);
        conv->packets[view->end]++;
        conv->bytes[view->end] += packet->conv.payload_length;
        if (portnote_prefs.payload_check)
            check_payload(conv, pinfo, view->end, &packet->conv);
    }
    describe(conv, view->end, view);
    return conv;
}

/* ---- Verdicts on the frame's notes (every pass) ---------------------------- */

/** The direction whose verdict speaks for the conversation; NULL when
 * nothing was recognised yet. */
static const direction_result_t *deciding_direction(const pn_conv_t *conv, int *end)
{
    if (!conv->deciding)
        return NULL;
    *end = conv->deciding - 1;
    return &conv->dir[*end];
}

/** Whether a note is the conversation's server port that the verdict is about. */
static gboolean is_judged_port(const pn_note_t *n, const direction_result_t *r, gboolean server_is_src)
{
    return n->port == r->server_port && (n->is_src == server_is_src || n->both_sides)
        && n->role != PN_ROLE_CLIENT;
}

/**
 * A finding on a port with no note in this frame (no row, or only a
 * client range) gets a note of its own: on the first pass from the
 * deciding frame on, on later passes (which know the whole conversation)
 * on every frame, as the notes of a documented port are.
 */
void portnote_conv_add_findings(pn_conv_t *conv, int end_of_packet,
                                const pn_packet_t *packet, pn_note_buffer_t *notes)
{
    int end = 0;
    const direction_result_t *r = conv ? deciding_direction(conv, &end) : NULL;
    gboolean server_is_src;

    if (!r || r->verdict == PN_VERDICT_CONFIRMED || packet->conv_layer < 0)
        return;
    server_is_src = conv->server_end[end] == end_of_packet;
    for (guint i = 0; i < notes->count; i++)
        if (is_judged_port(&notes->notes[i], r, server_is_src))
            return;
    pn_notes_append(notes, NULL, packet->conv.transport, packet->conv.ports, packet->conv.ports_start,
                    PN_ROLE_SERVER, server_is_src);
}

static guint32 note_key(const pn_note_t *n)
{
    return (guint32)n->transport << 16 | n->port;
}

/** The conversation's record of a note; created on the first pass. */
static shown_note_t *shown_record(pn_conv_t *conv, const pn_note_t *n, gboolean first_pass,
                                  guint32 frame)
{
    guint32 key = note_key(n);
    shown_note_t fresh = { key, frame, n->verdict };
    guint more = conv->more_shown ? wmem_array_get_count(conv->more_shown) : 0;

    for (guint i = 0; i < conv->shown_count; i++)
        if (conv->shown[i].key == key)
            return &conv->shown[i];
    for (guint i = 0; i < more; i++) {
        shown_note_t *s = wmem_array_index(conv->more_shown, i);
        if (s->key == key)
            return s;
    }
    if (!first_pass)
        return NULL;
    if (conv->shown_count < PN_INLINE_SHOWN) {
        conv->shown[conv->shown_count] = fresh;
        return &conv->shown[conv->shown_count++];
    }
    if (!conv->more_shown)
        conv->more_shown = wmem_array_new(wmem_file_scope(), sizeof(shown_note_t));
    wmem_array_append_one(conv->more_shown, fresh);
    return wmem_array_index(conv->more_shown, more);
}

/** Sets the flags that say where Expert Info and conversation counts go. */
static void flag_note(pn_conv_t *conv, pn_note_t *n, guint32 frame, gboolean first_pass)
{
    shown_note_t *s = shown_record(conv, n, first_pass, frame);

    if (!s)
        return;
    if (s->first_frame == frame)
        n->flags |= PN_FLAG_FIRST_IN_CONV;
    if (first_pass && s->verdict != n->verdict) {
        n->flags |= PN_FLAG_VERDICT_CHANGED;
        s->verdict = n->verdict;
    }
}

/**
 * Applies the conversation's verdict (as known on this pass) to the
 * frame's notes and flags them.  Returns whether this is the
 * conversation's first frame with notes.
 */
gboolean portnote_conv_apply(pn_conv_t *conv, packet_info *pinfo, int end_of_packet, pn_note_t *notes,
                             guint count)
{
    int end = 0;
    const direction_result_t *r = conv ? deciding_direction(conv, &end) : NULL;
    gboolean server_is_src = r && conv->server_end[end] == end_of_packet;
    gboolean first_pass = !PINFO_FD_VISITED(pinfo);

    for (guint i = 0; i < count; i++) {
        pn_note_t *n = &notes[i];
        n->verdict = PN_VERDICT_NONE;
        n->observed = PN_PROTO_NONE;
        n->tunnelled = PN_PROTO_NONE;
        n->flags = 0;
        if (r && is_judged_port(n, r, server_is_src)) {
            n->verdict = r->verdict;
            n->observed = r->observed;
            n->tunnelled = conv->dir[0].tunnelled ? conv->dir[0].tunnelled : conv->dir[1].tunnelled;
            if (r->frame == pinfo->num)
                n->flags |= PN_FLAG_DECIDED_HERE;
        }
        if (conv)
            flag_note(conv, n, pinfo->num, first_pass);
    }
    /* The first note shown is the one the conversation first showed. */
    return conv && conv->shown_count > 0 && conv->shown[0].first_frame == pinfo->num;
}

/**
 * Flags the UDP notes of a conversation whose server is seen amplifying
 * (pn_amplification_seen): its answers dwarf the requests, or come with no
 * request at all.  Reflection and amplification risks stand only then; the
 * counts are those seen so far on the first pass, all of them later.
 */
void portnote_conv_flag_amplifying(const pn_conv_view_t *view, const pn_packet_t *packet,
                                   pn_note_t *notes, guint count)
{
    if (packet->conv_layer < 0 || packet->conv.transport != PN_TRANSPORT_UDP || !view->server_known
        || !pn_amplification_seen(view->bytes[PN_END_CLIENT], view->packets[PN_END_CLIENT],
                                  view->bytes[PN_END_SERVER], view->packets[PN_END_SERVER]))
        return;
    for (guint i = 0; i < count; i++) {
        if (notes[i].transport == PN_TRANSPORT_UDP)
            notes[i].flags |= PN_FLAG_AMPLIFYING;
    }
}
