/* portnote-load.c
 * The notes in force: the built-in notes, then the global, personal and
 * profile portnotes.csv (as addr_resolv does for "services"), then the
 * file of the Port notes table (portnote-table.c), later rows winning port
 * by port.  Reloaded when the profile changes or the table is edited.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_LOG_DOMAIN "portnote"

#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>
#include <wsutil/wslog.h>

#include "portnote-embedded.h"
#include "portnote-glue.h"

#define PN_EMBEDDED_NAME "built-in " PN_NOTES_FILE
#define PN_MAX_REPORTED_ERRORS 40

static pn_db_t *notes_db;
static char *notes_db_profile;
static gboolean notes_db_stale;

/** Shows every problem found while loading, in one message. */
static void report_load_errors(const GPtrArray *errors)
{
    GString *text;
    guint shown;

    if (errors->len == 0)
        return;
    text = g_string_new(NULL);
    shown = MIN(errors->len, PN_MAX_REPORTED_ERRORS);
    for (guint i = 0; i < shown; i++)
        g_string_append_printf(text, "\n%s", (const char *)errors->pdata[i]);
    if (errors->len > shown)
        g_string_append_printf(text, "\n... and %u more", errors->len - shown);
    report_warning("PortNote: problems in the port notes files (every other row loaded):%s",
                   text->str);
    g_string_free(text, TRUE);
}

/** Adds path to files unless it is already there. */
static void add_unique_path(GPtrArray *files, char *path)
{
    for (guint i = 0; i < files->len; i++) {
        if (g_strcmp0(files->pdata[i], path) == 0) {
            g_free(path);
            return;
        }
    }
    g_ptr_array_add(files, path);
}

/** Builds the database from the built-in notes and the optional files. */
static pn_db_t *load_notes(void)
{
    pn_db_t *db = pn_db_new();
    GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
    GPtrArray *files = g_ptr_array_new_with_free_func(g_free);
    gint64 started = g_get_monotonic_time();
    char *table;

    pn_db_load_text(db, PN_EMBEDDED_NAME, portnote_embedded_notes,
                    portnote_embedded_notes_len, errors);
    add_unique_path(files, get_datafile_path(PN_NOTES_FILE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, FALSE));
    add_unique_path(files, get_persconffile_path(PN_NOTES_FILE, TRUE));
    if ((table = portnote_notes_table_file()))
        add_unique_path(files, table);
    for (guint i = 0; i < files->len; i++)
        pn_db_load_file(db, files->pdata[i], errors);

    report_load_errors(errors);
    ws_info("%u port notes rows loaded for profile %s in %.3f ms (built-in and %u optional files; %u problems)",
            pn_db_row_count(db), get_profile_name(), (g_get_monotonic_time() - started) / 1000.0,
            files->len, errors->len);
    g_ptr_array_free(files, TRUE);
    g_ptr_array_free(errors, TRUE);
    return db;
}

/** The notes in force (NULL before the first capture is opened). */
const pn_db_t *portnote_notes(void)
{
    return notes_db;
}

/** Init routine: (re)loads when first needed, or when the profile or the table changed. */
void portnote_notes_refresh(void)
{
    const char *profile = get_profile_name();

    if (notes_db && !notes_db_stale && g_strcmp0(profile, notes_db_profile) == 0)
        return;
    portnote_notes_free();
    notes_db = load_notes();
    notes_db_profile = g_strdup(profile);
    notes_db_stale = FALSE;
}

/** The files changed: reload before the next pass. */
void portnote_notes_mark_stale(void)
{
    notes_db_stale = TRUE;
}

void portnote_notes_free(void)
{
    pn_db_free(notes_db);
    notes_db = NULL;
    g_free(notes_db_profile);
    notes_db_profile = NULL;
}
