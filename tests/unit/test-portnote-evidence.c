/* test-portnote-evidence.c
 * Unit tests of the evidence rule (portnote-evidence.c): what a port's
 * notes say once the payload check has spoken, and the per-note summary
 * that exports carry.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>
#include <glib.h>

#include "portnote-evidence.h"

/* 80/tcp: no risk of its own, a trojan on the port number, rated low (the
 * service is the likelier explanation); 23/tcp: cleartext logins and Mirai
 * of its own, and a trojan rated as the likelier explanation; 445/tcp: a
 * worm's way in, whose weight depends on exposure, with a note for SMB to
 * the Internet.  Service names carry the characters the summaries must not
 * let through. */
static const char rows[] =
    "\"80\",\"tcp\",\"\",\"HTTP|\\\"web\\\"\",\"\",\"\",\"\",\"d\",\"\",\"s\",\"low\",\"trojan\",\"Executor\",\"n\"\n"
    "\"23\",\"tcp\",\"\",\"Telnet\",\"high\",\"cleartext-credentials\",\"Mirai\",\"d\",\"n\",\"s\","
    "\"critical\",\"trojan\",\"Tiny Telnet Server\",\"n\"\n"
    "\"445\",\"tcp\",\"\",\"SMB\",\"high\",\"exposed-service;worm\",\"WannaCry\",\"d\",\"n\",\"s\","
    "\"\",\"\",\"\",\"\",\"outbound=medium\",\"outbound: Leaks NTLM hashes\"\n"
    "\"19\",\"tcp\",\"\",\"Chargen\",\"high\",\"amplification\",\"\",\"d\",\"n\",\"s\"\n";

static pn_db_t *db;

static pn_note_t note_for(guint16 port, pn_verdict_t verdict, pn_proto_t observed)
{
    pn_note_t n;

    memset(&n, 0, sizeof n);
    n.entry = pn_db_lookup(db, PN_TRANSPORT_TCP, port);
    n.kind = n.entry ? PN_NOTE_DOCUMENTED : PN_NOTE_UNDOCUMENTED;
    n.port = port;
    n.transport = PN_TRANSPORT_TCP;
    n.role = PN_ROLE_SERVER;
    n.verdict = (guint8)verdict;
    n.observed = (guint8)observed;
    return n;
}

/* Nothing seen yet: the service's own notes stand; software that only
 * shares the port is context unless the rubric calls it the likelier
 * explanation. */
static void test_unconfirmed_keeps_own_notes(void)
{
    pn_note_t http = note_for(80, PN_VERDICT_NONE, PN_PROTO_NONE);
    pn_note_t telnet = note_for(23, PN_VERDICT_NONE, PN_PROTO_NONE);

    g_assert_cmpint(pn_note_risk(&http), ==, PN_RISK_NONE);
    g_assert_false(pn_note_also_stands(&http));
    g_assert_cmpstr(pn_note_context(&http)[0], ==, "Executor");
    g_assert_cmpint(pn_note_risk(&telnet), ==, PN_RISK_CRITICAL);
    g_assert_true(pn_note_also_stands(&telnet));
    g_assert_false(pn_note_is_finding(&http));
    g_assert_null(pn_note_finding_categories(&http)[0]);
}

/* Confirmed: only the service's own risk; the squatter drops out. */
static void test_confirmed_keeps_own_risk_only(void)
{
    pn_note_t http = note_for(80, PN_VERDICT_CONFIRMED, PN_PROTO_HTTP);
    pn_note_t telnet = note_for(23, PN_VERDICT_CONFIRMED, PN_PROTO_TELNET);

    g_assert_cmpint(pn_note_risk(&http), ==, PN_RISK_NONE);
    g_assert_false(pn_note_also_stands(&http));
    g_assert_cmpint(pn_note_risk(&telnet), ==, PN_RISK_HIGH);
    g_assert_false(pn_note_is_finding(&telnet));
}

/* Contradicted: the full notes, and a mismatch is at least high. */
static void test_mismatch_keeps_everything_and_adds(void)
{
    pn_note_t http = note_for(80, PN_VERDICT_MISMATCH, PN_PROTO_SSH);
    pn_note_t telnet = note_for(23, PN_VERDICT_MISMATCH, PN_PROTO_TLS);

    g_assert_cmpint(pn_note_risk(&http), ==, PN_RISK_HIGH);
    g_assert_cmpint(pn_note_risk(&telnet), ==, PN_RISK_CRITICAL);
    g_assert_true(pn_note_also_stands(&http));
    g_assert_true(pn_note_is_finding(&http));
    g_assert_cmpstr(pn_note_finding_categories(&http)[0], ==, "protocol-mismatch");
    g_assert_cmpstr(pn_note_finding_categories(&http)[1], ==, "non-standard-port");
}

/* A known protocol on a port with none of its own: medium, but a web server
 * anywhere is everyday and counts only for the port's own notes. */
static void test_non_standard_port(void)
{
    pn_note_t ssh = note_for(31337, PN_VERDICT_NON_STANDARD, PN_PROTO_SSH);
    pn_note_t web = note_for(31337, PN_VERDICT_NON_STANDARD, PN_PROTO_HTTP);

    g_assert_cmpint(pn_note_risk(&ssh), ==, PN_RISK_MEDIUM);
    g_assert_cmpint(pn_note_risk(&web), ==, PN_RISK_LOW);
    g_assert_cmpstr(pn_note_finding_categories(&ssh)[0], ==, "non-standard-port");
    g_assert_null(pn_note_finding_categories(&ssh)[1]);
}

