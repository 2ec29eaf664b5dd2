/* portnote-db.c
 * Parsing and lookup for the port notes database.  See portnote-db.h.
 *
 * A notes file is a list of rows in the format Wireshark uses for its
 * user tables (UAT), so that the "Port notes" UAT can edit it: comma-
 * separated fields, each a "quoted string" (escapes \\, \" and \xHH)
 * or empty; '#' starts a comment line.
 * The fields are, in order:
 *   ports, transport, role, service, risk, categories, threats,
 *   description, note, source, also_risk, also_categories, also_threats,
 *   also_note
 * Fields 5-7 and 9 are the service's own notes; the also_ fields are
 * other software that merely uses the port number (see portnote-db.h).
 * Rows of the first format end after the source field; they still load,
 * their trojan and backdoor categories and threats taken as the also_ half.
 * A bad row is reported as "file:line: reason" and skipped; every other
 * row still loads.  Later rows override earlier ones port by port, which
 * is how user files extend or correct the embedded default.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-db.h"

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#define PN_PORT_SPACE 65536

enum {
    FIELD_PORTS,
    FIELD_TRANSPORT,
    FIELD_ROLE,
    FIELD_SERVICE,
    FIELD_RISK,
    FIELD_CATEGORIES,
    FIELD_THREATS,
    FIELD_DESCRIPTION,
    FIELD_NOTE,
    FIELD_SOURCE,
    FIELD_ALSO_RISK,
    FIELD_ALSO_CATEGORIES,
    FIELD_ALSO_THREATS,
    FIELD_ALSO_NOTE,
    FIELD_EXPOSURE_RISKS,
    FIELD_EXPOSURE_NOTE
};

struct pn_db {
    GPtrArray *entries;     /* owns every pn_entry_t ever accepted */
    const pn_entry_t **slots[PN_TRANSPORT_COUNT]; /* PN_PORT_SPACE each */
    guint rows;
    guint load_serial;      /* tells rows of the current file from older ones */
};

/* The entry plus what only the loader needs. */
typedef struct {
    pn_entry_t pub;
    guint load_serial;
    guint line;
} pn_row_t;

static const char *const transport_names[PN_TRANSPORT_COUNT] = { "tcp", "udp", "sctp" };
static const char *const risk_names[PN_RISK_COUNT] = {
    "none", "low", "medium", "high", "critical"
};
static const char *const exposure_names[PN_EXPOSURE_COUNT] = {
    "unknown", "loopback", "internal", "inbound", "outbound", "external"
};
/* The categories whose weight depends on who can reach the service
 * (data/RUBRIC.md, "Exposure"): what an exposed service, a worm or a
 * default password means depends on who can reach it.  Amplification
 * depends on what is seen instead. */
static const char *const exposure_categories[] = {
    "exposed-service", "default-credentials", "remote-access", "worm",
    "vulnerable-software", NULL
};
static const char *const known_categories[] = {
    "amplification", "backdoor", "cleartext-credentials", "covert-channel",
    "default-credentials", "denial-of-service", "exposed-service",
    "industrial-control", "information-disclosure", "man-in-the-middle",
    "misconfiguration", "non-standard-port", "protocol-mismatch",
    "reconnaissance", "remote-access", "rogue-server", "spam-relay",
    "spoofing", "trojan", "vulnerable-software", "worm", NULL
};
/* Software of these kinds only squats on a port number: its notes belong
 * in the also_ half, never in a service's own. */
static const char *const squatter_categories[] = { "trojan", "backdoor", NULL };

/** Appends "name:line: reason" (line 0: "name: reason") to errors. */
static void G_GNUC_PRINTF(4, 5)
report(GPtrArray *errors, const char *name, guint line, const char *fmt, ...)
{
    va_list ap;
    char *reason;

    if (!errors)
        return;
    va_start(ap, fmt);
    reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    if (line)
        g_ptr_array_add(errors, g_strdup_printf("%s:%u: %s", name, line, reason));
    else
        g_ptr_array_add(errors, g_strdup_printf("%s: %s", name, reason));
    g_free(reason);
}

static void part_free(pn_part_t *part)
{
    g_strfreev(part->categories);
    g_strfreev(part->threats);
    g_free(part->categories_text);
    g_free(part->threats_text);
    g_free(part->note);
}

static void entry_free(gpointer data)
{
    pn_row_t *row = data;
    pn_entry_t *e = &row->pub;

    g_free(e->service);
    g_free(e->description);
    part_free(&e->own);
    part_free(&e->also);
    g_free(e->exposure.risks_text);
    g_free(e->exposure.note_text);
    g_free(e->source);
    g_free(e->origin);
    g_free(row);
}

pn_db_t *pn_db_new(void)
{
    pn_db_t *db = g_new0(pn_db_t, 1);

    db->entries = g_ptr_array_new_with_free_func(entry_free);
    return db;
}

