/* test-portnote-db.c
 * Unit tests of the notes database core (no Wireshark involved): the
 * shipped data, the parser's good and bad rows, overrides and roles.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "portnote-db.h"
#include "portnote-embedded.h"

#define HEADER_ROW "# comment line\n"

/* A loaded database and the messages its loading produced. */
typedef struct {
    pn_db_t *db;
    GPtrArray *errors;
    guint accepted;
} loaded_t;

static loaded_t load(const char *text)
{
    loaded_t l;

    l.db = pn_db_new();
    l.errors = g_ptr_array_new_with_free_func(g_free);
    l.accepted = pn_db_load_text(l.db, "t.csv", text, strlen(text), l.errors);
    return l;
}

static void loaded_free(loaded_t *l)
{
    pn_db_free(l->db);
    g_ptr_array_free(l->errors, TRUE);
}

static void assert_one_error(const loaded_t *l, const char *prefix, const char *reason_part)
{
    const char *msg;

    g_assert_cmpuint(l->errors->len, ==, 1);
    msg = l->errors->pdata[0];
    g_assert_true(g_str_has_prefix(msg, prefix));
    g_assert_nonnull(strstr(msg, reason_part));
}

static const pn_entry_t *embedded_lookup(pn_db_t **db, pn_transport_t t, guint16 port)
{
    if (!*db) {
        *db = pn_db_new();
        pn_db_load_text(*db, "embedded", portnote_embedded_notes,
                        portnote_embedded_notes_len, NULL);
    }
    return pn_db_lookup(*db, t, port);
}

/* ---- The shipped database ------------------------------------------------ */

static void test_embedded_loads_cleanly(void)
{
    loaded_t l = { pn_db_new(), g_ptr_array_new_with_free_func(g_free), 0 };

    l.accepted = pn_db_load_text(l.db, "embedded", portnote_embedded_notes,
                                 portnote_embedded_notes_len, l.errors);
    for (guint i = 0; i < l.errors->len; i++)
        g_test_message("%s", (const char *)l.errors->pdata[i]);
    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpuint(l.accepted, >=, 25);
    loaded_free(&l);
}

typedef struct {
    guint16 port;
    pn_transport_t transport;
    const char *service_part;
    const char *categories;     /* ';'-separated, each must be present */
    const char *threats;        /* ';'-separated, each must be present */
} seed_fact_t;

/* Every entry of the seed document with the facts it states (read with
 * shared/seed/NOTES.md).  A data edit that loses one fails here. */
static const seed_fact_t seed_facts[] = {
    {   0, PN_TRANSPORT_TCP, "Reserved", "reconnaissance", "" },
    {   0, PN_TRANSPORT_UDP, "Reserved", "reconnaissance", "" },
    {   1, PN_TRANSPORT_TCP, "tcpmux", "reconnaissance;default-credentials", "" },
    {   7, PN_TRANSPORT_TCP, "Echo", "", "" },
    {   7, PN_TRANSPORT_UDP, "Echo", "amplification", "Fraggle" },
    {  19, PN_TRANSPORT_TCP, "chargen", "denial-of-service", "" },
    {  19, PN_TRANSPORT_UDP, "chargen", "amplification;spoofing;denial-of-service", "Fraggle" },
    {  21, PN_TRANSPORT_TCP, "FTP", "trojan;misconfiguration",
       "Doly Trojan;Fore;Invisible FTP;WebEx;WinCrash;Blade Runner" },
    {  22, PN_TRANSPORT_TCP, "SSH", "reconnaissance;vulnerable-software", "" },
    {  23, PN_TRANSPORT_TCP, "Telnet", "cleartext-credentials;reconnaissance;trojan",
       "Tiny Telnet Server" },
    {  25, PN_TRANSPORT_TCP, "SMTP", "spam-relay;trojan",
       "Antigen;Email Password Sender;Haebu Coceda;Shtrilitz Stealth;WinPC;WinSpy" },
    {  31, PN_TRANSPORT_TCP, "MSG Authentication", "trojan", "Master's Paradise;Hackers Paradise" },
    {  42, PN_TRANSPORT_TCP, "WINS replication", "", "" },
    {  53, PN_TRANSPORT_UDP, "DNS", "spoofing;covert-channel", "" },
    {  53, PN_TRANSPORT_TCP, "DNS", "information-disclosure", "" },
    {  67, PN_TRANSPORT_UDP, "DHCP server", "rogue-server;man-in-the-middle", "" },
    {  68, PN_TRANSPORT_UDP, "DHCP client", "", "" },
    {  69, PN_TRANSPORT_UDP, "TFTP", "information-disclosure;misconfiguration", "" },
    {  79, PN_TRANSPORT_TCP, "Finger", "information-disclosure;reconnaissance;vulnerable-software", "" },
    {  80, PN_TRANSPORT_TCP, "HTTP", "trojan", "Executor" },
    {  99, PN_TRANSPORT_TCP, "Metagram Relay", "backdoor", "ncx99" },
    { 102, PN_TRANSPORT_TCP, "ISO-TSAP", "", "" },
    { 110, PN_TRANSPORT_TCP, "POP3", "", "" },
    { 553, PN_TRANSPORT_UDP, "CORBA IIOP", "information-disclosure", "" },
    { 1024, PN_TRANSPORT_TCP, "Ephemeral", "", "" },
    { 5000, PN_TRANSPORT_UDP, "Ephemeral", "", "" },
};

static gboolean strv_has(char **strv, const char *item)
{
    return g_strv_contains((const char *const *)strv, item);
}

/* Each ';'-separated item of wanted is in the service's own half or the also_ half. */
static void assert_all_listed(char **own, char **also, const char *wanted)
{
    char **items = g_strsplit(wanted, ";", -1);

    for (char **i = items; *i; i++)
        if (**i && !strv_has(own, *i) && !strv_has(also, *i))
            g_error("missing '%s'", *i);
    g_strfreev(items);
}

