/* portnote-services.c
 * One alert per service.  A server service is a server address, transport
 * and port with one note, one payload verdict (and the protocol it saw)
 * and one exposure: a `kinit`
 * makes a dozen UDP conversations with one Kerberos service, and an analyst
 * wants one Expert Info for it, not one per conversation.  An internal
 * Note followed by an inbound High raises again: the exposure is part of
 * the service.
 *
 * The first pass records where each service was first seen, in frame
 * order, with the verdicts known so far.  Later passes know each
 * conversation's final verdict from its first frame on, so a service of
 * the first pass (SSH with no verdict yet) may not exist there: they keep
 * their own earliest frame per service, which a sequential pass (tshark
 * -2, the GUI's Expert Information) settles.  Only a conversation's first
 * frame with a note, or the frame where its verdict was reached, can be a
 * service's first: others are not looked up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <epan/address.h>
#include <epan/packet.h>

#include "portnote-glue.h"

typedef struct {
    address server;
    const pn_entry_t *entry;
    guint16 port;
    guint8 transport;
    guint8 kind;
    guint8 verdict;
    guint8 observed;
    guint8 exposure;
    guint32 hash;
} service_key_t;

typedef struct {
    service_key_t key;
    guint32 first_frame;    /* first pass: where the service was first seen */
    guint32 settled_frame;  /* later passes: the earliest frame seen with it, or 0 */
} service_t;

/* Emptied with the capture file. */
static wmem_map_t *services;

static guint service_hash(gconstpointer k)
{
    return ((const service_key_t *)k)->hash;
}

static gboolean service_equal(gconstpointer a, gconstpointer b)
{
    const service_key_t *x = a, *y = b;

    return x->hash == y->hash && x->port == y->port && x->transport == y->transport
        && x->kind == y->kind && x->verdict == y->verdict && x->observed == y->observed
        && x->exposure == y->exposure
        && x->entry == y->entry && addresses_equal(&x->server, &y->server);
}

void portnote_services_init(void)
{
    services = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), service_hash, service_equal);
}

/** The service key of a note in this packet (pointing at the packet's address). */
static void key_of(const packet_info *pinfo, const pn_note_t *n, service_key_t *key)
{
    memset(key, 0, sizeof *key);
    copy_address_shallow(&key->server, portnote_note_server(pinfo, n));
    key->entry = n->entry;
    key->port = n->port;
    key->transport = n->transport;
    key->kind = n->kind;
    key->verdict = n->verdict;
    key->observed = n->observed;
    key->exposure = n->exposure;
    key->hash = add_address_to_hash((guint32)n->port << 8 ^ n->transport, &key->server)
        ^ g_direct_hash(n->entry) ^ (guint32)n->verdict << 24 ^ (guint32)n->observed << 16 ^ (guint32)n->exposure << 28;
}

/** Whether a frame can be the first of a note's service. */
static gboolean may_start_service(const pn_note_t *n)
{
    return (n->flags & (PN_FLAG_FIRST_IN_CONV | PN_FLAG_VERDICT_CHANGED | PN_FLAG_DECIDED_HERE)) != 0
        && pn_note_risk(n) != PN_RISK_NONE;
}

/** Flags the notes of this frame that are their service's first (see above). */
void portnote_services_flag(const packet_info *pinfo, pn_note_t *notes, guint count)
{
    for (guint i = 0; i < count; i++) {
        pn_note_t *n = &notes[i];
        service_key_t key;
        service_t *s;

        if (!may_start_service(n))
            continue;
        key_of(pinfo, n, &key);
        s = (service_t *)wmem_map_lookup(services, &key);
        if (!s) {
            s = wmem_new0(wmem_file_scope(), service_t);
            s->key = key;
            copy_address_wmem(wmem_file_scope(), &s->key.server, &key.server);
            wmem_map_insert(services, &s->key, s);
        }
        if (!PINFO_FD_VISITED(pinfo) && !s->first_frame)
            s->first_frame = pinfo->num;
        if (PINFO_FD_VISITED(pinfo) && (!s->settled_frame || pinfo->num < s->settled_frame))
            s->settled_frame = pinfo->num;
        if ((PINFO_FD_VISITED(pinfo) ? s->settled_frame : s->first_frame) == pinfo->num)
            n->flags |= PN_FLAG_FIRST_IN_SERVICE;
    }
}
