/* test-portnote-data.c
 * The shipped notes judged by the rating rules of data/RUBRIC.md (the part
 * of them that can be checked mechanically), and, with --coverage, how much
 * of the ports analysts meet most the notes document.
 *
 *   test-portnote-data                 the rubric checks, and a row for every
 *                                      port the payload check counts as a
 *                                      protocol's own (GLib test harness)
 *   test-portnote-data --coverage [F]  coverage against nmap-services F
 *                                      (default /usr/share/nmap/nmap-services);
 *                                      exit 77 when F is absent
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib.h>

#include "portnote-db.h"
#include "portnote-embedded.h"
#include "portnote-payload.h"

#define SKIP_EXIT 77
#define COVERAGE_MIN_PERCENT 95.0
#define DEFAULT_NMAP_SERVICES "/usr/share/nmap/nmap-services"

static pn_db_t *embedded_db(void)
{
    pn_db_t *db = pn_db_new();

    pn_db_load_text(db, "embedded", portnote_embedded_notes, portnote_embedded_notes_len, NULL);
    return db;
}

static gboolean has(char **strv, const char *item)
{
    return g_strv_contains((const char *const *)strv, item);
}

/* ---- The amplification factor convention ------------------------------- */

/* Reads a number such as "6.3", "10,000" or "556.9" at *p; advances *p. */
static gboolean read_number(const char **p, double *value)
{
    GString *digits = g_string_new(NULL);
    const char *s = *p;
    gboolean ok;

    while (g_ascii_isdigit(*s) || ((*s == ',' || *s == '.') && g_ascii_isdigit(s[1]))) {
        if (*s != ',')
            g_string_append_c(digits, *s);
        s++;
    }
    ok = digits->len > 0;
    if (ok) {
        *value = g_ascii_strtod(digits->str, NULL);
        *p = s;
    }
    g_string_free(digits, TRUE);
    return ok;
}

typedef enum { FACTOR_FOUND, FACTOR_NOT_PUBLISHED, FACTOR_MISSING } factor_t;

/**
 * The factor a note states: "amplification factor N" or "... N to M" (the
 * larger counts), or the phrase "no published amplification factor".
 */
static factor_t note_factor(const char *note, double *factor)
{
    char *lower = g_ascii_strdown(note, -1);
    const char *hit = lower;
    factor_t result = FACTOR_MISSING;

    while ((hit = strstr(hit, "amplification factor ")) != NULL) {
        const char *p = hit + strlen("amplification factor ");
        double first, second;

        hit = p;
        if (!read_number(&p, &first))
            continue;
        *factor = first;
        if (g_str_has_prefix(p, " to ")) {
            p += 4;
            if (read_number(&p, &second))
                *factor = MAX(first, second);
        }
        result = FACTOR_FOUND;
        break;
    }
    if (result == FACTOR_MISSING && strstr(lower, "no published amplification factor"))
        result = FACTOR_NOT_PUBLISHED;
    g_free(lower);
    return result;
}

/** The level the rubric gives a factor (none published: as 10 to 100). */
static pn_risk_t factor_level(factor_t kind, double factor)
{
    if (kind != FACTOR_FOUND)
        return PN_RISK_MEDIUM;
    if (factor >= 1000)
        return PN_RISK_CRITICAL;
    if (factor >= 100)
        return PN_RISK_HIGH;
    if (factor >= 10)
        return PN_RISK_MEDIUM;
    return PN_RISK_LOW;
}

