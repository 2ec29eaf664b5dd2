/* pcapgen.h
 * Builds packets byte by byte (inside out: payload first, then each header)
 * and writes them to pcap files; shared by mkpcaps (the sample captures)
 * and bench/mkbench (the benchmark capture).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PCAPGEN_H
#define PCAPGEN_H

#include <glib.h>
#include <stdio.h>

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_GRE_ 47
#define IPPROTO_ICMPV6_ 58
#define IPPROTO_FRAG6_ 44
#define IPPROTO_SCTP_ 132

#define ETH_IPV4 0x0800
#define ETH_IPV6 0x86dd
#define ETH_VLAN 0x8100
#define ETH_BRIDGED 0x6558

/* Source and destination of one direction of traffic. */
typedef struct {
    gboolean v6;
    guint8 src[16];
    guint8 dst[16];
} addrs_t;

typedef struct {
    FILE *file;
    guint32 frames;
} writer_t;

/* Bytes */
void put16(guint8 *p, guint16 v);
void put32(guint8 *p, guint32 v);
GByteArray *bytes_of(const void *data, gsize len);
GByteArray *text(const char *s);
guint8 *prepend(GByteArray *b, gsize len);
guint32 sum16(const guint8 *p, gsize len, guint32 acc);
guint16 fold(guint32 acc);
guint16 l4_checksum(const addrs_t *a, guint8 proto, const GByteArray *seg);

/* Headers: each prepends itself to b and returns b */
GByteArray *tcp(GByteArray *b, const addrs_t *a, guint16 sp, guint16 dp,
                guint8 flags, guint32 seq, guint32 ack);
GByteArray *udp(GByteArray *b, const addrs_t *a, guint16 sp, guint16 dp);
GByteArray *sctp(GByteArray *b, guint16 sp, guint16 dp, guint32 tsn);
GByteArray *ipv4_full(GByteArray *b, const addrs_t *a, guint8 proto,
                      guint16 id, guint16 frag_field, gsize total);
GByteArray *ipv6_hdr(GByteArray *b, const addrs_t *a, guint8 next);
GByteArray *ip(GByteArray *b, const addrs_t *a, guint8 proto);
GByteArray *ether(GByteArray *b, guint16 type);
GByteArray *frame(GByteArray *b, const addrs_t *a);

/* Addresses */
addrs_t v4(const char *src, const char *dst);
addrs_t v6(guint8 src_last, guint8 dst_last);
addrs_t reversed(const addrs_t *a);

/* pcap files */
void writer_open(writer_t *w, const char *dir, const char *name);
void write_cut(writer_t *w, GByteArray *b, guint caplen);
void write_frame(writer_t *w, GByteArray *b);
void writer_close(writer_t *w);

#endif /* PCAPGEN_H */