void pn_db_free(pn_db_t *db)
{
    if (!db)
        return;
    for (int t = 0; t < PN_TRANSPORT_COUNT; t++)
        g_free(db->slots[t]);
    g_ptr_array_free(db->entries, TRUE);
    g_free(db);
}

/* ---- Field splitting ---------------------------------------------------- */

static const char *skip_blanks(const char *p, const char *end)
{
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    return p;
}

/** Reads two hex digits at p into *byte. */
static gboolean read_hex_byte(const char *p, const char *end, guint8 *byte)
{
    int hi, lo;

    if (end - p < 2)
        return FALSE;
    hi = g_ascii_xdigit_value(p[0]);
    lo = g_ascii_xdigit_value(p[1]);
    if (hi < 0 || lo < 0)
        return FALSE;
    *byte = (guint8)(hi << 4 | lo);
    return TRUE;
}

/** Reads a "quoted" field starting at *pp (on the quote), unescaping it. */
static gboolean read_quoted(const char **pp, const char *end, GString *out,
                            char **reason)
{
    const char *p = *pp + 1;

    while (p < end && *p != '"') {
        if (*p != '\\') {
            g_string_append_c(out, *p++);
            continue;
        }
        p++;
        if (p < end && (*p == '\\' || *p == '"')) {
            g_string_append_c(out, *p++);
        } else if (p < end && *p == 'x') {
            guint8 byte;
            if (!read_hex_byte(p + 1, end, &byte)) {
                *reason = g_strdup("\\x must be followed by two hex digits");
                return FALSE;
            }
            g_string_append_c(out, (char)byte);
            p += 3;
        } else {
            *reason = g_strdup("unknown escape (use \\\\, \\\" or \\xHH)");
            return FALSE;
        }
    }
    if (p >= end) {
        *reason = g_strdup("a quoted field is not closed");
        return FALSE;
    }
    *pp = p + 1;
    return TRUE;
}

/** An unquoted field may only be empty (UAT files quote every string). */
static gboolean read_empty(const char **pp, const char *end, guint index, char **reason)
{
    const char *p = skip_blanks(*pp, end);

    if (p < end && *p != ',') {
        *reason = g_strdup_printf("field %u must be a \"quoted string\"", index);
        return FALSE;
    }
    *pp = p;
    return TRUE;
}

/** Checks an unescaped field: length, no control bytes, valid UTF-8. */
static gboolean check_field(const GString *f, guint index, char **reason)
{
    if (f->len > PN_MAX_FIELD_LEN) {
        *reason = g_strdup_printf("field %u is %" G_GSIZE_FORMAT " bytes long (at most %u)",
                                  index, f->len, PN_MAX_FIELD_LEN);
        return FALSE;
    }
    for (gsize i = 0; i < f->len; i++) {
        guchar c = (guchar)f->str[i];
        if (c < 0x20 || c == 0x7f) {
            *reason = g_strdup_printf("field %u holds control character 0x%02x", index, c);
            return FALSE;
        }
    }
    if (!g_utf8_validate(f->str, (gssize)f->len, NULL)) {
        *reason = g_strdup_printf("field %u is not valid UTF-8", index);
        return FALSE;
    }
    return TRUE;
}

/** Splits one row into unescaped fields (appended to fields). */
static gboolean split_row(const char *p, const char *end, GPtrArray *fields,
                          char **reason)
{
    for (;;) {
        GString *field = g_string_new(NULL);

        gboolean ok;

        p = skip_blanks(p, end);
        if (p < end && *p == '"') {
            ok = read_quoted(&p, end, field, reason);
            p = skip_blanks(p, end);
        } else {
            ok = read_empty(&p, end, fields->len + 1, reason);
        }
        if (!ok || !check_field(field, fields->len + 1, reason)) {
            g_string_free(field, TRUE);
            return FALSE;
        }
        g_ptr_array_add(fields, g_string_free(field, FALSE));
        if (p == end)
            return TRUE;
        if (*p != ',') {
            *reason = g_strdup_printf("unexpected text after field %u", fields->len);
            return FALSE;
        }
        p++;
    }
}

/* ---- Field values ------------------------------------------------------- */

/** Parses a decimal port number 0-65535 in [s, e). */
static gboolean parse_port(const char *s, const char *e, guint16 *port)
{
    guint value = 0;

    if (s == e || e - s > 5)
        return FALSE;
    for (; s < e; s++) {
        if (!g_ascii_isdigit(*s))
            return FALSE;
        value = value * 10 + (guint)(*s - '0');
    }
    if (value > G_MAXUINT16)
        return FALSE;
    *port = (guint16)value;
    return TRUE;
}

