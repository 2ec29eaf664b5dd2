/* portnote-db.h
 * The port notes database: parsing of the notes files and lookup by
 * transport and port.  Plain C + GLib, no epan: the Wireshark glue
 * (packet-portnote.c and the files listed in portnote-glue.h) reads the
 * notes through this and never parses them itself.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_DB_H
#define PORTNOTE_DB_H

#include <glib.h>

G_BEGIN_DECLS

/** Number of comma-separated fields in a notes row. */
#define PN_FIELD_COUNT 14

/** Rows of the first format stop after the source field; they still load. */
#define PN_LEGACY_FIELD_COUNT 10

/** Longest accepted field, in bytes, after unescaping. */
#define PN_MAX_FIELD_LEN 4096

/** Largest notes file read, in bytes; larger ones are reported, not read. */
#define PN_MAX_FILE_SIZE (64u * 1024u * 1024u)

typedef enum {
    PN_TRANSPORT_TCP,
    PN_TRANSPORT_UDP,
    PN_TRANSPORT_SCTP,
    PN_TRANSPORT_COUNT
} pn_transport_t;

/* Numbered from 1 so that "no warning" is 0 and can be left out of
 * the tree: `portnote.risk` present means "this port has a warning". */
typedef enum {
    PN_RISK_NONE = 0,
    PN_RISK_LOW,
    PN_RISK_MEDIUM,
    PN_RISK_HIGH,
    PN_RISK_CRITICAL,
    PN_RISK_COUNT
} pn_risk_t;

/* What a documented port normally is: the listening port of a service,
 * or a port that clients use (68/udp, the ephemeral range). */
typedef enum {
    PN_KIND_SERVICE,
    PN_KIND_CLIENT,
    PN_KIND_IGNORE      /* silences earlier rows for these ports */
} pn_kind_t;

/* The part a port plays in one packet. */
typedef enum {
    PN_ROLE_UNKNOWN,
    PN_ROLE_SERVER,
    PN_ROLE_CLIENT
} pn_role_t;

/* What the transport header says about direction (TCP handshake). */
typedef enum {
    PN_HINT_NONE,
    PN_HINT_SRC_IS_CLIENT,  /* SYN without ACK */
    PN_HINT_SRC_IS_SERVER   /* SYN with ACK */
} pn_hint_t;

/* One half of a port's notes: a risk, what kind it is, who, and why. */
typedef struct {
    pn_risk_t risk;
    char **categories;      /* NULL-terminated, may be empty */
    char **threats;         /* NULL-terminated, may be empty */
    char *categories_text;  /* categories joined by ", " for summaries */
    char *threats_text;     /* threats joined by ", " */
    char *note;             /* "" when there is nothing to say */
} pn_part_t;

/*
 * A port's notes come in two halves, because they answer two questions.
 * `own`: what is true of the service itself when it is genuine (cleartext
 * logins, amplification, an exposed ICS interface, a worm that exploits
 * it); it stands whatever the payload shows.  `also`: other software that
 * merely listens on the same port number (trojans, backdoors); it stands
 * only while the payload has not confirmed the service.
 */
typedef struct pn_entry {
    guint16 first_port;
    guint16 last_port;
    pn_transport_t transport;
    pn_kind_t kind;
    pn_part_t own;
    pn_part_t also;
    char *service;
    char *description;
    char *source;
    char *origin;           /* "file:line" the row was read from */
} pn_entry_t;

typedef struct pn_db pn_db_t;

/* One side of a transport layer, as the role decision sees it. */
typedef struct {
    guint16 port;
    gboolean ephemeral;         /* inside the configured ephemeral range */
    const pn_entry_t *entry;    /* NULL when the port is not documented */
} pn_endpoint_t;

pn_db_t *pn_db_new(void);
void pn_db_free(pn_db_t *db);

guint pn_db_load_text(pn_db_t *db, const char *name, const char *text,
                      gsize len, GPtrArray *errors);
gboolean pn_db_load_file(pn_db_t *db, const char *path, GPtrArray *errors);

gboolean pn_check_fields(const char *const *fields, char **reason);

const pn_entry_t *pn_db_lookup(const pn_db_t *db, pn_transport_t transport,
                               guint16 port);
guint pn_db_row_count(const pn_db_t *db);
const pn_entry_t *pn_db_row(const pn_db_t *db, guint i);

void pn_decide_roles(const pn_endpoint_t *src, const pn_endpoint_t *dst,
                     pn_hint_t hint, pn_role_t *src_role, pn_role_t *dst_role);
gboolean pn_should_annotate(const pn_entry_t *entry, pn_role_t role,
                            gboolean client_side_too);

pn_risk_t pn_entry_risk(const pn_entry_t *entry, gboolean confirmed);
gboolean pn_is_client_range(const pn_entry_t *entry);

const char *pn_transport_name(pn_transport_t transport);
const char *pn_risk_name(pn_risk_t risk);
const char *pn_role_name(pn_role_t role);

G_END_DECLS

#endif /* PORTNOTE_DB_H */
