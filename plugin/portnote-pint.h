/* portnote-pint.h
 * Wireshark's unaligned byte readers (wsutil/pint.h) under one name on
 * every version: 4.6 renamed pntoh16 to pntohu16, phton16 to phtonu16 and so on.  Free of
 * epan, so the core (the payload signatures) and the glue share it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PORTNOTE_PINT_H
#define PORTNOTE_PINT_H

#include <ws_version.h>
#include <wsutil/pint.h>

#define PN_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) \
     || (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

#if PN_WS_AT_LEAST(4, 6)
#define pn_ntoh16 pntohu16
#define pn_ntoh24 pntohu24
#define pn_ntoh32 pntohu32
#define pn_letoh32 pletohu32
#define pn_hton16 phtonu16
#else
#define pn_ntoh16 pntoh16
#define pn_ntoh24 pntoh24
#define pn_ntoh32 pntoh32
#define pn_letoh32 pletoh32
#define pn_hton16 phton16
#endif

#endif /* PORTNOTE_PINT_H */