static void test_factor_parsing(void)
{
    double f = 0;

    g_assert_cmpint(note_factor("Bandwidth amplification factor 6.3 (GetBulk)", &f), ==, FACTOR_FOUND);
    g_assert_cmpfloat(f, ==, 6.3);
    g_assert_cmpint(note_factor("amplification factor 28 to 54", &f), ==, FACTOR_FOUND);
    g_assert_cmpfloat(f, ==, 54);
    g_assert_cmpint(note_factor("amplification factor 10,000 to 51,000 (stats)", &f), ==, FACTOR_FOUND);
    g_assert_cmpfloat(f, ==, 51000);
    g_assert_cmpint(note_factor("No published amplification factor: echo ...", &f), ==, FACTOR_NOT_PUBLISHED);
    g_assert_cmpint(note_factor("the amplification factor is large", &f), ==, FACTOR_MISSING);
    g_assert_cmpint(factor_level(FACTOR_FOUND, 9.9), ==, PN_RISK_LOW);
    g_assert_cmpint(factor_level(FACTOR_FOUND, 10), ==, PN_RISK_MEDIUM);
    g_assert_cmpint(factor_level(FACTOR_FOUND, 556.9), ==, PN_RISK_HIGH);
    g_assert_cmpint(factor_level(FACTOR_FOUND, 1000), ==, PN_RISK_CRITICAL);
    g_assert_cmpint(factor_level(FACTOR_NOT_PUBLISHED, 0), ==, PN_RISK_MEDIUM);
}

/* ---- Rubric checks over every row ---------------------------------------- */

/* Collects failures so that one run lists every offending row. */
typedef struct {
    GString *text;
    guint count;
} failures_t;

static void G_GNUC_PRINTF(3, 4) fail(failures_t *f, const pn_entry_t *e, const char *fmt, ...)
{
    va_list ap;
    char *why;

    va_start(ap, fmt);
    why = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    g_string_append_printf(f->text, "%s (%u/%s %s): %s\n", e->origin, e->first_port,
                           pn_transport_name(e->transport), e->service, why);
    f->count++;
    g_free(why);
}

static void report_failures(failures_t *f)
{
    if (f->count)
        g_test_message("%s", f->text->str);
    g_assert_cmpuint(f->count, ==, 0);
    g_string_free(f->text, TRUE);
}

/* Only these categories: the row is "just" an amplifier. */
static gboolean amplifier_only(char **categories)
{
    static const char *const amp[] = { "amplification", "spoofing", "denial-of-service", NULL };

    for (char **c = categories; *c; c++)
        if (!g_strv_contains(amp, *c))
            return FALSE;
    return TRUE;
}

/** A row for a port whose only documented use is a trojan, backdoor or DDoS agent. */
static gboolean squatter_only(const pn_entry_t *e)
{
    return g_str_has_suffix(e->service, "(trojan)") || g_str_has_suffix(e->service, "(backdoor)")
        || g_str_has_suffix(e->service, "(DDoS tool)");
}

static void check_row(failures_t *f, const pn_entry_t *e)
{
    const pn_part_t *own = &e->own, *also = &e->also;
    double factor = 0;

    /* A category without a level, in either half, is a level forgotten. */
    if (own->risk == PN_RISK_NONE && own->categories[0])
        fail(f, e, "categories %s but no risk", own->categories_text);
    if (also->risk == PN_RISK_NONE && also->categories[0])
        fail(f, e, "also_categories %s but no also_risk", also->categories_text);

    if (has(own->categories, "amplification")) {
        factor_t kind = note_factor(own->note, &factor);
        pn_risk_t want = factor_level(kind, factor);
        if (kind == FACTOR_MISSING)
            fail(f, e, "an amplification note must state 'amplification factor N' or "
                 "'No published amplification factor'");
        else if (amplifier_only(own->categories) && own->risk != want)
            fail(f, e, "amplifier rated %s, its factor calls for %s",
                 pn_risk_name(own->risk), pn_risk_name(want));
        else if (own->risk < want)
            fail(f, e, "rated %s, below the %s its amplification factor calls for",
                 pn_risk_name(own->risk), pn_risk_name(want));
    }
    if (has(own->categories, "industrial-control") && own->risk != PN_RISK_HIGH)
        fail(f, e, "industrial-control rated %s, every ICS port is high", pn_risk_name(own->risk));
    if (has(own->categories, "worm") && own->risk < PN_RISK_HIGH)
        fail(f, e, "a worm exploits the service but it is rated %s (at least high)",
             pn_risk_name(own->risk));
    if (has(own->categories, "cleartext-credentials")) {
        pn_risk_t want = has(own->categories, "remote-access") ? PN_RISK_HIGH : PN_RISK_MEDIUM;
        if (own->risk < want)
            fail(f, e, "cleartext credentials%s rated %s (at least %s)",
                 want == PN_RISK_HIGH ? " giving remote access" : "",
                 pn_risk_name(own->risk), pn_risk_name(want));
    }
    if (own->risk == PN_RISK_CRITICAL && !has(own->categories, "exposed-service")
        && !(has(own->categories, "amplification")
             && note_factor(own->note, &factor) == FACTOR_FOUND && factor >= 1000))
        fail(f, e, "critical needs an exposed service anyone can take over, or a factor of 1,000+");

    if (also->risk != PN_RISK_NONE && also->risk != PN_RISK_LOW && also->risk != PN_RISK_HIGH)
        fail(f, e, "also_risk %s: a squatter is low or high", pn_risk_name(also->risk));
    if (squatter_only(e)) {
        if (own->risk != PN_RISK_NONE || *own->note)
            fail(f, e, "a port whose only use is a trojan or backdoor has an empty own half");
        if (also->risk != PN_RISK_HIGH)
            fail(f, e, "squatter-only port rated %s, all of them are high", pn_risk_name(also->risk));
    } else if (own->risk != PN_RISK_NONE && also->risk != PN_RISK_NONE && also->risk != PN_RISK_LOW) {
        fail(f, e, "a squatter on a service with warnings of its own is low, not %s",
             pn_risk_name(also->risk));
    }
}

