/* portnote-service-rows.h
 * The per-service bookkeeping of PortNote's tap listeners: one row per
 * server service (server address, transport, port, exposure), with its
 * clients, conversations, packets, worst risk and evidence.  The JSON view
 * (portnote-services-view.c) and the statistics table
 * (portnote-services-table.c) both count with it, so that they always
 * agree on what a service is and what it saw.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_SERVICE_ROWS_H
#define PORTNOTE_SERVICE_ROWS_H

#include <epan/packet.h>

#include "portnote-tap.h"

/* One server service. */
typedef struct {
    guint index;                /* its place in the order first seen */
    char *server;
    address_type atype;
    guint16 port;
    guint8 transport;
    guint8 exposure;
    const char *service;
    pn_risk_t worst;
    guint32 verdicts;           /* bit per pn_verdict_t seen */
    pn_proto_set_t observed;    /* the protocols the payload showed */
    GHashTable *clients;        /* client address text -> itself */
    GHashTable *conversations;  /* conversation -> itself */
    nstime_t first_abs, last_abs;
    guint64 packets;
} pn_service_row_t;

typedef struct {
    GHashTable *by_key;     /* "server/transport/port/exposure" -> row (owned by rows) */
    GPtrArray *rows;        /* in the order first seen */
} pn_service_rows_t;

pn_service_rows_t *pn_service_rows_new(void);
void pn_service_rows_reset(pn_service_rows_t *rows);
void pn_service_rows_free(pn_service_rows_t *rows);

/** Counts one note of a tapped packet in its service's row (created when
 * new) and returns the row; a client's note counts nowhere (NULL). */
pn_service_row_t *pn_service_rows_add(pn_service_rows_t *rows, const packet_info *pinfo,
                                      const pn_tap_notes_t *packet, const pn_note_t *note);

/** The display filter that brings the service's server and port back
 * (g_free it). */
char *pn_service_row_filter(const pn_service_row_t *row);

#endif /* PORTNOTE_SERVICE_ROWS_H */