/** Parses "N" or "N-M" into a port range. */
static gboolean parse_ports(const char *text, guint16 *first, guint16 *last,
                            char **reason)
{
    const char *end = text + strlen(text);
    const char *dash = strchr(text, '-');
    gboolean ok;

    if (dash && dash != text) {     /* "-1" is a sign, not a range */
        ok = parse_port(text, dash, first) && parse_port(dash + 1, end, last);
    } else {
        ok = parse_port(text, end, first);
        *last = *first;
    }
    if (!ok) {
        *reason = g_strdup_printf("'%s' is not a port (0-65535) or a range N-M", text);
        return FALSE;
    }
    if (*first > *last) {
        *reason = g_strdup_printf("port range '%s' is reversed", text);
        return FALSE;
    }
    return TRUE;
}

/** Finds name in a NULL-terminated table, case-insensitively; -1 if absent. */
static int lookup_name(const char *const *names, int count, const char *name)
{
    for (int i = 0; i < count && names[i]; i++)
        if (g_ascii_strcasecmp(names[i], name) == 0)
            return i;
    return -1;
}

static gboolean parse_transport(const char *text, pn_transport_t *t, char **reason)
{
    int i = lookup_name(transport_names, PN_TRANSPORT_COUNT, text);

    if (i < 0) {
        *reason = g_strdup_printf("unknown transport '%s' (expected tcp, udp or sctp)", text);
        return FALSE;
    }
    *t = (pn_transport_t)i;
    return TRUE;
}

static gboolean parse_role(const char *text, pn_kind_t *kind, char **reason)
{
    if (*text == '\0' || g_ascii_strcasecmp(text, "server") == 0) {
        *kind = PN_KIND_SERVICE;
    } else if (g_ascii_strcasecmp(text, "client") == 0) {
        *kind = PN_KIND_CLIENT;
    } else if (g_ascii_strcasecmp(text, "ignore") == 0) {
        *kind = PN_KIND_IGNORE;
    } else {
        *reason = g_strdup_printf("unknown role '%s' (expected server, client or ignore)", text);
        return FALSE;
    }
    return TRUE;
}

static gboolean parse_risk(const char *text, pn_risk_t *risk, char **reason)
{
    int i = *text ? lookup_name(risk_names, PN_RISK_COUNT, text) : PN_RISK_NONE;

    if (i < 0) {
        *reason = g_strdup_printf("unknown risk '%s' (expected none, low, medium, high or critical)", text);
        return FALSE;
    }
    *risk = (pn_risk_t)i;
    return TRUE;
}

/** Splits a ';'-separated list, trimming items and dropping empty ones. */
static char **split_list(const char *text)
{
    char **parts = g_strsplit(text, ";", -1);
    GPtrArray *kept = g_ptr_array_new();

    for (char **p = parts; *p; p++) {
        char *item = g_strstrip(*p);
        if (*item)
            g_ptr_array_add(kept, g_strdup(item));
    }
    g_strfreev(parts);
    g_ptr_array_add(kept, NULL);
    return (char **)g_ptr_array_free(kept, FALSE);
}

static gboolean is_squatter_category(const char *category)
{
    return lookup_name(squatter_categories, G_N_ELEMENTS(squatter_categories), category) >= 0;
}

/** Lower-cases known categories; a squatter kind is refused in a service's own half. */
static gboolean check_categories(char **categories, gboolean own, char **reason)
{
    for (char **c = categories; *c; c++) {
        if (lookup_name(known_categories, G_N_ELEMENTS(known_categories), *c) < 0) {
            *reason = g_strdup_printf("unknown category '%s'", *c);
            return FALSE;
        }
        for (char *s = *c; *s; s++)
            *s = g_ascii_tolower(*s);
        if (own && is_squatter_category(*c)) {
            *reason = g_strdup_printf("category '%s' belongs in also_categories (field 12) when the "
                                      "also_ fields are used: a trojan or backdoor only uses the port "
                                      "number, it is not the service", *c);
            return FALSE;
        }
    }
    return TRUE;
}

/** A warning must say what it warns about; `also` names the half in messages. */
static gboolean check_part(const pn_part_t *part, gboolean also, char **reason)
{
    const char *risk = risk_names[part->risk];

    if (part->risk == PN_RISK_NONE)
        return TRUE;
    if (*part->note == '\0') {
        *reason = also ? g_strdup_printf("also_risk '%s' needs an also_note", risk)
                       : g_strdup_printf("risk '%s' needs a note", risk);
        return FALSE;
    }
    if (!part->categories[0]) {
        *reason = also ? g_strdup_printf("also_risk '%s' needs at least one also_category", risk)
                       : g_strdup_printf("risk '%s' needs at least one category", risk);
        return FALSE;
    }
    return TRUE;
}

static gboolean check_entry(const pn_entry_t *e, char **reason)
{
    if (e->kind == PN_KIND_IGNORE)
        return TRUE;
    if (*e->service == '\0') {
        *reason = g_strdup("the service name is empty");
        return FALSE;
    }
    return check_part(&e->own, FALSE, reason) && check_part(&e->also, TRUE, reason);
}