static void test_embedded_has_every_seed_fact(void)
{
    pn_db_t *db = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(seed_facts); i++) {
        const seed_fact_t *f = &seed_facts[i];
        const pn_entry_t *e = embedded_lookup(&db, f->transport, f->port);
        g_test_message("seed port %u/%s", f->port, pn_transport_name(f->transport));
        g_assert_nonnull(e);
        g_assert_nonnull(strstr(e->service, f->service_part));
        assert_all_listed(e->own.categories, e->also.categories, f->categories);
        assert_all_listed(e->own.threats, e->also.threats, f->threats);
        g_assert_nonnull(strstr(e->source, "Baidu Encyclopedia"));
    }
    g_assert_cmpint(embedded_lookup(&db, PN_TRANSPORT_TCP, 68) == NULL, ==, TRUE);
    pn_db_free(db);
}

/* Facts the project promises beyond the seed (issue 5): the ports an
 * investigator most needs flagged, each with the text its source gives. */
typedef struct {
    guint16 port;
    pn_transport_t transport;
    const char *threats;        /* ';'-separated, each must be present */
    const char *text;           /* must appear in the note or description */
    const char *source_part;    /* must appear in the source */
} known_fact_t;

static const known_fact_t known_facts[] = {
    { 12345, PN_TRANSPORT_TCP, "NetBus", "", "trojan_horses.nasl" },
    { 12346, PN_TRANSPORT_TCP, "NetBus", "", "Snort" },
    { 31337, PN_TRANSPORT_UDP, "Back Orifice", "", "trojan_horses.nasl" },
    { 1243, PN_TRANSPORT_TCP, "SubSeven", "", "trojan_horses.nasl" },
    { 27374, PN_TRANSPORT_TCP, "SubSeven", "", "Snort" },
    { 2140, PN_TRANSPORT_UDP, "Deep Throat", "", "Snort" },
    { 9873, PN_TRANSPORT_TCP, "Portal of Doom", "", "Wikipedia" },
    { 20000, PN_TRANSPORT_TCP, "Millennium", "DNP3", "IEEE 1815" },
    { 21544, PN_TRANSPORT_TCP, "GirlFriend", "", "trojan_horses.nasl" },
    { 30101, PN_TRANSPORT_TCP, "NetSphere", "", "Snort" },
    { 53, PN_TRANSPORT_UDP, "", "28 to 54", "TA14-017A" },
    { 123, PN_TRANSPORT_UDP, "", "556.9", "TA14-017A" },
    { 161, PN_TRANSPORT_UDP, "", "6.3", "TA14-017A" },
    { 137, PN_TRANSPORT_UDP, "", "3.8", "TA14-017A" },
    { 1900, PN_TRANSPORT_UDP, "", "30.8", "TA14-017A" },
    { 19, PN_TRANSPORT_UDP, "", "358.8", "TA14-017A" },
    { 17, PN_TRANSPORT_UDP, "", "140.3", "TA14-017A" },
    { 6881, PN_TRANSPORT_UDP, "", "3.8", "TA14-017A" },
    { 4672, PN_TRANSPORT_UDP, "", "16.3", "TA14-017A" },
    { 27960, PN_TRANSPORT_UDP, "", "63.9", "TA14-017A" },
    { 27015, PN_TRANSPORT_UDP, "", "5.5", "TA14-017A" },
    { 520, PN_TRANSPORT_UDP, "", "131.24", "TA14-017A" },
    { 5353, PN_TRANSPORT_UDP, "", "2 to 10", "TA14-017A" },
    { 111, PN_TRANSPORT_UDP, "", "7 to 28", "TA14-017A" },
    { 389, PN_TRANSPORT_TCP, "", "clear", "RFC 4513" },
    { 389, PN_TRANSPORT_UDP, "", "56 to 70", "TA14-017A" },
    { 69, PN_TRANSPORT_UDP, "Blaster", "60", "TA14-017A" },
    { 11211, PN_TRANSPORT_UDP, "", "10,000 to 51,000", "TA14-017A" },
    { 3702, PN_TRANSPORT_UDP, "", "305", "Shadowserver" },
    { 3283, PN_TRANSPORT_UDP, "", "35.5", "NETSCOUT" },
    { 5683, PN_TRANSPORT_UDP, "", "section 11.3", "RFC 7252" },
    { 143, PN_TRANSPORT_TCP, "", "clear", "RFC 9051" },
    { 513, PN_TRANSPORT_TCP, "", "clear", "RFC 1282" },
    { 5900, PN_TRANSPORT_TCP, "", "unencrypted", "RFC 6143" },
    { 6000, PN_TRANSPORT_TCP, "", "xhost", "X Window System" },
    { 445, PN_TRANSPORT_TCP, "WannaCry;Sasser", "", "TA17-132A" },
    { 3389, PN_TRANSPORT_TCP, "BlueKeep", "", "CVE-2019-0708" },
    { 5985, PN_TRANSPORT_TCP, "", "", "WinRM" },
    { 2375, PN_TRANSPORT_TCP, "", "root", "Docker" },
    { 6379, PN_TRANSPORT_TCP, "", "", "Redis" },
    { 9200, PN_TRANSPORT_TCP, "", "", "Elastic" },
    { 27017, PN_TRANSPORT_TCP, "", "", "MongoDB" },
    { 135, PN_TRANSPORT_TCP, "Blaster", "", "CA-2003-20" },
    { 4444, PN_TRANSPORT_TCP, "Blaster", "", "CA-2003-20" },
    { 5554, PN_TRANSPORT_TCP, "Sasser", "", "F-Secure" },
    { 9996, PN_TRANSPORT_TCP, "Sasser", "", "F-Secure" },
    { 1434, PN_TRANSPORT_UDP, "SQL Slammer", "", "CA-2003-04" },
    { 23, PN_TRANSPORT_TCP, "Mirai", "", "TA16-288A" },
    { 2323, PN_TRANSPORT_TCP, "Mirai", "", "Understanding the Mirai Botnet" },
    { 7547, PN_TRANSPORT_TCP, "", "TR-064", "TR-069" },
    { 502, PN_TRANSPORT_TCP, "", "", "Modbus" },
    { 102, PN_TRANSPORT_TCP, "", "S7", "RFC 1006" },
    { 20000, PN_TRANSPORT_UDP, "", "", "IEEE 1815" },
    { 44818, PN_TRANSPORT_TCP, "", "", "ODVA" },
    { 47808, PN_TRANSPORT_UDP, "", "", "ASHRAE Standard 135" },
    { 2404, PN_TRANSPORT_TCP, "Industroyer", "", "IEC 60870-5-104" },
};

