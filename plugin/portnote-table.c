/* portnote-table.c
 * The "Port notes" table (UAT) in PortNote's preferences.  It shows the
 * built-in rows below the user's, so that one is changed by editing it,
 * and saves to the profile's portnotes-table.csv only the user's rows and
 * the rows that differ from the built-in row of the same ports and
 * transport: a later correction of a built-in row is then not shadowed by
 * a stale copy.  Hand-edited portnotes.csv files are not the table's: they
 * keep loading on their own.  The notes are always built from the files by
 * the core's parser (portnote-load.c), so a bad row never hides the others.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_LOG_DOMAIN "portnote"

#include <unistd.h>
#include <glib/gstdio.h>
#include <epan/uat-int.h>
#include <wsutil/wslog.h>
#include <wsutil/report_message.h>

#include "portnote-embedded.h"
#include "portnote-glue.h"
#include "portnote-row.h"

#define PN_TABLE_FILE "portnotes-table.csv"

#define PN_UAT_MEMBER(name, title, help) char *name;
typedef struct {
    PN_ROW_FIELDS(PN_UAT_MEMBER)
} pn_uat_row_t;

/* The row's fields in the notes file's column order. */
#define PN_UAT_OFFSET(name, title, help) offsetof(pn_uat_row_t, name),
static const size_t uat_field_offsets[] = { PN_ROW_FIELDS(PN_UAT_OFFSET) };
G_STATIC_ASSERT(G_N_ELEMENTS(uat_field_offsets) == PN_FIELD_COUNT);

static pn_uat_row_t *uat_rows;
static guint uat_row_count;
/* Wireshark 4.0's table loader stops at the first row it is told is bad,
 * and saving the table afterwards would drop the rest of the file.  So
 * rows are taken as they are while the file loads (the notes loader
 * reports bad ones as file:line and skips only those), and validated as
 * soon as the table is loaded, i.e. when a person edits it. */
static gboolean uat_loaded;

static uat_t *notes_table;
static GPtrArray *builtin_rows;     /* pn_uat_row_t copies of the built-in rows */
static gboolean builtins_shown;     /* since the table was last loaded */
static gboolean in_post_update;     /* the table's own calls call back */
static char *saved_digest;          /* of the table's file as last loaded or written */

#define PN_UAT_CALLBACKS(name, title, help) UAT_CSTRING_CB_DEF(pn_uat, name, pn_uat_row_t)
PN_ROW_FIELDS(PN_UAT_CALLBACKS)

static char **uat_field(void *row, int index)
{
    return (char **)((char *)row + uat_field_offsets[index]);
}

static void *pn_uat_copy(void *dest, const void *source, size_t len _U_)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        *uat_field(dest, i) = g_strdup(*uat_field((void *)source, i));
    return dest;
}

static void pn_uat_free(void *record)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++) {
        g_free(*uat_field(record, i));
        *uat_field(record, i) = NULL;
    }
}

/** Validates an edited table row with the same rules as the notes files. */
static pn_pref_bool_t pn_uat_update(void *record, char **error)
{
    const char *values[PN_FIELD_COUNT];

    if (!uat_loaded || in_post_update)     /* loading, or the built-in rows */
        return TRUE;
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        values[i] = *uat_field(record, i);
    return pn_check_fields(values, error);
}

/** Field i of a row of the table (raw: as shown and saved). */
static const char *row_field(const pn_uat_row_t *row, int i)
{
    return *uat_field((void *)row, i);
}

/** Row i of the table as shown (Wireshark's raw rows, valid or not). */
static pn_uat_row_t *table_row(guint i)
{
    return (pn_uat_row_t *)UAT_INDEX_PTR(notes_table, i);
}

/** Whether two rows are about the same ports and transport. */
static gboolean same_key(const pn_uat_row_t *a, const pn_uat_row_t *b)
{
    return g_strcmp0(a->ports, b->ports) == 0 && g_strcmp0(a->transport, b->transport) == 0;
}

static gboolean same_row(const pn_uat_row_t *a, const pn_uat_row_t *b)
{
    for (int i = 0; i < PN_FIELD_COUNT; i++)
        if (g_strcmp0(row_field(a, i), row_field(b, i)) != 0)
            return FALSE;
    return TRUE;
}

/** Whether a row of the table is a built-in row as it stands (not to be saved). */
static gboolean is_unchanged_builtin(const pn_uat_row_t *row)
{
    for (guint i = 0; builtin_rows && i < builtin_rows->len; i++)
        if (same_row(row, builtin_rows->pdata[i]))
            return TRUE;
    return FALSE;
}

/** Whether one of the table's first count rows has a built-in row's ports and transport. */
static gboolean key_in_table(const pn_uat_row_t *builtin, guint count)
{
    for (guint i = 0; i < count; i++)
        if (same_key(table_row(i), builtin))
            return TRUE;
    return FALSE;
}

static void builtin_row_free(gpointer row)
{
    pn_uat_free(row);
    g_free(row);
}

/** Loads text into the table with the table's own parser (uat_load_str()
 * is not exported: through a private temporary file). */