/** Parses a list of exposure names ("inbound,external") into flags. */
static gboolean parse_exposure_names(const char *text, guint8 named[PN_EXPOSURE_COUNT], char **reason)
{
    char **names = g_strsplit(text, ",", -1);
    gboolean ok = TRUE, any = FALSE;

    for (char **n = names; *n && ok; n++) {
        pn_exposure_t exposure;
        char *name = g_strstrip(*n);
        if (!*name)
            continue;
        ok = pn_exposure_from_name(name, &exposure) && exposure != PN_EXPOSURE_UNKNOWN;
        if (!ok)
            *reason = g_strdup_printf("unknown exposure '%s' (expected loopback, internal, inbound, "
                                      "outbound or external)", name);
        else
            named[exposure] = any = TRUE;
    }
    g_strfreev(names);
    if (ok && !any)
        *reason = g_strdup("no exposure named");
    return ok && any;
}

/**
 * Fills a row's exposure rule from fields 15 ("internal=low;outbound=medium")
 * and 16 ("outbound: the note"), taking both strings.
 */
static gboolean parse_exposure_rule(pn_exposure_rule_t *rule, char **risks, char **note, char **reason)
{
    char **items = split_list(*risks);
    const char *colon = strchr(*note, ':');
    gboolean ok = TRUE;

    rule->risks_text = *risks;
    rule->note_text = *note;
    *risks = *note = NULL;
    for (char **item = items; *item && ok; item++) {
        guint8 named[PN_EXPOSURE_COUNT] = { 0 };
        char *eq = strchr(*item, '=');
        pn_risk_t risk = PN_RISK_NONE;
        if (!eq) {
            *reason = g_strdup_printf("exposure_risks item '%s' is not EXPOSURE=RISK", *item);
            ok = FALSE;
            break;
        }
        *eq = '\0';
        ok = parse_exposure_names(*item, named, reason) && parse_risk(g_strstrip(eq + 1), &risk, reason);
        for (int x = 0; ok && x < PN_EXPOSURE_COUNT; x++)
            if (named[x]) {
                rule->has_risk[x] = TRUE;
                rule->risk[x] = risk;
            }
    }
    g_strfreev(items);
    rule->note = "";
    if (!ok || !*rule->note_text)
        return ok;
    if (!colon) {
        *reason = g_strdup("exposure_note must start with the exposures it is for ('outbound: ...')");
        return FALSE;
    }
    {
        char *names = g_strndup(rule->note_text, (gsize)(colon - rule->note_text));
        ok = parse_exposure_names(names, rule->has_note, reason);
        g_free(names);
    }
    rule->note = colon + 1;
    while (*rule->note == ' ')
        rule->note++;
    if (ok && !*rule->note) {
        *reason = g_strdup("exposure_note has no text after its exposures");
        ok = FALSE;
    }
    return ok;
}

/** Fills a half from its risk, categories, threats and note fields (taking the note). */
static gboolean parse_part(pn_part_t *part, char *risk, char *categories, char *threats,
                           char **note, gboolean own, char **reason)
{
    part->categories = split_list(categories);
    part->threats = split_list(threats);
    part->note = *note;
    *note = NULL;
    return parse_risk(risk, &part->risk, reason)
        && check_categories(part->categories, own, reason);
}

static void finish_part(pn_part_t *part)
{
    part->categories_text = g_strjoinv(", ", part->categories);
    part->threats_text = g_strjoinv(", ", part->threats);
}

/** Moves the squatter categories out of a list; returns how many moved. */
static guint take_squatters(char ***from, GPtrArray *to)
{
    GPtrArray *kept = g_ptr_array_new();
    guint moved = 0;

    for (char **c = *from; *c; c++) {
        if (is_squatter_category(*c)) {
            g_ptr_array_add(to, *c);
            moved++;
        } else {
            g_ptr_array_add(kept, *c);
        }
    }
    g_ptr_array_add(kept, NULL);
    g_free(*from);      /* the strings moved on */
    *from = (char **)g_ptr_array_free(kept, FALSE);
    return moved;
}

/**
 * A row of the first format has one risk for everything.  Its trojan and
 * backdoor categories, with all its threats, become the also_ half (the
 * row's risk and note go with them); what else it says stays the
 * service's own.  When both halves end up with something, which threat
 * is which was a guess: *ambiguous says so.
 */
static void split_legacy_row(pn_entry_t *e, gboolean *ambiguous)
{
    GPtrArray *squatters = g_ptr_array_new();
    pn_part_t *own = &e->own, *also = &e->also;

    *ambiguous = FALSE;
    if (take_squatters(&own->categories, squatters) == 0) {
        g_ptr_array_free(squatters, TRUE);
        return;
    }
    g_ptr_array_add(squatters, NULL);
    g_strfreev(also->categories);
    also->categories = (char **)g_ptr_array_free(squatters, FALSE);
    g_strfreev(also->threats);
    also->threats = own->threats;
    own->threats = g_new0(char *, 1);
    also->risk = own->risk;
    g_free(also->note);
    also->note = g_strdup(own->note);
    *ambiguous = own->categories[0] != NULL;
    if (!*ambiguous) {
        own->risk = PN_RISK_NONE;
        g_free(own->note);
        own->note = g_strdup("");
    }
}