static void test_embedded_has_known_facts(void)
{
    pn_db_t *db = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(known_facts); i++) {
        const known_fact_t *f = &known_facts[i];
        const pn_entry_t *e = embedded_lookup(&db, f->transport, f->port);
        g_test_message("port %u/%s", f->port, pn_transport_name(f->transport));
        g_assert_nonnull(e);
        assert_all_listed(e->own.threats, e->also.threats, f->threats);
        g_assert_true(strstr(e->own.note, f->text) || strstr(e->also.note, f->text)
                      || strstr(e->description, f->text));
        g_assert_nonnull(strstr(e->source, f->source_part));
    }
    pn_db_free(db);
}

typedef struct {
    guint16 port;
    pn_transport_t transport;
    const char *threat;
    gboolean own;       /* abuses the genuine service (else: only uses the port number) */
} half_fact_t;

/* Which half a threat is in decides whether confirmed traffic shows it. */
static const half_fact_t half_facts[] = {
    { 80, PN_TRANSPORT_TCP, "Executor", FALSE },
    { 21, PN_TRANSPORT_TCP, "Doly Trojan", FALSE },
    { 23, PN_TRANSPORT_TCP, "Tiny Telnet Server", FALSE },
    { 25, PN_TRANSPORT_TCP, "WinSpy", FALSE },
    { 8080, PN_TRANSPORT_TCP, "Brown Orifice", FALSE },
    { 23, PN_TRANSPORT_TCP, "Mirai", TRUE },
    { 102, PN_TRANSPORT_TCP, "Stuxnet", TRUE },
    { 1434, PN_TRANSPORT_UDP, "SQL Slammer", TRUE },
    { 445, PN_TRANSPORT_TCP, "WannaCry", TRUE },
};

static void test_embedded_halves(void)
{
    pn_db_t *db = NULL;

    for (gsize i = 0; i < G_N_ELEMENTS(half_facts); i++) {
        const half_fact_t *f = &half_facts[i];
        const pn_entry_t *e = embedded_lookup(&db, f->transport, f->port);
        g_test_message("%u/%s %s", f->port, pn_transport_name(f->transport), f->threat);
        g_assert_nonnull(e);
        g_assert_true(strv_has(f->own ? e->own.threats : e->also.threats, f->threat));
        g_assert_false(strv_has(f->own ? e->also.threats : e->own.threats, f->threat));
    }
    pn_db_free(db);
}

static pn_db_t *embedded_db(void)
{
    pn_db_t *db = pn_db_new();

    pn_db_load_text(db, "embedded", portnote_embedded_notes, portnote_embedded_notes_len, NULL);
    return db;
}

/* Every row, not only the ones a lookup reaches: sourced, described, with
 * known categories, and at least 150 of them beyond the seed. */
static void test_embedded_every_row_sourced(void)
{
    pn_db_t *db = embedded_db();
    guint beyond_seed = 0;
    const pn_entry_t *e;

    for (guint i = 0; (e = pn_db_row(db, i)) != NULL; i++) {
        /* The categories alone, re-checked by the same rules as the UAT. */
        char *categories = g_strjoinv(";", e->own.categories);
        char *also_categories = g_strjoinv(";", e->also.categories);
        const char *fields[PN_FIELD_COUNT] = { "1", "tcp", "", "s", pn_risk_name(e->own.risk),
            categories, "", "d", "n", "s", pn_risk_name(e->also.risk), also_categories, "", "n" };
        char *reason = NULL;

        g_test_message("%s", e->origin);
        g_assert_cmpstr(e->source, !=, "");
        g_assert_cmpstr(e->description, !=, "");
        if (!pn_check_fields(fields, &reason))
            g_error("%s: %s", e->origin, reason);
        g_free(categories);
        g_free(also_categories);
        if (!strstr(e->source, "(seed"))
            beyond_seed++;
    }
    g_test_message("%u rows beyond the seed", beyond_seed);
    g_assert_cmpuint(beyond_seed, >=, 150);
    pn_db_free(db);
}

/* No port/transport is described by two rows by accident: only a service
 * inside a client range (the ephemeral ports) may share a port. */
static void test_embedded_no_accidental_duplicates(void)
{
    pn_db_t *db = embedded_db();
    const pn_entry_t **owner = g_new0(const pn_entry_t *, PN_TRANSPORT_COUNT * 65536);
    const pn_entry_t *e;

    for (guint i = 0; (e = pn_db_row(db, i)) != NULL; i++) {
        if (e->kind == PN_KIND_CLIENT && e->first_port != e->last_port)
            continue;
        for (guint port = e->first_port; port <= e->last_port; port++) {
            const pn_entry_t **slot = &owner[e->transport * 65536 + port];
            if (*slot)
                g_error("%u/%s: %s and %s", port, pn_transport_name(e->transport),
                        (*slot)->origin, e->origin);
            *slot = e;
        }
    }
    g_free(owner);
    pn_db_free(db);
}