/** Whether every one of the row's own categories follows exposure (or is
 * reflection, judged by what is seen). */
static gboolean all_follow_exposure(const pn_entry_t *e)
{
    static const char *const reflection[] = { "amplification", "spoofing", "denial-of-service", NULL };
    gboolean exposed = has(e->own.categories, "exposed-service");
    gboolean amplifier = has(e->own.categories, "amplification");

    for (char **c = e->own.categories; *c; c++) {
        if (pn_category_depends_on_exposure(*c))
            continue;
        if (exposed && (!strcmp(*c, "information-disclosure") || !strcmp(*c, "misconfiguration")))
            continue;
        if (amplifier && g_strv_contains(reflection, *c))
            continue;
        return FALSE;
    }
    return TRUE;
}

/** The routine services of the quiet list (RUBRIC.md, "Exposure"). */
static gboolean is_quiet_service(const pn_entry_t *e)
{
    static const guint16 quiet[] = { 53, 88, 123, 5353, 5355 };

    if (e->first_port != e->last_port || e->kind != PN_KIND_SERVICE)
        return FALSE;
    for (gsize i = 0; i < G_N_ELEMENTS(quiet); i++)
        if (e->first_port == quiet[i] && (e->transport != PN_TRANSPORT_TCP || quiet[i] == 53 || quiet[i] == 88))
            return TRUE;
    return FALSE;
}