/** Whether the also_ fields of a row are all empty (or absent). */
static gboolean also_fields_empty(char **f, guint count)
{
    if (count == PN_LEGACY_FIELD_COUNT)
        return TRUE;
    for (int i = FIELD_ALSO_RISK; i <= FIELD_ALSO_NOTE; i++)
        if (*f[i] && g_ascii_strcasecmp(f[i], "none") != 0)
            return FALSE;
    return TRUE;
}

static void rate_own_risks(pn_entry_t *entry);

/**
 * Builds an entry from a row's fields (count: PN_FIELD_COUNT, or
 * PN_V2_FIELD_COUNT or PN_LEGACY_FIELD_COUNT for the older formats, which
 * have no exposure rule), taking ownership of the
 * strings it keeps.  A row whose also_ fields are empty (every row of the
 * first format, and such a row saved again by the Port notes table) is
 * read the first format's way; *ambiguous reports one that had to be
 * split by guess.
 */
static pn_row_t *row_from_fields(char **f, guint count, gboolean *ambiguous, char **reason)
{
    pn_row_t *row = g_new0(pn_row_t, 1);
    pn_entry_t *e = &row->pub;
    gboolean legacy = also_fields_empty(f, count);
    char *empty_note = g_strdup("");
    gboolean ok;

    *ambiguous = FALSE;
    e->service = f[FIELD_SERVICE];
    e->description = f[FIELD_DESCRIPTION];
    e->source = f[FIELD_SOURCE];
    f[FIELD_SERVICE] = f[FIELD_DESCRIPTION] = f[FIELD_SOURCE] = NULL;
    ok = parse_ports(f[FIELD_PORTS], &e->first_port, &e->last_port, reason)
        && parse_transport(f[FIELD_TRANSPORT], &e->transport, reason)
        && parse_role(f[FIELD_ROLE], &e->kind, reason)
        && parse_part(&e->own, f[FIELD_RISK], f[FIELD_CATEGORIES], f[FIELD_THREATS],
                      &f[FIELD_NOTE], !legacy, reason)
        && (legacy ? parse_part(&e->also, "", "", "", &empty_note, FALSE, reason)
                   : parse_part(&e->also, f[FIELD_ALSO_RISK], f[FIELD_ALSO_CATEGORIES],
                                f[FIELD_ALSO_THREATS], &f[FIELD_ALSO_NOTE], FALSE, reason));
    g_free(empty_note);
    if (ok && count >= PN_FIELD_COUNT)
        ok = parse_exposure_rule(&e->exposure, &f[FIELD_EXPOSURE_RISKS], &f[FIELD_EXPOSURE_NOTE], reason);
    else
        e->exposure.note = "";
    if (!ok || !check_entry(e, reason)) {
        entry_free(row);
        return NULL;
    }
    if (legacy)
        split_legacy_row(e, ambiguous);     /* checked as one half, valid as two */
    finish_part(&e->own);
    finish_part(&e->also);
    rate_own_risks(e);
    return row;
}

/**
 * Checks one row given as its PN_FIELD_COUNT unescaped fields (the way the
 * "Port notes" UAT holds it); on failure *reason says why.
 */
gboolean pn_check_fields(const char *const *fields, char **reason)
{
    char *copy[PN_FIELD_COUNT];
    gboolean ambiguous;
    pn_row_t *row;

    for (int i = 0; i < PN_FIELD_COUNT; i++)
        copy[i] = g_strdup(fields[i] ? fields[i] : "");
    row = row_from_fields(copy, PN_FIELD_COUNT, &ambiguous, reason);
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        g_free(copy[i]);
    if (row)
        entry_free(row);
    return row != NULL;
}

/* ---- Loading ------------------------------------------------------------ */

static const pn_entry_t **slots_for(pn_db_t *db, pn_transport_t t)
{
    if (!db->slots[t])
        db->slots[t] = g_new0(const pn_entry_t *, PN_PORT_SPACE);
    return db->slots[t];
}

/** A client range (the ephemeral ports) only says which ports clients pick. */
gboolean pn_is_client_range(const pn_entry_t *e)
{
    return e->kind == PN_KIND_CLIENT && e->first_port != e->last_port;
}

/**
 * Installs a row; a clash with a row of the same file is reported once.
 * Within one file a service row refines a client range in either order,
 * because ports like 1080 or 3389 sit inside the legacy ephemeral range
 * by design.  An "ignore" row empties its ports, silencing earlier files.
 */