static void load_text_into_table(const char *text, gsize length)
{
    GError *failure = NULL;
    char *path = NULL, *error = NULL;
    int fd = g_file_open_tmp("portnote-builtin-XXXXXX.csv", &path, &failure);

    if (fd >= 0) {
        close(fd);
        if (g_file_set_contents(path, text, (gssize)length, &failure) && !uat_load(notes_table, path, &error))
            ws_warning("built-in notes not shown in the Port notes table: %s", error);
        g_remove(path);
    }
    if (failure)
        ws_warning("built-in notes not shown in the Port notes table: %s", failure->message);
    g_clear_error(&failure);
    g_free(error);
    g_free(path);
}

/** Reads the built-in rows once: appended to the table, copied, and taken
 * out again. */
static void read_builtin_rows(void)
{
    guint first = notes_table->raw_data->len;

    builtin_rows = g_ptr_array_new_with_free_func(builtin_row_free);
    load_text_into_table(portnote_embedded_notes, portnote_embedded_notes_len);
    for (guint i = first; i < notes_table->raw_data->len; i++)
        g_ptr_array_add(builtin_rows, pn_uat_copy(g_new0(pn_uat_row_t, 1), table_row(i), 0));
    while (notes_table->raw_data->len > first)
        uat_remove_record_idx(notes_table, notes_table->raw_data->len - 1);
}

/** Appends the built-in rows whose ports and transport no row of the user's has. */
static void show_builtin_rows(void)
{
    guint user_rows = notes_table->raw_data->len;
    gboolean changed = notes_table->changed;

    if (!builtin_rows)
        read_builtin_rows();
    for (guint i = 0; i < builtin_rows->len; i++)
        if (!key_in_table(builtin_rows->pdata[i], user_rows))
            uat_add_record(notes_table, builtin_rows->pdata[i], TRUE);
    notes_table->changed = changed;     /* showing them is no edit */
    builtins_shown = TRUE;
}

/** SHA-256 of the table's file ("" when there is none). */
static char *table_file_digest(void)
{
    char *path = uat_get_actual_filename(notes_table, FALSE);
    char *contents = NULL, *digest;
    gsize length = 0;

    if (path && g_file_get_contents(path, &contents, &length, NULL))
        digest = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)contents, length);
    else
        digest = g_strdup("");
    g_free(contents);
    g_free(path);
    return digest;
}

/** Saves the table again without the built-in rows that nobody changed
 * (Wireshark has just saved every row), and shows them again. */
static void save_only_changed_rows(void)
{
    char *error = NULL;

    for (guint i = notes_table->raw_data->len; i-- > 0;)
        if (is_unchanged_builtin(table_row(i)))
            uat_remove_record_idx(notes_table, i);
    if (!uat_save(notes_table, &error)) {
        report_failure("PortNote: could not save the Port notes table: %s", error ? error : "");
        g_free(error);
    }
    show_builtin_rows();
}

/**
 * The table was loaded, saved or edited (post-update callback): rebuild the
 * notes before the next pass.  After a load, the built-in rows are shown;
 * when the table's file changed since (Wireshark saved the table, with
 * every row), it is saved again with only the user's and changed rows.
 */
static void pn_uat_post_update(void)
{
    char *digest;

    uat_loaded = TRUE;
    portnote_notes_mark_stale();
    if (in_post_update)
        return;
    in_post_update = TRUE;
    if (!builtins_shown) {
        show_builtin_rows();
    } else {
        digest = table_file_digest();
        if (g_strcmp0(digest, saved_digest) != 0)
            save_only_changed_rows();
        g_free(digest);
    }
    g_free(saved_digest);
    saved_digest = table_file_digest();
    in_post_update = FALSE;
}

/* The table is about to be reloaded (a profile change, a cancelled edit). */
static void pn_uat_reset(void)
{
    uat_loaded = FALSE;
    builtins_shown = FALSE;
}

/** Frees the copies of the built-in rows (shutdown routine). */
static void free_builtin_rows(void)
{
    if (builtin_rows)
        g_ptr_array_free(builtin_rows, TRUE);
    builtin_rows = NULL;
    g_free(saved_digest);
    saved_digest = NULL;
}

/** The file the table reads (NULL when there is none), for the notes loader. */
char *portnote_notes_table_file(void)
{
    return notes_table ? uat_get_actual_filename(notes_table, FALSE) : NULL;
}

/** Registers the table; prefs_register_uat_preference() shows it. */
uat_t *portnote_register_notes_table(void)
{
#define PN_UAT_FIELD(name, title, help) UAT_FLD_CSTRING(pn_uat, name, title, help),
    static uat_field_t fields[] = {
        PN_ROW_FIELDS(PN_UAT_FIELD)
        UAT_END_FIELDS
    };

    /* Rows of the older formats end after the source (1) or the also_
     * note (2): the table reads them with the later fields empty, as the
     * notes loader does. */
    static const char *defaults[PN_FIELD_COUNT] = {
        [PN_LEGACY_FIELD_COUNT] = "", "", "", "", "", ""
    };
    uat_t *table = uat_new("Port notes", sizeof(pn_uat_row_t), PN_TABLE_FILE, TRUE,
                           &uat_rows, &uat_row_count, UAT_AFFECTS_DISSECTION,
                           NULL, pn_uat_copy, pn_uat_update, pn_uat_free,
                           pn_uat_post_update, pn_uat_reset, fields);

    uat_set_default_values(table, defaults);
    notes_table = table;
    register_shutdown_routine(free_builtin_rows);
    return table;
}