/** The rubric's per-exposure rules for one row. */
static void check_exposure(failures_t *f, const pn_entry_t *e)
{
    pn_risk_t inbound = pn_entry_own_risk(e, PN_EXPOSURE_INBOUND, TRUE);

    if (!e->exposure.has_risk[PN_EXPOSURE_INBOUND] && inbound != e->own.risk)
        fail(f, e, "inbound (seen amplifying, if it amplifies) is %s, not the row's level %s",
             pn_risk_name(inbound), pn_risk_name(e->own.risk));
    if (all_follow_exposure(e) && pn_entry_own_risk(e, PN_EXPOSURE_LOOPBACK, FALSE) != PN_RISK_NONE)
        fail(f, e, "loopback is never exposed, yet rated %s",
             pn_risk_name(pn_entry_own_risk(e, PN_EXPOSURE_LOOPBACK, FALSE)));
    if (all_follow_exposure(e) && pn_entry_own_risk(e, PN_EXPOSURE_INTERNAL, FALSE) > PN_RISK_LOW)
        fail(f, e, "routine between local hosts, yet rated %s internal",
             pn_risk_name(pn_entry_own_risk(e, PN_EXPOSURE_INTERNAL, FALSE)));
    for (int x = 0; x < PN_EXPOSURE_COUNT; x++) {
        pn_risk_t r = pn_entry_own_risk(e, (pn_exposure_t)x, FALSE);
        if (is_quiet_service(e) && r > PN_RISK_LOW)
            fail(f, e, "a routine service rated %s %s", pn_risk_name(r), pn_exposure_name((pn_exposure_t)x));
        if (has(e->own.categories, "cleartext-credentials") && strstr(e->service, "LDAP") && r > PN_RISK_MEDIUM)
            fail(f, e, "LDAP's clear-text binds are medium at most, not %s", pn_risk_name(r));
    }
    if (strstr(e->service, "SMB") || strstr(e->service, "NetBIOS Session")) {
        if (e->transport == PN_TRANSPORT_TCP
            && (pn_entry_own_risk(e, PN_EXPOSURE_OUTBOUND, FALSE) != PN_RISK_MEDIUM
                || !e->exposure.has_note[PN_EXPOSURE_OUTBOUND]))
            fail(f, e, "SMB to the Internet is medium, with a note saying why");
    }
}

static void check_rows(pn_db_t *db)
{
    failures_t f = { g_string_new(NULL), 0 };
    const pn_entry_t *e;

    for (guint i = 0; (e = pn_db_row(db, i)) != NULL; i++) {
        check_row(&f, e);
        check_exposure(&f, e);
    }
    report_failures(&f);
}

static void test_embedded_follows_rubric(void)
{
    pn_db_t *db = embedded_db();

    check_rows(db);
    pn_db_free(db);
}

/* The checks themselves catch a wrong row (each planted row breaks one rule). */
static void test_rubric_catches_wrong_rows(void)
{
    static const char *const wrong[] = {
        "\"123\",\"udp\",\"\",\"NTP\",\"medium\",\"amplification;spoofing\",\"\",\"d\","
        "\"Bandwidth amplification factor 556.9.\",\"s\",\"\",\"\",\"\",\"\"",
        "\"7\",\"udp\",\"\",\"Echo\",\"high\",\"amplification\",\"\",\"d\",\"Reflects datagrams.\",\"s\",\"\",\"\",\"\",\"\"",
        "\"4840\",\"tcp\",\"\",\"OPC UA\",\"medium\",\"industrial-control\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"23\",\"tcp\",\"\",\"Telnet\",\"medium\",\"worm\",\"Mirai\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"143\",\"tcp\",\"\",\"IMAP\",\"low\",\"cleartext-credentials\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"513\",\"tcp\",\"\",\"rlogin\",\"medium\",\"cleartext-credentials;remote-access\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"12345\",\"tcp\",\"\",\"NetBus (trojan)\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"critical\",\"trojan\",\"NetBus\",\"n\"",
        "\"21\",\"tcp\",\"\",\"FTP\",\"medium\",\"cleartext-credentials\",\"\",\"d\",\"n\",\"s\",\"high\",\"trojan\",\"Fore\",\"n\"",
        "\"80\",\"tcp\",\"\",\"HTTP\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"medium\",\"trojan\",\"Executor\",\"n\"",
        "\"79\",\"tcp\",\"\",\"Finger\",\"critical\",\"information-disclosure\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"53\",\"udp\",\"\",\"DNS\",\"medium\",\"covert-channel\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"445\",\"tcp\",\"\",\"SMB\",\"high\",\"worm\",\"W\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
        "\"2049\",\"tcp\",\"\",\"NFS\",\"high\",\"exposed-service\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"loopback=low\",\"\"",
        "\"2049\",\"tcp\",\"\",\"NFS\",\"high\",\"exposed-service\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"internal=high\",\"\"",
        "\"389\",\"tcp\",\"\",\"LDAP\",\"high\",\"cleartext-credentials\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(wrong); i++) {
        pn_db_t *db = pn_db_new();
        failures_t f = { g_string_new(NULL), 0 };
        const pn_entry_t *e;

        g_assert_cmpuint(pn_db_load_text(db, "planted", wrong[i], strlen(wrong[i]), NULL), ==, 1);
        for (guint r = 0; (e = pn_db_row(db, r)) != NULL; r++) {
            check_row(&f, e);
            check_exposure(&f, e);
        }
        g_test_message("planted row %" G_GSIZE_FORMAT ": %s", i, f.text->str);
        g_assert_cmpuint(f.count, >=, 1);
        g_string_free(f.text, TRUE);
        pn_db_free(db);
    }
}

