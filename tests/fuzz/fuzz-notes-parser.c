/* fuzz-notes-parser.c
 * libFuzzer target: any bytes given to the notes parser must load without
 * a crash, leak or undefined behaviour, and lookups must stay consistent.
 * Built by CMake with clang (-fsanitize=fuzzer,address,undefined); run by
 * tests/fuzz-parser.sh.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <glib.h>

#include "portnote-db.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pn_db_t *db = pn_db_new();
    GPtrArray *errors = g_ptr_array_new_with_free_func(g_free);
    guint rows = pn_db_load_text(db, "fuzz.csv", (const char *)data, size, errors);

    for (guint port = 0; port <= G_MAXUINT16; port += 97) {
        for (int t = 0; t < PN_TRANSPORT_COUNT; t++) {
            const pn_entry_t *e = pn_db_lookup(db, (pn_transport_t)t, (guint16)port);
            if (e && (e->first_port > port || e->last_port < port || !g_utf8_validate(e->service, -1, NULL)))
                __builtin_trap();
        }
    }
    if (rows > pn_db_row_count(db))
        __builtin_trap();
    g_ptr_array_free(errors, TRUE);
    pn_db_free(db);
    return 0;
}