static void install_row(pn_db_t *db, pn_row_t *row, const char *name,
                        GPtrArray *errors)
{
    const pn_entry_t **slots = slots_for(db, row->pub.transport);
    const pn_entry_t *value = row->pub.kind == PN_KIND_IGNORE ? NULL : &row->pub;
    gboolean reported = FALSE;

    for (guint port = row->pub.first_port; port <= row->pub.last_port; port++) {
        const pn_row_t *prev = (const pn_row_t *)slots[port];
        gboolean same_file = prev && prev->load_serial == row->load_serial;
        if (same_file && pn_is_client_range(&row->pub) && !pn_is_client_range(&prev->pub))
            continue;
        if (same_file && pn_is_client_range(&prev->pub) != pn_is_client_range(&row->pub))
            same_file = FALSE;  /* a service refining the range: no clash */
        if (same_file && !reported) {
            report(errors, name, row->line,
                   "port %u/%s is already described at line %u; this row replaces it",
                   port, transport_names[row->pub.transport], prev->line);
            reported = TRUE;
        }
        slots[port] = value;
    }
    g_ptr_array_add(db->entries, row);
    db->rows++;
}

/** Parses one row; returns TRUE if it was accepted. */
static gboolean load_row(pn_db_t *db, const char *name, guint line,
                         const char *p, const char *end, GPtrArray *errors)
{
    GPtrArray *fields = g_ptr_array_new_with_free_func(g_free);
    char *reason = NULL;
    pn_row_t *row = NULL;
    gboolean ambiguous = FALSE;

    if (!g_utf8_validate(p, end - p, NULL))
        reason = g_strdup("the line is not valid UTF-8");
    else if (split_row(p, end, fields, &reason) && fields->len != PN_FIELD_COUNT
             && fields->len != PN_V2_FIELD_COUNT && fields->len != PN_LEGACY_FIELD_COUNT)
        reason = g_strdup_printf("expected %u fields (or %u or %u in the older formats), found %u",
                                 PN_FIELD_COUNT, PN_V2_FIELD_COUNT, PN_LEGACY_FIELD_COUNT, fields->len);
    if (!reason)
        row = row_from_fields((char **)fields->pdata, fields->len, &ambiguous, &reason);
    g_ptr_array_free(fields, TRUE);

    if (!row) {
        report(errors, name, line, "%s (row skipped)", reason);
        g_free(reason);
        return FALSE;
    }
    if (ambiguous)
        report(errors, name, line, "a row without also_ fields mixes the service's own risks (%s) "
               "with trojans or backdoors; its threats (%s) were taken as other software using the "
               "port, dropped when the payload confirms %s. Fill in the also_ fields (11-14) to say "
               "which is which (row loaded)", row->pub.own.categories_text,
               row->pub.also.threats_text[0] ? row->pub.also.threats_text : "none named",
               row->pub.service);
    row->line = line;
    row->load_serial = db->load_serial;
    row->pub.origin = g_strdup_printf("%s:%u", name, line);
    install_row(db, row, name, errors);
    return TRUE;
}

static gboolean is_blank_or_comment(const char *p, const char *end)
{
    p = skip_blanks(p, end);
    return p == end || *p == '#';
}

/**
 * Loads every row of a notes text.  `name` is used in messages and in
 * each entry's origin.  Returns the number of rows accepted.
 */
guint pn_db_load_text(pn_db_t *db, const char *name, const char *text,
                      gsize len, GPtrArray *errors)
{
    const char *p = text, *end = text + len;
    guint line = 0, accepted = 0;

    db->load_serial++;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *stop = nl ? nl : end;
        const char *row_end = (stop > p && stop[-1] == '\r') ? stop - 1 : stop;

        line++;
        if (!is_blank_or_comment(p, row_end)
            && load_row(db, name, line, p, row_end, errors))
            accepted++;
        p = nl ? nl + 1 : end;
    }
    return accepted;
}

/**
 * Loads a notes file.  A missing file is not an error (user files are
 * optional); any other failure to read it is reported.
 */
gboolean pn_db_load_file(pn_db_t *db, const char *path, GPtrArray *errors)
{
    GStatBuf st;
    GError *err = NULL;
    char *text = NULL;
    gsize len = 0;

    if (g_stat(path, &st) != 0) {
        if (errno != ENOENT)
            report(errors, path, 0, "cannot read the file: %s", g_strerror(errno));
        return FALSE;
    }
    if (st.st_size > (goffset)PN_MAX_FILE_SIZE) {
        report(errors, path, 0, "the file is larger than %u MiB and was not read",
               PN_MAX_FILE_SIZE >> 20);
        return FALSE;
    }
    if (!g_file_get_contents(path, &text, &len, &err)) {
        report(errors, path, 0, "cannot read the file: %s", err->message);
        g_error_free(err);
        return FALSE;
    }
    if (len == 0)
        report(errors, path, 0, "the file is empty");
    pn_db_load_text(db, path, text, len, errors);
    g_free(text);
    return TRUE;
}

/* ---- Lookup and roles ----------------------------------------------------- */