/* The seed's ephemeral paragraph: the legacy range is a client range, and
 * the note names today's ranges. */
static void test_embedded_ephemeral_range(void)
{
    pn_db_t *db = NULL;
    const pn_entry_t *e = embedded_lookup(&db, PN_TRANSPORT_TCP, 3000);

    g_assert_nonnull(e);
    g_assert_cmpuint(e->first_port, ==, 1024);
    g_assert_cmpuint(e->last_port, ==, 5000);
    g_assert_cmpint(e->kind, ==, PN_KIND_CLIENT);
    g_assert_nonnull(strstr(e->source, "49152-65535"));
    g_assert_nonnull(strstr(e->source, "32768-60999"));
    g_assert_null(embedded_lookup(&db, PN_TRANSPORT_TCP, 5001));
    pn_db_free(db);
}

static void test_embedded_rows_are_complete(void)
{
    pn_db_t *db = NULL;

    for (int t = 0; t < PN_TRANSPORT_COUNT; t++) {
        for (guint port = 0; port <= G_MAXUINT16; port++) {
            const pn_entry_t *e = embedded_lookup(&db, (pn_transport_t)t, (guint16)port);
            if (!e)
                continue;
            g_assert_cmpstr(e->source, !=, "");
            g_assert_cmpstr(e->description, !=, "");
            if (e->own.risk != PN_RISK_NONE)
                g_assert_cmpstr(e->own.note, !=, "");
            if (e->also.risk != PN_RISK_NONE)
                g_assert_cmpstr(e->also.note, !=, "");
        }
    }
    pn_db_free(db);
}

/* ---- Good rows ---------------------------------------------------------- */

static void test_good_row_fields(void)
{
    loaded_t l = load(HEADER_ROW
        "\"23\",\"tcp\",\"server\",\"Telnet\",\"high\",\"cleartext-credentials; worm\","
        "\"Mirai\",\"Remote login\",\"Clear text\",\"Src\",\"critical\",\"trojan\","
        "\"Tiny Telnet Server; X\",\"Squats\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 23);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpuint(l.accepted, ==, 1);
    g_assert_nonnull(e);
    g_assert_cmpstr(e->service, ==, "Telnet");
    g_assert_cmpint(e->own.risk, ==, PN_RISK_HIGH);
    g_assert_cmpstr(e->own.categories[0], ==, "cleartext-credentials");
    g_assert_cmpstr(e->own.categories[1], ==, "worm");
    g_assert_cmpstr(e->own.categories_text, ==, "cleartext-credentials, worm");
    g_assert_cmpstr(e->own.threats[0], ==, "Mirai");
    g_assert_cmpstr(e->own.note, ==, "Clear text");
    g_assert_cmpint(e->also.risk, ==, PN_RISK_CRITICAL);
    g_assert_cmpstr(e->also.categories_text, ==, "trojan");
    g_assert_cmpstr(e->also.threats_text, ==, "Tiny Telnet Server, X");
    g_assert_cmpstr(e->also.note, ==, "Squats");
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_INBOUND, FALSE), ==, PN_RISK_HIGH);
    g_assert_true(pn_entry_squatter_likelier(e));
    g_assert_null(e->exposure.risks_text);      /* a format 2 row has no exposure rule */
    g_assert_cmpstr(e->origin, ==, "t.csv:2");
    g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_UDP, 23));
    g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 24));
    loaded_free(&l);
}

/* Format 3: per-exposure levels and a note for some exposures. */
static void test_exposure_rule(void)
{
    loaded_t l = load(HEADER_ROW
        "\"445\",\"tcp\",\"server\",\"SMB\",\"high\",\"exposed-service;worm\",\"WannaCry\","
        "\"File sharing\",\"Worms spread here\",\"Src\",\"\",\"\",\"\",\"\","
        "\"outbound=medium\",\"outbound, external: Leaks NTLM hashes\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 445);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_nonnull(e);
    g_assert_cmpstr(e->exposure.risks_text, ==, "outbound=medium");
    g_assert_cmpstr(e->exposure.note, ==, "Leaks NTLM hashes");
    g_assert_true(e->exposure.has_note[PN_EXPOSURE_OUTBOUND]);
    g_assert_true(e->exposure.has_note[PN_EXPOSURE_EXTERNAL]);
    g_assert_false(e->exposure.has_note[PN_EXPOSURE_INTERNAL]);
    /* the rubric: a worm's way in is routine inside, high from outside */
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_INBOUND, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_EXTERNAL, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_UNKNOWN, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_INTERNAL, FALSE), ==, PN_RISK_LOW);
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_LOOPBACK, FALSE), ==, PN_RISK_NONE);
    /* the row's own level for outbound */
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_OUTBOUND, FALSE), ==, PN_RISK_MEDIUM);
    loaded_free(&l);
}

/* Categories that do not depend on exposure keep their level; amplification
 * counts only when seen. */
