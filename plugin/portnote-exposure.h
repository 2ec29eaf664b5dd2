/* portnote-exposure.h
 * Exposure: who talks to whom across the edge of the local networks, like
 * Suricata's HOME_NET and Zeek's Site::local_nets.  The local networks are
 * a list of address prefixes (the `local_networks` preference, parsed by
 * the glue with Wireshark's address parsers); a conversation is loopback,
 * internal, inbound, outbound or external depending on which of its ends
 * are local.  Plain C + GLib, no epan.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_EXPOSURE_H
#define PORTNOTE_EXPOSURE_H

#include <glib.h>

#include "portnote-db.h"

G_BEGIN_DECLS

/* The preference's default: RFC 1918, loopback, link-local, shared address
 * space (RFC 6598), IPv6 loopback, unique local and link-local. */
#define PN_LOCAL_NETWORKS_DEFAULT \
    "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 127.0.0.0/8, 169.254.0.0/16, " \
    "100.64.0.0/10, ::1/128, fc00::/7, fe80::/10"

typedef struct pn_netlist pn_netlist_t;

pn_netlist_t *pn_netlist_new(void);
void pn_netlist_free(pn_netlist_t *list);
gboolean pn_netlist_add(pn_netlist_t *list, guint family_bytes, const guint8 *prefix, guint bits);
gboolean pn_netlist_contains(const pn_netlist_t *list, guint family_bytes, const guint8 *address);
guint pn_netlist_count(const pn_netlist_t *list);

pn_exposure_t pn_exposure_of(gboolean client_local, gboolean server_local, gboolean loopback);

G_END_DECLS

#endif /* PORTNOTE_EXPOSURE_H */