const pn_entry_t *pn_db_lookup(const pn_db_t *db, pn_transport_t transport,
                               guint16 port)
{
    if (!db || transport >= PN_TRANSPORT_COUNT || !db->slots[transport])
        return NULL;
    return db->slots[transport][port];
}

/** The i-th accepted row, in load order (for checks over the whole data). */
const pn_entry_t *pn_db_row(const pn_db_t *db, guint i)
{
    return i < db->entries->len ? db->entries->pdata[i] : NULL;
}

guint pn_db_row_count(const pn_db_t *db)
{
    return db ? db->rows : 0;
}

static gboolean is_kind(const pn_entry_t *e, pn_kind_t kind)
{
    return e && e->kind == kind;
}

/** Guesses the source's role from the ports alone. */
static pn_role_t src_role_from_ports(const pn_endpoint_t *src, const pn_endpoint_t *dst)
{
    gboolean src_low = src->port < 1024, dst_low = dst->port < 1024;

    if (src->port == dst->port)
        return PN_ROLE_UNKNOWN;
    if (is_kind(src->entry, PN_KIND_CLIENT) && is_kind(dst->entry, PN_KIND_SERVICE))
        return PN_ROLE_CLIENT;
    if (is_kind(src->entry, PN_KIND_SERVICE) && is_kind(dst->entry, PN_KIND_CLIENT))
        return PN_ROLE_SERVER;
    if (src_low != dst_low)
        return src_low ? PN_ROLE_SERVER : PN_ROLE_CLIENT;
    if (src->ephemeral != dst->ephemeral)
        return src->ephemeral ? PN_ROLE_CLIENT : PN_ROLE_SERVER;
    return PN_ROLE_UNKNOWN;
}

/**
 * Decides which side of a transport layer is the server.  The TCP
 * handshake is authoritative; otherwise the database's client ports,
 * then well-known (<1024) against registered ports, then the ephemeral
 * range decide.  Equal ports, or no evidence, leave both unknown.
 */
void pn_decide_roles(const pn_endpoint_t *src, const pn_endpoint_t *dst,
                     pn_hint_t hint, pn_role_t *src_role, pn_role_t *dst_role)
{
    pn_role_t role;

    if (hint == PN_HINT_SRC_IS_CLIENT)
        role = PN_ROLE_CLIENT;
    else if (hint == PN_HINT_SRC_IS_SERVER)
        role = PN_ROLE_SERVER;
    else
        role = src_role_from_ports(src, dst);
    *src_role = role;
    *dst_role = role == PN_ROLE_SERVER ? PN_ROLE_CLIENT
              : role == PN_ROLE_CLIENT ? PN_ROLE_SERVER : PN_ROLE_UNKNOWN;
}

/**
 * Whether a documented port is worth a note in this packet.  A service
 * port seen on the client side is a client's temporary port, not that
 * service, so it is left out unless asked for; a client-port entry (the
 * ephemeral range) only describes a port that is acting as a client.
 */
gboolean pn_should_annotate(const pn_entry_t *entry, pn_role_t role,
                            gboolean client_side_too)
{
    if (!entry)
        return FALSE;
    if (entry->kind == PN_KIND_CLIENT)
        return role == PN_ROLE_CLIENT;
    return role != PN_ROLE_CLIENT || client_side_too;
}

/** Whether a category's weight depends on who can reach the service. */
gboolean pn_category_depends_on_exposure(const char *category)
{
    return lookup_name(exposure_categories, G_N_ELEMENTS(exposure_categories), category) >= 0;
}

static gboolean has_category(char **categories, const char *category)
{
    return lookup_name((const char *const *)categories, G_MAXINT, category) >= 0;
}

/** Whether the service is (or may be) reachable from outside the local
 * networks: what the row's own level was rated for. */
static gboolean reachable_from_outside(pn_exposure_t exposure)
{
    return exposure == PN_EXPOSURE_UNKNOWN || exposure == PN_EXPOSURE_INBOUND
        || exposure == PN_EXPOSURE_EXTERNAL;
}

/** Whether a category describes reflection in this row: amplification, and
 * the spoofing and denial of service that come with it. */
static gboolean is_reflection(const pn_entry_t *e, const char *category)
{
    return strcmp(category, "amplification") == 0
        || ((strcmp(category, "spoofing") == 0 || strcmp(category, "denial-of-service") == 0)
            && has_category(e->own.categories, "amplification"));
}

/** Whether a category's weight depends on who can reach the service in
 * this row: what an exposed service gives away (its information and its
 * misconfiguration) follows its exposure too. */
static gboolean follows_exposure(const pn_entry_t *e, const char *category)
{
    return pn_category_depends_on_exposure(category)
        || ((strcmp(category, "information-disclosure") == 0 || strcmp(category, "misconfiguration") == 0)
            && has_category(e->own.categories, "exposed-service"));
}

