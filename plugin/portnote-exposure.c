/* portnote-exposure.c
 * The local networks and the exposure of a conversation (see
 * portnote-exposure.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "portnote-exposure.h"

/* One prefix: 4-byte (IPv4) or 16-byte (IPv6) addresses. */
typedef struct {
    guint8 bytes[16];
    guint8 length;          /* 4 or 16 */
    guint8 bits;            /* prefix length */
} prefix_t;

struct pn_netlist {
    GArray *prefixes;       /* of prefix_t */
};

pn_netlist_t *pn_netlist_new(void)
{
    pn_netlist_t *list = g_new0(pn_netlist_t, 1);

    list->prefixes = g_array_new(FALSE, TRUE, sizeof(prefix_t));
    return list;
}

void pn_netlist_free(pn_netlist_t *list)
{
    if (!list)
        return;
    g_array_free(list->prefixes, TRUE);
    g_free(list);
}

/** Whether the first bits of a and b are equal. */
static gboolean same_prefix(const guint8 *a, const guint8 *b, guint bits)
{
    guint whole = bits / 8, rest = bits % 8;
    guint8 mask = (guint8)(0xff << (8 - rest));

    if (memcmp(a, b, whole) != 0)
        return FALSE;
    return rest == 0 || ((a[whole] ^ b[whole]) & mask) == 0;
}

/**
 * Adds a prefix of a 4-byte (IPv4) or 16-byte (IPv6) address; FALSE when
 * the length or the prefix length does not fit.  Host bits are ignored.
 */
gboolean pn_netlist_add(pn_netlist_t *list, guint family_bytes, const guint8 *prefix, guint bits)
{
    prefix_t p = { { 0 }, 0, 0 };

    if ((family_bytes != 4 && family_bytes != 16) || bits > family_bytes * 8)
        return FALSE;
    memcpy(p.bytes, prefix, family_bytes);
    p.length = (guint8)family_bytes;
    p.bits = (guint8)bits;
    g_array_append_val(list->prefixes, p);
    return TRUE;
}

/** Whether an address (4 or 16 bytes) is in one of the list's prefixes. */
gboolean pn_netlist_contains(const pn_netlist_t *list, guint family_bytes, const guint8 *address)
{
    if (!list)
        return FALSE;
    for (guint i = 0; i < list->prefixes->len; i++) {
        const prefix_t *p = &g_array_index(list->prefixes, prefix_t, i);
        if (p->length == family_bytes && same_prefix(p->bytes, address, p->bits))
            return TRUE;
    }
    return FALSE;
}

guint pn_netlist_count(const pn_netlist_t *list)
{
    return list ? list->prefixes->len : 0;
}

/**
 * The exposure of a conversation from which of its ends are local: an end
 * on the host itself makes it loopback, whatever the other is.
 */
pn_exposure_t pn_exposure_of(gboolean client_local, gboolean server_local, gboolean loopback)
{
    if (loopback)
        return PN_EXPOSURE_LOOPBACK;
    if (client_local)
        return server_local ? PN_EXPOSURE_INTERNAL : PN_EXPOSURE_OUTBOUND;
    return server_local ? PN_EXPOSURE_INBOUND : PN_EXPOSURE_EXTERNAL;
}