/* ---- A row for every port a payload protocol counts as its own ----------- */

/** A port counts as documented when a row of its own says what it is (the
 *  legacy ephemeral client range does not). */
static gboolean documented(const pn_db_t *db, pn_transport_t t, guint16 port)
{
    const pn_entry_t *e = pn_db_lookup(db, t, port);

    return e && !pn_is_client_range(e);
}

/* Appends each port/transport that the payload check calls some protocol's
 * own (a genuine flow there is "confirmed") but that db does not document;
 * a confirmed flow on it would have no note to mark.  Returns the count. */
static guint undocumented_own_ports(const pn_db_t *db, GString *missing)
{
    static const pn_transport_t transports[] = { PN_TRANSPORT_TCP, PN_TRANSPORT_UDP, PN_TRANSPORT_SCTP };
    guint count = 0;

    for (gsize t = 0; t < G_N_ELEMENTS(transports); t++)
        for (guint port = 0; port <= G_MAXUINT16; port++) {
            /* != 0: the mask is guint32 today and may widen */
            if (pn_port_protocols(transports[t], (guint16)port) != 0
                && !documented(db, transports[t], (guint16)port)) {
                g_string_append_printf(missing, " %u/%s", port, pn_transport_name(transports[t]));
                count++;
            }
        }
    return count;
}

static void test_own_ports_documented(void)
{
    pn_db_t *db = embedded_db();
    GString *missing = g_string_new(NULL);
    guint count = undocumented_own_ports(db, missing);

    if (count)
        g_test_message("own ports of a payload protocol without a row:%s", missing->str);
    g_assert_cmpuint(count, ==, 0);
    g_string_free(missing, TRUE);
    pn_db_free(db);
}

/* The check itself: a database holding only the legacy client range and a
 * row for 22/tcp misses 23/tcp (Telnet) and 53/udp (DNS), not 22/tcp. */
static void test_own_ports_check_catches_gaps(void)
{
    static const char text[] =
        "\"1024-5000\",\"tcp\",\"client\",\"Ephemeral\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n"
        "\"22\",\"tcp\",\"server\",\"SSH\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n";
    pn_db_t *db = pn_db_new();
    GString *missing = g_string_new(NULL);

    g_assert_cmpuint(pn_db_load_text(db, "planted", text, strlen(text), NULL), ==, 2);
    g_assert_cmpuint(undocumented_own_ports(db, missing), >=, 2);
    g_string_append_c(missing, ' ');
    g_assert_nonnull(strstr(missing->str, " 23/tcp "));
    g_assert_nonnull(strstr(missing->str, " 53/udp "));
    g_assert_null(strstr(missing->str, " 22/tcp "));
    g_string_free(missing, TRUE);
    pn_db_free(db);
}

/* ---- Coverage of the ports analysts meet most -------------------------- */

typedef struct {
    guint16 port;
    pn_transport_t transport;
    double frequency;
    char *name;
} observed_t;

static gint by_frequency(gconstpointer a, gconstpointer b)
{
    const observed_t *x = a, *y = b;

    if (x->frequency != y->frequency)
        return x->frequency < y->frequency ? 1 : -1;
    return (gint)x->port - (gint)y->port;
}