/**
 * The level one of the service's own categories calls for under an
 * exposure (data/RUBRIC.md, "Exposure").  Reflection counts only when it
 * is seen.  Where the service may be reachable from outside, every other
 * category keeps the row's level.  Between local hosts and towards the
 * Internet, the categories that follow exposure are routine, and on the
 * host itself nothing; industrial control there is the plant working
 * (still unauthenticated, so medium); the others keep the level the rubric
 * gives their kind.
 */
static pn_risk_t category_level(const pn_entry_t *e, const char *category, pn_exposure_t exposure)
{
    if (is_reflection(e, category))
        return exposure == PN_EXPOSURE_LOOPBACK ? PN_RISK_NONE : PN_RISK_LOW;
    if (reachable_from_outside(exposure))
        return e->own.risk;
    if (follows_exposure(e, category))
        return exposure == PN_EXPOSURE_LOOPBACK ? PN_RISK_NONE : PN_RISK_LOW;
    if (strcmp(category, "industrial-control") == 0)
        return exposure == PN_EXPOSURE_LOOPBACK ? PN_RISK_LOW : PN_RISK_MEDIUM;
    if (strcmp(category, "cleartext-credentials") == 0)
        return has_category(e->own.categories, "remote-access") ? PN_RISK_HIGH : PN_RISK_MEDIUM;
    if (strcmp(category, "reconnaissance") == 0)
        return PN_RISK_LOW;
    return PN_RISK_MEDIUM;
}

/**
 * The risk of the service's own notes under an exposure: the highest level
 * its categories call for (never above the row's own level), or the row's
 * level for that exposure where it sets one; amplification that is seen
 * raises either to the row's level.  An unknown exposure is rated as
 * external.
 */
static pn_risk_t rate_own_risk(const pn_entry_t *entry, pn_exposure_t exposure, gboolean amplifying)
{
    pn_exposure_t rated = exposure == PN_EXPOSURE_UNKNOWN ? PN_EXPOSURE_EXTERNAL : exposure;
    pn_risk_t risk = PN_RISK_NONE;

    if (entry->exposure.has_risk[rated]) {
        risk = entry->exposure.risk[rated];
    } else {
        for (char **c = entry->own.categories; *c; c++)
            risk = MAX(risk, category_level(entry, *c, exposure));
        risk = MIN(risk, entry->own.risk);
    }
    if (amplifying && exposure != PN_EXPOSURE_LOOPBACK && has_category(entry->own.categories, "amplification"))
        risk = MAX(risk, entry->own.risk);
    return risk;
}

/** Fills the row's own_risk table (rate_own_risk for every case). */
static void rate_own_risks(pn_entry_t *entry)
{
    for (int x = 0; x < PN_EXPOSURE_COUNT; x++)
        for (int amplifying = 0; amplifying < 2; amplifying++)
            entry->own_risk[x][amplifying] = (guint8)rate_own_risk(entry, (pn_exposure_t)x, amplifying);
}

/** The risk of the service's own notes under an exposure (rate_own_risk). */
pn_risk_t pn_entry_own_risk(const pn_entry_t *entry, pn_exposure_t exposure, gboolean amplifying)
{
    if (!entry || (guint)exposure >= PN_EXPOSURE_COUNT)
        return PN_RISK_NONE;
    return (pn_risk_t)entry->own_risk[exposure][amplifying ? 1 : 0];
}

/** Whether the row's own half names amplification (a reflection service). */
gboolean pn_entry_amplifies(const pn_entry_t *entry)
{
    return entry && has_category(entry->own.categories, "amplification");
}

/**
 * Whether the software squatting on the port is the likelier explanation
 * of traffic there even before a payload says so: the rubric rates the
 * also_ half high only for ports whose only documented use is a trojan or
 * whose registered service is too rare to be the likelier one.
 */
gboolean pn_entry_squatter_likelier(const pn_entry_t *entry)
{
    return entry && entry->also.risk >= PN_RISK_HIGH;
}

const char *pn_transport_name(pn_transport_t transport)
{
    return transport < PN_TRANSPORT_COUNT ? transport_names[transport] : "?";
}

const char *pn_risk_name(pn_risk_t risk)
{
    return risk < PN_RISK_COUNT ? risk_names[risk] : "?";
}

const char *pn_exposure_name(pn_exposure_t exposure)
{
    return exposure < PN_EXPOSURE_COUNT ? exposure_names[exposure] : "?";
}

gboolean pn_exposure_from_name(const char *name, pn_exposure_t *exposure)
{
    int i = lookup_name(exposure_names, PN_EXPOSURE_COUNT, name);

    if (i < 0)
        return FALSE;
    *exposure = (pn_exposure_t)i;
    return TRUE;
}

const char *pn_role_name(pn_role_t role)
{
    switch (role) {
    case PN_ROLE_SERVER: return "server";
    case PN_ROLE_CLIENT: return "client";
    default:             return "unknown";
    }
}
