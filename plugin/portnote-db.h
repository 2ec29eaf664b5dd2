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

/** Number of comma-separated fields in a notes row (format 3). */
#define PN_FIELD_COUNT 16

/** Rows of format 2 stop after the also_note field, rows of the first
 * format after the source field; both still load. */
#define PN_V2_FIELD_COUNT 14
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

/* Who talks to whom across the edge of the local networks (a preference,
 * like Suricata's HOME_NET): what exposure risks depend on.  UNKNOWN: no
 * IP addresses to judge by (rated as EXTERNAL). */
typedef enum {
    PN_EXPOSURE_UNKNOWN = 0,
    PN_EXPOSURE_LOOPBACK,   /* an end is the host itself */
    PN_EXPOSURE_INTERNAL,   /* both ends local */
    PN_EXPOSURE_INBOUND,    /* a client outside reaches a local server */
    PN_EXPOSURE_OUTBOUND,   /* a local client reaches a server outside */
    PN_EXPOSURE_EXTERNAL,   /* neither end local */
    PN_EXPOSURE_COUNT
} pn_exposure_t;

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
/*
 * A row's own risk where the rubric's per-exposure levels do not fit the
 * service (format 3, fields 15 and 16): a level per exposure, and a note
 * that only applies to some exposures (SMB to the Internet leaks NTLM
 * credentials).
 */
typedef struct {
    guint8 has_risk[PN_EXPOSURE_COUNT];
    pn_risk_t risk[PN_EXPOSURE_COUNT];
    guint8 has_note[PN_EXPOSURE_COUNT];
    char *risks_text;       /* field 15 as written, "internal=low;outbound=medium" */
    char *note_text;        /* field 16 as written, "outbound: ..." */
    const char *note;       /* its text after the exposure names, or "" */
} pn_exposure_rule_t;

typedef struct pn_entry {
    guint16 first_port;
    guint16 last_port;
    pn_transport_t transport;
    pn_kind_t kind;
    pn_part_t own;
    pn_part_t also;
    pn_exposure_rule_t exposure;
    /* pn_entry_own_risk's answers by exposure and by whether amplification
     * is seen, worked out once when the row is read: the categories are
     * text, and every packet with a note asks */
    guint8 own_risk[PN_EXPOSURE_COUNT][2];
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

pn_risk_t pn_entry_own_risk(const pn_entry_t *entry, pn_exposure_t exposure, gboolean amplifying);
gboolean pn_entry_amplifies(const pn_entry_t *entry);
gboolean pn_entry_squatter_likelier(const pn_entry_t *entry);
gboolean pn_category_depends_on_exposure(const char *category);
gboolean pn_is_client_range(const pn_entry_t *entry);

const char *pn_transport_name(pn_transport_t transport);
const char *pn_risk_name(pn_risk_t risk);
const char *pn_role_name(pn_role_t role);
const char *pn_exposure_name(pn_exposure_t exposure);
gboolean pn_exposure_from_name(const char *name, pn_exposure_t *exposure);

G_END_DECLS

#endif /* PORTNOTE_DB_H */