static void test_exposure_categories(void)
{
    loaded_t l = load(HEADER_ROW
        "\"23\",\"tcp\",\"server\",\"Telnet\",\"high\",\"cleartext-credentials;remote-access;worm\",\"\","
        "\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"\n"
        "\"123\",\"udp\",\"server\",\"NTP\",\"high\",\"amplification;spoofing\",\"\","
        "\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"internal,outbound,inbound,external,loopback=low\",\"\"\n"
        "\"19\",\"udp\",\"server\",\"chargen\",\"high\",\"amplification\",\"\","
        "\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"\n"
        "\"502\",\"tcp\",\"server\",\"Modbus\",\"high\",\"industrial-control;exposed-service\",\"\","
        "\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\"\n");
    const pn_entry_t *telnet = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 23);
    const pn_entry_t *ntp = pn_db_lookup(l.db, PN_TRANSPORT_UDP, 123);
    const pn_entry_t *chargen = pn_db_lookup(l.db, PN_TRANSPORT_UDP, 19);
    const pn_entry_t *modbus = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 502);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpint(pn_entry_own_risk(telnet, PN_EXPOSURE_INTERNAL, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(telnet, PN_EXPOSURE_LOOPBACK, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(ntp, PN_EXPOSURE_INBOUND, FALSE), ==, PN_RISK_LOW);
    g_assert_cmpint(pn_entry_own_risk(ntp, PN_EXPOSURE_INBOUND, TRUE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(ntp, PN_EXPOSURE_LOOPBACK, TRUE), ==, PN_RISK_LOW);
    g_assert_cmpint(pn_entry_own_risk(chargen, PN_EXPOSURE_EXTERNAL, FALSE), ==, PN_RISK_LOW);
    g_assert_cmpint(pn_entry_own_risk(chargen, PN_EXPOSURE_INTERNAL, TRUE), ==, PN_RISK_HIGH);
    /* industrial control: high from outside, medium inside, low on the host */
    g_assert_cmpint(pn_entry_own_risk(modbus, PN_EXPOSURE_INBOUND, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(modbus, PN_EXPOSURE_UNKNOWN, FALSE), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_entry_own_risk(modbus, PN_EXPOSURE_INTERNAL, FALSE), ==, PN_RISK_MEDIUM);
    g_assert_cmpint(pn_entry_own_risk(modbus, PN_EXPOSURE_OUTBOUND, FALSE), ==, PN_RISK_MEDIUM);
    g_assert_cmpint(pn_entry_own_risk(modbus, PN_EXPOSURE_LOOPBACK, FALSE), ==, PN_RISK_LOW);
    g_assert_true(pn_category_depends_on_exposure("worm"));
    g_assert_false(pn_category_depends_on_exposure("cleartext-credentials"));
    loaded_free(&l);
}

/* A first-format row with only trojans: they are other software on the
 * port, so a confirmed service carries no risk.  Nothing to report. */
static void test_legacy_row_trojans_only(void)
{
    loaded_t l = load("\"80\",\"tcp\",\"\",\"HTTP\",\"low\",\"trojan\",\"Executor\",\"Web\",\"n\",\"s\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 80);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpint(e->own.risk, ==, PN_RISK_NONE);
    g_assert_null(e->own.categories[0]);
    g_assert_null(e->own.threats[0]);
    g_assert_cmpstr(e->own.note, ==, "");
    g_assert_cmpint(e->also.risk, ==, PN_RISK_LOW);
    g_assert_cmpstr(e->also.categories_text, ==, "trojan");
    g_assert_cmpstr(e->also.threats_text, ==, "Executor");
    g_assert_cmpstr(e->also.note, ==, "n");
    g_assert_cmpint(pn_entry_own_risk(e, PN_EXPOSURE_EXTERNAL, FALSE), ==, PN_RISK_NONE);
    g_assert_false(pn_entry_squatter_likelier(e));
    loaded_free(&l);
}

/* A first-format row mixing the service's risks with trojans loads, split
 * by the rule, and says that the split was a guess. */
static void test_legacy_row_ambiguous(void)
{
    loaded_t l = load(HEADER_ROW "\"21\",\"tcp\",\"\",\"FTP\",\"high\",\"cleartext-credentials;trojan\","
                      "\"Doly Trojan\",\"d\",\"n\",\"s\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 21);

    g_assert_cmpuint(l.accepted, ==, 1);
    g_assert_cmpuint(l.errors->len, ==, 1);
    g_assert_nonnull(strstr(l.errors->pdata[0], "t.csv:2: a row without also_ fields mixes"));
    g_assert_nonnull(strstr(l.errors->pdata[0], "(Doly Trojan)"));
    g_assert_nonnull(strstr(l.errors->pdata[0], "row loaded"));
    g_assert_cmpint(e->own.risk, ==, PN_RISK_HIGH);
    g_assert_cmpstr(e->own.categories_text, ==, "cleartext-credentials");
    g_assert_null(e->own.threats[0]);
    g_assert_cmpint(e->also.risk, ==, PN_RISK_HIGH);
    g_assert_cmpstr(e->also.threats_text, ==, "Doly Trojan");
    loaded_free(&l);
}

static void test_empty_fields_and_escapes(void)
{
    loaded_t l = load("\"8000-8002\" , \"UDP\", \"client\", \"A \\\"q\\\" \\\\ \\x41\\xc3\\xa9\",, , ,\"d\",,\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_UDP, 8001);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_nonnull(e);
    g_assert_cmpstr(e->service, ==, "A \"q\" \\ A\xc3\xa9");
    g_assert_cmpint(e->kind, ==, PN_KIND_CLIENT);
    g_assert_cmpint(e->own.risk, ==, PN_RISK_NONE);
    g_assert_null(e->own.categories[0]);
    g_assert_nonnull(pn_db_lookup(l.db, PN_TRANSPORT_UDP, 8000));
    g_assert_nonnull(pn_db_lookup(l.db, PN_TRANSPORT_UDP, 8002));
    g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_UDP, 8003));
    loaded_free(&l);
}

static void test_crlf_bom_comments(void)
{
    loaded_t l = load("\xEF\xBB\xBF# header\r\n\r\n   # indented comment\r\n"
                      "\"7\",\"udp\",\"\",\"Echo\",\"\",\"\",\"\",\"d\",\"\",\"s\"\r\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_UDP, 7);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_nonnull(e);
    g_assert_cmpstr(e->source, ==, "s");
    g_assert_cmpstr(e->origin, ==, "t.csv:4");
    loaded_free(&l);
}

/* Text from the data is data: a note full of conversions stays literal. */
static void test_format_strings_are_literal(void)
{
    loaded_t l = load("\"9\",\"tcp\",\"\",\"%s%n%x\",\"low\",\"trojan\",\"%n\",\"%d\",\"%s%n\",\"%%\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 9);

    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpstr(e->service, ==, "%s%n%x");
    g_assert_cmpstr(e->also.note, ==, "%s%n");
    g_assert_cmpstr(e->also.threats[0], ==, "%n");
    loaded_free(&l);
}

/* ---- Bad rows ------------------------------------------------------------ */

typedef struct {
    const char *row;
    const char *reason_part;
} bad_row_t;

#define GOOD_ROW "\"25\",\"tcp\",\"\",\"SMTP\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n"

static const bad_row_t bad_rows[] = {
    { "\"25\",\"tcp\",\"SMTP\"", "expected 16 fields (or 14 or 10 in the older formats), found 3" },
    { "\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\",\"10\",\"11\"", "expected 16 fields (or 14 or 10 in the older formats), found 11" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"trojan\",\"\",\"d\",\"n\",\"s\",\"low\",\"backdoor\",\"B\",\"n\"", "category 'trojan' belongs in also_categories" },
    { "\"10\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"high\",\"trojan\",\"T\",\"\"", "also_risk 'high' needs an also_note" },
    { "\"10\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"high\",\"\",\"T\",\"n\"", "also_risk 'high' needs at least one also_category" },
    { "\"10\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"bad\",\"\",\"\",\"\"", "unknown risk 'bad'" },
    { "\"-1\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "'-1' is not a port" },
    { "\"65536\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "'65536' is not a port" },
    { "\"abc\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "'abc' is not a port" },
    { "\"\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "'' is not a port" },
    { "\"10-5\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "port range '10-5' is reversed" },
    { "\"10-\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "'10-' is not a port" },
    { "\"10\",\"icmp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "unknown transport 'icmp'" },
    { "\"10\",\"tcp\",\"both\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "unknown role 'both'" },
    { "\"10\",\"tcp\",\"\",\"x\",\"severe\",\"trojan\",\"\",\"d\",\"n\",\"s\"", "unknown risk 'severe'" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"trojen\",\"\",\"d\",\"n\",\"s\"", "unknown category 'trojen'" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"trojan\",\"\",\"d\",\"\",\"s\"", "risk 'low' needs a note" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"\",\"\",\"d\",\"n\",\"s\"", "needs at least one category" },
    { "\"10\",\"tcp\",\"\",\"\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "the service name is empty" },
    { "\"10\",\"tcp\",\"\",\"x,\"\",\"\",\"\",\"d\",\"\",\"s\"", "unexpected text after field 4" },
    { "\"10\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s", "a quoted field is not closed" },
    { "\"10\",\"tcp\",\"\",\"x\\q\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "unknown escape" },
    { "\"10\",\"tcp\",\"\",\"x\\x4\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "two hex digits" },
    { "\"10\",\"tcp\",\"\",\"x\\x00\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "control character 0x00" },
    { "\"10\",\"tcp\",\"\",\"x\\xff\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "field 4 is not valid UTF-8" },
    { "\"10\",\"tcp\",\"\",\"x\xff\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "the line is not valid UTF-8" },
    { "\"10\",\"tcp\",\"\",\"x\tq\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "control character 0x09" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"worm\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"inside=low\",\"\"", "unknown exposure 'inside'" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"worm\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"internal\",\"\"", "exposure_risks item 'internal' is not EXPOSURE=RISK" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"worm\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"internal=huge\",\"\"", "unknown risk 'huge'" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"worm\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"\",\"no exposure here\"", "exposure_note must start with the exposures it is for" },
    { "\"10\",\"tcp\",\"\",\"x\",\"low\",\"worm\",\"\",\"d\",\"n\",\"s\",\"\",\"\",\"\",\"\",\"\",\"outbound:\"", "exposure_note has no text" },
    { "\"10\",tcp,\"\",\"x\",\"\",\"\",\"\",\"d\",\"\",\"s\"", "field 2 must be a \"quoted string\"" },
};

/* Each bad row is reported with its line, and the rows around it load. */
static void test_bad_rows_are_reported_and_skipped(void)
{
    for (gsize i = 0; i < G_N_ELEMENTS(bad_rows); i++) {
        char *text = g_strconcat(HEADER_ROW, bad_rows[i].row, "\n", GOOD_ROW, NULL);
        loaded_t l = load(text);

        g_test_message("bad row %" G_GSIZE_FORMAT ": %s", i, bad_rows[i].row);
        assert_one_error(&l, "t.csv:2: ", bad_rows[i].reason_part);
        g_assert_cmpuint(l.accepted, ==, 1);
        g_assert_nonnull(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 25));
        g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 10));
        loaded_free(&l);
        g_free(text);
    }
}

static void test_long_field(void)
{
    GString *row = g_string_new("\"10\",\"tcp\",\"\",\"x\",\"\",\"\",\"\",\"");
    loaded_t l;

    for (int i = 0; i < PN_MAX_FIELD_LEN + 1; i++)
        g_string_append_c(row, 'a');
    g_string_append(row, "\",\"\",\"s\"\n" GOOD_ROW);
    l = load(row->str);
    assert_one_error(&l, "t.csv:1: ", "field 8 is 4097 bytes long");
    g_assert_cmpuint(l.accepted, ==, 1);
    loaded_free(&l);
    g_string_free(row, TRUE);
}

static void test_duplicates_within_a_file(void)
{
    loaded_t l = load(GOOD_ROW
        "\"20-30\",\"tcp\",\"\",\"Range\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n");
    const pn_entry_t *e = pn_db_lookup(l.db, PN_TRANSPORT_TCP, 25);

    assert_one_error(&l, "t.csv:2: ", "port 25/tcp is already described at line 1");
    g_assert_cmpuint(l.accepted, ==, 2);
    g_assert_cmpstr(e->service, ==, "Range");
    loaded_free(&l);
}

/* A service inside a client range refines it, in either order, silently. */
static void test_service_refines_client_range(void)
{
    static const char *const orders[] = {
        "\"1024-5000\",\"tcp\",\"client\",\"Eph\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n"
        "\"1080\",\"tcp\",\"\",\"SOCKS\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n",
        "\"1080\",\"tcp\",\"\",\"SOCKS\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n"
        "\"1024-5000\",\"tcp\",\"client\",\"Eph\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n",
    };

    for (gsize i = 0; i < G_N_ELEMENTS(orders); i++) {
        loaded_t l = load(orders[i]);
        g_assert_cmpuint(l.errors->len, ==, 0);
        g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 1080)->service, ==, "SOCKS");
        g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 1081)->service, ==, "Eph");
        loaded_free(&l);
    }
}

/* A later file overrides port by port, without complaint. */
static void test_override_across_loads(void)
{
    loaded_t l = load("\"20-30\",\"tcp\",\"\",\"Range\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n");
    const char *user = "\"25\",\"tcp\",\"\",\"Mail\",\"critical\",\"spam-relay\",\"\",\"d\",\"n\",\"s\"\n";

    pn_db_load_text(l.db, "user.csv", user, strlen(user), l.errors);
    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 25)->service, ==, "Mail");
    g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 25)->origin, ==, "user.csv:1");
    g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 24)->service, ==, "Range");
    g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 26)->service, ==, "Range");
    loaded_free(&l);
}

/* An "ignore" row silences earlier files' notes for its ports only. */
static void test_ignore_silences(void)
{
    loaded_t l = load("\"20-30\",\"tcp\",\"\",\"Range\",\"\",\"\",\"\",\"d\",\"\",\"s\"\n");
    const char *user = "\"25-26\",\"tcp\",\"ignore\",,,,,,,\n";

    g_assert_cmpuint(pn_db_load_text(l.db, "user.csv", user, strlen(user), l.errors), ==, 1);
    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 25));
    g_assert_null(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 26));
    g_assert_nonnull(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 24));
    g_assert_nonnull(pn_db_lookup(l.db, PN_TRANSPORT_TCP, 27));
    loaded_free(&l);
}

/* The UAT validates rows through the same rules. */
static void test_check_fields(void)
{
    const char *good[PN_FIELD_COUNT] = { "80", "tcp", "", "HTTP", "low", "exposed-service", "", "d", "n",
                                         "s", "low", "trojan", "Executor", "n" };
    const char *bad[PN_FIELD_COUNT] = { "80", "tcp", "", "HTTP", "low", "", "", "d", "n", "s",
                                        "", "", "", "" };
    char *reason = NULL;

    g_assert_true(pn_check_fields(good, &reason));
    g_assert_null(reason);
    g_assert_false(pn_check_fields(bad, &reason));
    g_assert_cmpstr(reason, ==, "risk 'low' needs at least one category");
    g_free(reason);
}

/* ---- Files --------------------------------------------------------------- */

static char *write_temp(const char *contents, gsize len)
{
    GError *err = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("portnote-XXXXXX.csv", &path, &err);

    g_assert_no_error(err);
    close(fd);
    g_assert_true(g_file_set_contents(path, contents, (gssize)len, NULL));
    return path;
}

static void test_files(void)
{
    pn_db_t *db = pn_db_new();
    GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
    char *good = write_temp(GOOD_ROW, strlen(GOOD_ROW));
    char *empty = write_temp("", 0);
    char *dir = g_dir_make_tmp("portnote-XXXXXX", NULL);
    char *expected;

    g_assert_false(pn_db_load_file(db, "/nonexistent/portnotes.csv", errors));
    g_assert_cmpuint(errors->len, ==, 0);

    g_assert_true(pn_db_load_file(db, good, errors));
    g_assert_cmpuint(errors->len, ==, 0);
    g_assert_nonnull(pn_db_lookup(db, PN_TRANSPORT_TCP, 25));
    expected = g_strdup_printf("%s:1", good);
    g_assert_cmpstr(pn_db_lookup(db, PN_TRANSPORT_TCP, 25)->origin, ==, expected);

    g_assert_true(pn_db_load_file(db, empty, errors));
    g_assert_cmpuint(errors->len, ==, 1);
    g_assert_true(g_str_has_suffix(errors->pdata[0], ": the file is empty"));

    g_assert_false(pn_db_load_file(db, dir, errors));
    g_assert_cmpuint(errors->len, ==, 2);
    g_assert_true(g_str_has_prefix(errors->pdata[1], dir));
    g_assert_nonnull(strstr(errors->pdata[1], "cannot read the file"));

    g_unlink(good);
    g_unlink(empty);
    g_rmdir(dir);
    g_free(expected);
    g_free(good);
    g_free(empty);
    g_free(dir);
    g_ptr_array_free(errors, TRUE);
    pn_db_free(db);
}

/* A large file loads completely (start-up cost is measured in bench/). */
static void test_many_rows(void)
{
    GString *text = g_string_new(NULL);
    loaded_t l;

    for (guint port = 10000; port < 60000; port++)
        g_string_append_printf(text, "\"%u\",\"udp\",\"\",\"svc%u\",\"low\",\"trojan\",\"t%u\",\"d\",\"n\",\"s\"\n",
                               port, port, port);
    l = load(text->str);
    g_assert_cmpuint(l.errors->len, ==, 0);
    g_assert_cmpuint(l.accepted, ==, 50000);
    g_assert_cmpstr(pn_db_lookup(l.db, PN_TRANSPORT_UDP, 59999)->also.threats[0], ==, "t59999");
    loaded_free(&l);
    g_string_free(text, TRUE);
}

/* ---- Roles ------------------------------------------------------------- */

static pn_role_t src_role(guint16 sp, gboolean s_eph, const pn_entry_t *se,
                          guint16 dp, gboolean d_eph, const pn_entry_t *de, pn_hint_t hint)
{
    pn_endpoint_t src = { sp, s_eph, se }, dst = { dp, d_eph, de };
    pn_role_t s, d;

    pn_decide_roles(&src, &dst, hint, &s, &d);
    if (s == PN_ROLE_UNKNOWN)
        g_assert_cmpint(d, ==, PN_ROLE_UNKNOWN);
    else
        g_assert_cmpint(d, !=, s);
    return s;
}

static void test_roles(void)
{
    pn_entry_t service = { .kind = PN_KIND_SERVICE }, client = { .kind = PN_KIND_CLIENT };

    /* The handshake wins over everything else. */
    g_assert_cmpint(src_role(80, FALSE, &service, 8081, FALSE, NULL, PN_HINT_SRC_IS_CLIENT), ==, PN_ROLE_CLIENT);
    g_assert_cmpint(src_role(50000, TRUE, NULL, 23, FALSE, &service, PN_HINT_SRC_IS_SERVER), ==, PN_ROLE_SERVER);
    /* Documented client ports (68/udp, legacy ephemeral range). */
    g_assert_cmpint(src_role(68, FALSE, &client, 67, FALSE, &service, PN_HINT_NONE), ==, PN_ROLE_CLIENT);
    g_assert_cmpint(src_role(67, FALSE, &service, 68, FALSE, &client, PN_HINT_NONE), ==, PN_ROLE_SERVER);
    /* Well-known against registered or dynamic. */
    g_assert_cmpint(src_role(53, FALSE, &service, 50053, TRUE, NULL, PN_HINT_NONE), ==, PN_ROLE_SERVER);
    g_assert_cmpint(src_role(6000, FALSE, NULL, 110, FALSE, &service, PN_HINT_NONE), ==, PN_ROLE_CLIENT);
    /* Ephemeral range decides between two high ports. */
    g_assert_cmpint(src_role(40000, TRUE, NULL, 3000, FALSE, &client, PN_HINT_NONE), ==, PN_ROLE_CLIENT);
    /* No evidence, or the same port on both sides. */
    g_assert_cmpint(src_role(53, FALSE, &service, 53, FALSE, &service, PN_HINT_NONE), ==, PN_ROLE_UNKNOWN);
    g_assert_cmpint(src_role(8000, FALSE, NULL, 9000, FALSE, NULL, PN_HINT_NONE), ==, PN_ROLE_UNKNOWN);
}

static void test_should_annotate(void)
{
    pn_entry_t service = { .kind = PN_KIND_SERVICE }, client = { .kind = PN_KIND_CLIENT };

    g_assert_false(pn_should_annotate(NULL, PN_ROLE_SERVER, TRUE));
    g_assert_true(pn_should_annotate(&service, PN_ROLE_SERVER, FALSE));
    g_assert_true(pn_should_annotate(&service, PN_ROLE_UNKNOWN, FALSE));
    g_assert_false(pn_should_annotate(&service, PN_ROLE_CLIENT, FALSE));
    g_assert_true(pn_should_annotate(&service, PN_ROLE_CLIENT, TRUE));
    g_assert_true(pn_should_annotate(&client, PN_ROLE_CLIENT, FALSE));
    g_assert_false(pn_should_annotate(&client, PN_ROLE_SERVER, TRUE));
    g_assert_false(pn_should_annotate(&client, PN_ROLE_UNKNOWN, TRUE));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/data/embedded-loads-cleanly", test_embedded_loads_cleanly);
    g_test_add_func("/data/every-seed-fact", test_embedded_has_every_seed_fact);
    g_test_add_func("/data/ephemeral-range", test_embedded_ephemeral_range);
    g_test_add_func("/data/known-facts", test_embedded_has_known_facts);
    g_test_add_func("/data/every-row-sourced", test_embedded_every_row_sourced);
    g_test_add_func("/data/no-accidental-duplicates", test_embedded_no_accidental_duplicates);
    g_test_add_func("/data/rows-complete", test_embedded_rows_are_complete);
    g_test_add_func("/data/halves", test_embedded_halves);
    g_test_add_func("/parse/good-row", test_good_row_fields);
    g_test_add_func("/parse/legacy-trojans-only", test_legacy_row_trojans_only);
    g_test_add_func("/parse/exposure-rule", test_exposure_rule);
    g_test_add_func("/risk/exposure-categories", test_exposure_categories);
    g_test_add_func("/parse/legacy-ambiguous", test_legacy_row_ambiguous);
    g_test_add_func("/parse/empty-fields-and-escapes", test_empty_fields_and_escapes);
    g_test_add_func("/parse/crlf-bom-comments", test_crlf_bom_comments);
    g_test_add_func("/parse/format-strings-literal", test_format_strings_are_literal);
    g_test_add_func("/parse/bad-rows", test_bad_rows_are_reported_and_skipped);
    g_test_add_func("/parse/long-field", test_long_field);
    g_test_add_func("/parse/duplicates", test_duplicates_within_a_file);
    g_test_add_func("/parse/service-refines-client-range", test_service_refines_client_range);
    g_test_add_func("/parse/override", test_override_across_loads);
    g_test_add_func("/parse/ignore", test_ignore_silences);
    g_test_add_func("/parse/check-fields", test_check_fields);
    g_test_add_func("/parse/files", test_files);
    g_test_add_func("/parse/many-rows", test_many_rows);
    g_test_add_func("/roles/decide", test_roles);
    g_test_add_func("/roles/should-annotate", test_should_annotate);
    return g_test_run();
}