/** Reads nmap-services ("name<TAB>port/proto<TAB>frequency ..."): tcp and udp lines. */
static GArray *read_nmap_services(const char *path, GError **err)
{
    char *text = NULL;
    char **lines;
    GArray *out;

    if (!g_file_get_contents(path, &text, NULL, err))
        return NULL;
    out = g_array_new(FALSE, FALSE, sizeof(observed_t));
    lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++) {
        char **cols;
        char *slash, *end;
        observed_t o;
        guint64 port;

        if (**l == '#' || **l == '\0')
            continue;
        cols = g_strsplit(*l, "\t", 4);
        if (g_strv_length(cols) >= 3 && (slash = strchr(cols[1], '/')) != NULL) {
            *slash = '\0';
            port = g_ascii_strtoull(cols[1], &end, 10);
            o.frequency = g_ascii_strtod(cols[2], NULL);
            if (*end == '\0' && port <= G_MAXUINT16
                && (strcmp(slash + 1, "tcp") == 0 || strcmp(slash + 1, "udp") == 0)) {
                o.port = (guint16)port;
                o.transport = strcmp(slash + 1, "tcp") == 0 ? PN_TRANSPORT_TCP : PN_TRANSPORT_UDP;
                o.name = g_strdup(cols[0]);
                g_array_append_val(out, o);
            }
        }
        g_strfreev(cols);
    }
    g_strfreev(lines);
    g_free(text);
    g_array_sort(out, by_frequency);
    return out;
}

/* Prints the share of the `top` most frequent ports of transport t that the
 * notes document, and the ones missing; returns the percentage. */
static double coverage(const pn_db_t *db, const GArray *observed, pn_transport_t t, guint top)
{
    guint seen = 0, covered = 0;
    GString *missing = g_string_new(NULL);
    double percent;

    for (guint i = 0; i < observed->len && seen < top; i++) {
        const observed_t *o = &g_array_index(observed, observed_t, i);
        if (o->transport != t)
            continue;
        seen++;
        if (documented(db, t, o->port))
            covered++;
        else
            g_string_append_printf(missing, " %u (%s)", o->port, o->name);
    }
    percent = seen ? 100.0 * covered / seen : 0.0;
    printf("top %u %s ports documented: %u/%u = %.1f%%\n", top, pn_transport_name(t),
           covered, seen, percent);
    if (missing->len)
        printf("  not documented:%s\n", missing->str);
    g_string_free(missing, TRUE);
    return seen == top ? percent : 0.0;
}

static int run_coverage(const char *path)
{
    GError *err = NULL;
    GArray *observed;
    pn_db_t *db;
    double tcp, udp;

    if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
        printf("SKIP: %s not found (install nmap-common, e.g. scripts/install-deps.sh --test)\n", path);
        return SKIP_EXIT;
    }
    observed = read_nmap_services(path, &err);
    if (!observed) {
        printf("FAIL: cannot read %s: %s\n", path, err->message);
        g_error_free(err);
        return 1;
    }
    db = embedded_db();
    printf("Coverage of the most frequently open ports in %s:\n", path);
    tcp = coverage(db, observed, PN_TRANSPORT_TCP, 100);
    udp = coverage(db, observed, PN_TRANSPORT_UDP, 50);
    for (guint i = 0; i < observed->len; i++)
        g_free(g_array_index(observed, observed_t, i).name);
    g_array_free(observed, TRUE);
    pn_db_free(db);
    if (tcp < COVERAGE_MIN_PERCENT || udp < COVERAGE_MIN_PERCENT) {
        printf("FAIL: each share must be at least %.0f%%\n", COVERAGE_MIN_PERCENT);
        return 1;
    }
    printf("PASS\n");
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--coverage") == 0) {
        const char *env = g_getenv("PN_NMAP_SERVICES");
        return run_coverage(argc >= 3 ? argv[2] : env ? env : DEFAULT_NMAP_SERVICES);
    }
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/rubric/factor-parsing", test_factor_parsing);
    g_test_add_func("/rubric/embedded-follows-rubric", test_embedded_follows_rubric);
    g_test_add_func("/rubric/catches-wrong-rows", test_rubric_catches_wrong_rows);
    g_test_add_func("/own-ports/documented", test_own_ports_documented);
    g_test_add_func("/own-ports/check-catches-gaps", test_own_ports_check_catches_gaps);
    return g_test_run();
}