/* The same SMB note weighs what its exposure makes of it. */
static void test_exposure(void)
{
    pn_note_t smb = note_for(445, PN_VERDICT_CONFIRMED, PN_PROTO_SMB);
    const pn_risk_t expected[PN_EXPOSURE_COUNT] = {
        [PN_EXPOSURE_UNKNOWN] = PN_RISK_HIGH, [PN_EXPOSURE_LOOPBACK] = PN_RISK_NONE,
        [PN_EXPOSURE_INTERNAL] = PN_RISK_LOW, [PN_EXPOSURE_INBOUND] = PN_RISK_HIGH,
        [PN_EXPOSURE_OUTBOUND] = PN_RISK_MEDIUM, [PN_EXPOSURE_EXTERNAL] = PN_RISK_HIGH,
    };

    for (int x = 0; x < PN_EXPOSURE_COUNT; x++) {
        smb.exposure = (guint8)x;
        g_test_message("exposure %s", pn_exposure_name((pn_exposure_t)x));
        g_assert_cmpint(pn_note_risk(&smb), ==, expected[x]);
        if (x == PN_EXPOSURE_OUTBOUND)
            g_assert_cmpstr(pn_note_exposure_note(&smb), ==, "Leaks NTLM hashes");
        else
            g_assert_null(pn_note_exposure_note(&smb));
    }
    /* a finding does not depend on exposure */
    smb = note_for(445, PN_VERDICT_MISMATCH, PN_PROTO_HTTP);
    smb.exposure = PN_EXPOSURE_INTERNAL;
    g_assert_cmpint(pn_note_risk(&smb), ==, PN_RISK_HIGH);
}

/* Amplification is judged over several answers, or answers with no request. */
static void test_amplification_seen(void)
{
    g_assert_false(pn_amplification_seen(60, 2, 3000, 2));      /* too few answers */
    g_assert_true(pn_amplification_seen(60, 3, 3000, 3));
    g_assert_false(pn_amplification_seen(300, 3, 2999, 3));     /* under ten times */
    g_assert_true(pn_amplification_seen(300, 3, 3000, 3));
    g_assert_true(pn_amplification_seen(0, 0, 300, 3));         /* the victim's side */
    g_assert_false(pn_amplification_seen(0, 0, 300, 2));
}

/* A reflection service weighs its row's level only when seen amplifying,
 * and says so. */
static void test_amplifying_note(void)
{
    pn_note_t chargen = note_for(19, PN_VERDICT_NONE, PN_PROTO_NONE);
    char *s;

    chargen.exposure = PN_EXPOSURE_INBOUND;
    g_assert_cmpint(pn_note_risk(&chargen), ==, PN_RISK_LOW);
    chargen.flags |= PN_FLAG_AMPLIFYING;
    g_assert_cmpint(pn_note_risk(&chargen), ==, PN_RISK_HIGH);
    s = pn_note_summary(&chargen, chargen.entry->service);
    g_assert_cmpstr(s, ==, "19/tcp server Chargen; risk high; inbound; answers amplified");
    g_free(s);
    chargen.exposure = PN_EXPOSURE_LOOPBACK;
    g_assert_cmpint(pn_note_risk(&chargen), ==, PN_RISK_NONE);
}

/* One self-contained value per note; the separators of exports never appear. */
static void test_summary(void)
{
    pn_note_t telnet = note_for(23, PN_VERDICT_NONE, PN_PROTO_NONE);
    pn_note_t confirmed = note_for(23, PN_VERDICT_CONFIRMED, PN_PROTO_TELNET);
    pn_note_t http = note_for(80, PN_VERDICT_MISMATCH, PN_PROTO_SSH);
    pn_note_t quiet = note_for(80, PN_VERDICT_CONFIRMED, PN_PROTO_HTTP);
    char *s;

    s = pn_note_summary(&telnet, telnet.entry->service);
    g_assert_cmpstr(s, ==, "23/tcp server Telnet; risk critical; threats Mirai, Tiny Telnet Server");
    g_free(s);
    s = pn_note_summary(&confirmed, confirmed.entry->service);
    g_assert_cmpstr(s, ==, "23/tcp server Telnet; risk high; threats Mirai; confirmed: telnet payload");
    g_free(s);
    s = pn_note_summary(&http, http.entry->service);
    g_assert_cmpstr(s, ==, "80/tcp server HTTP/'web'; risk high; threats Executor; protocol-mismatch: ssh payload");
    g_free(s);
    s = pn_note_summary(&quiet, quiet.entry->service);
    g_assert_cmpstr(s, ==, "80/tcp server HTTP/'web'; confirmed: http payload");
    g_free(s);
}

int main(int argc, char **argv)
{
    GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
    int result;

    g_test_init(&argc, &argv, NULL);
    db = pn_db_new();
    pn_db_load_text(db, "rows", rows, sizeof rows - 1, errors);
    g_assert_cmpuint(errors->len, ==, 0);
    g_test_add_func("/evidence/unconfirmed", test_unconfirmed_keeps_own_notes);
    g_test_add_func("/evidence/exposure", test_exposure);
    g_test_add_func("/evidence/amplification-seen", test_amplification_seen);
    g_test_add_func("/evidence/amplifying-note", test_amplifying_note);
    g_test_add_func("/evidence/confirmed", test_confirmed_keeps_own_risk_only);
    g_test_add_func("/evidence/mismatch", test_mismatch_keeps_everything_and_adds);
    g_test_add_func("/evidence/non-standard-port", test_non_standard_port);
    g_test_add_func("/evidence/summary", test_summary);
    result = g_test_run();
    pn_db_free(db);
    g_ptr_array_free(errors, TRUE);
    return result;
}
