/* portnote-embedded.h
 * The default notes file, compiled into the plugin by the build (see
 * cmake/embed-file.cmake) so that portnote.so alone is a complete install.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_EMBEDDED_H
#define PORTNOTE_EMBEDDED_H

#include <stddef.h>

extern const char portnote_embedded_notes[];
extern const size_t portnote_embedded_notes_len;

#endif /* PORTNOTE_EMBEDDED_H */
