/* pcapgen.c
 * Packet building and pcap writing for the capture generators (pcapgen.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pcapgen.h"

#include <string.h>

/* ---- Byte helpers -------------------------------------------------------- */

void put16(guint8 *p, guint16 v) { p[0] = v >> 8; p[1] = v & 0xff; }
void put32(guint8 *p, guint32 v) { put16(p, v >> 16); put16(p + 2, v & 0xffff); }

GByteArray *bytes_of(const void *data, gsize len)
{
    GByteArray *b = g_byte_array_new();
    g_byte_array_append(b, data, (guint)len);
    return b;
}

GByteArray *text(const char *s) { return bytes_of(s, strlen(s)); }

/** Prepends a header of len bytes to b and returns a pointer to it. */
guint8 *prepend(GByteArray *b, gsize len)
{
    guint8 zero[64] = { 0 };
    g_byte_array_prepend(b, zero, (guint)len);
    return b->data;
}

guint32 sum16(const guint8 *p, gsize len, guint32 acc)
{
    for (gsize i = 0; i + 1 < len; i += 2)
        acc += (guint32)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        acc += (guint32)(p[len - 1] << 8);
    return acc;
}

guint16 fold(guint32 acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (guint16)~acc;
}

/** Internet checksum of a transport segment with its pseudo-header. */
guint16 l4_checksum(const addrs_t *a, guint8 proto, const GByteArray *seg)
{
    guint8 tail[8] = { 0 };
    gsize alen = a->v6 ? 16 : 4;
    guint32 acc = sum16(a->src, alen, 0);

    acc = sum16(a->dst, alen, acc);
    if (a->v6) {
        put32(tail, seg->len);
        tail[7] = proto;
        acc = sum16(tail, 8, acc);
    } else {
        tail[1] = proto;
        put16(tail + 2, (guint16)seg->len);
        acc = sum16(tail, 4, acc);
    }
    return fold(sum16(seg->data, seg->len, acc));
}

/* ---- Headers, built inside out ------------------------------------------- */

GByteArray *tcp(GByteArray *b, const addrs_t *a, guint16 sp, guint16 dp,
                       guint8 flags, guint32 seq, guint32 ack)
{
    guint8 *h = prepend(b, 20);
    guint16 sum;

    put16(h, sp);
    put16(h + 2, dp);
    put32(h + 4, seq);
    put32(h + 8, (flags & TCP_ACK) ? ack : 0);
    h[12] = 5 << 4;
    h[13] = flags;
    put16(h + 14, 64240);
    sum = l4_checksum(a, IPPROTO_TCP_, b);
    put16(b->data + 16, sum);
    return b;
}

GByteArray *udp(GByteArray *b, const addrs_t *a, guint16 sp, guint16 dp)
{
    guint8 *h = prepend(b, 8);
    guint16 sum;

    put16(h, sp);
    put16(h + 2, dp);
    put16(h + 4, (guint16)b->len);
    sum = l4_checksum(a, IPPROTO_UDP_, b);
    put16(b->data + 6, sum ? sum : 0xffff);
    return b;
}

/* SCTP common header plus one DATA chunk; the CRC32c is left at 0, which
 * Wireshark does not check unless asked to. */
GByteArray *sctp(GByteArray *b, guint16 sp, guint16 dp, guint32 tsn)
{
    guint8 pad[4] = { 0 };
    gsize data_len = b->len;
    guint8 *h;

    g_byte_array_append(b, pad, (guint)((4 - data_len % 4) % 4));
    h = prepend(b, 12 + 16);
    put16(h, sp);
    put16(h + 2, dp);
    put32(h + 4, 0x5eed0001);       /* verification tag */
    h[12] = 0;                      /* DATA */
    h[13] = 0x03;                   /* unfragmented */
    put16(h + 14, (guint16)(16 + data_len));
    put32(h + 16, tsn);
    return b;
}

GByteArray *ipv4_full(GByteArray *b, const addrs_t *a, guint8 proto,
                             guint16 id, guint16 frag_field, gsize total)
{
    guint8 *h = prepend(b, 20);

    h[0] = 0x45;
    put16(h + 2, (guint16)total);
    put16(h + 4, id);
    put16(h + 6, frag_field);
    h[8] = 64;
    h[9] = proto;
    memcpy(h + 12, a->src, 4);
    memcpy(h + 16, a->dst, 4);
    put16(h + 10, fold(sum16(h, 20, 0)));
    return b;
}

GByteArray *ipv6_hdr(GByteArray *b, const addrs_t *a, guint8 next)
{
    gsize payload = b->len;
    guint8 *h = prepend(b, 40);

    h[0] = 0x60;
    put16(h + 4, (guint16)payload);
    h[6] = next;
    h[7] = 64;
    memcpy(h + 8, a->src, 16);
    memcpy(h + 24, a->dst, 16);
    return b;
}

GByteArray *ip(GByteArray *b, const addrs_t *a, guint8 proto)
{
    if (a->v6)
        return ipv6_hdr(b, a, proto);
    return ipv4_full(b, a, proto, 0x1000, 0x4000 /* DF */, b->len + 20);
}

GByteArray *ether(GByteArray *b, guint16 type)
{
    static const guint8 macs[12] = {
        0x02, 0x00, 0x00, 0x00, 0x00, 0x02,     /* destination */
        0x02, 0x00, 0x00, 0x00, 0x00, 0x01      /* source */
    };
    guint8 *h = prepend(b, 14);

    memcpy(h, macs, 12);
    put16(h + 12, type);
    return b;
}

GByteArray *frame(GByteArray *b, const addrs_t *a)
{
    return ether(b, a->v6 ? ETH_IPV6 : ETH_IPV4);
}

/* ---- Addresses ----------------------------------------------------------- */

addrs_t v4(const char *src, const char *dst)
{
    addrs_t a = { FALSE, { 0 }, { 0 } };
    sscanf(src, "%hhu.%hhu.%hhu.%hhu", &a.src[0], &a.src[1], &a.src[2], &a.src[3]);
    sscanf(dst, "%hhu.%hhu.%hhu.%hhu", &a.dst[0], &a.dst[1], &a.dst[2], &a.dst[3]);
    return a;
}

/* 2001:db8::<last> addresses are enough here. */
addrs_t v6(guint8 src_last, guint8 dst_last)
{
    addrs_t a = { TRUE, { 0x20, 0x01, 0x0d, 0xb8 }, { 0x20, 0x01, 0x0d, 0xb8 } };
    a.src[15] = src_last;
    a.dst[15] = dst_last;
    return a;
}

addrs_t reversed(const addrs_t *a)
{
    addrs_t r = *a;
    memcpy(r.src, a->dst, 16);
    memcpy(r.dst, a->src, 16);
    return r;
}

/* ---- Writing --------------------------------------------------------------- */

void writer_open(writer_t *w, const char *dir, const char *name)
{
    guint8 hdr[24] = { 0 };
    char *path = g_build_filename(dir, name, NULL);

    w->file = fopen(path, "wb");
    if (!w->file)
        g_error("cannot write %s", path);
    g_free(path);
    w->frames = 0;
    /* pcap, little-endian, v2.4, snaplen 65535, Ethernet */
    hdr[0] = 0xd4; hdr[1] = 0xc3; hdr[2] = 0xb2; hdr[3] = 0xa1;
    hdr[4] = 2; hdr[6] = 4;
    hdr[16] = 0xff; hdr[17] = 0xff;
    hdr[20] = 1;
    fwrite(hdr, 1, sizeof hdr, w->file);
}

static void le32(guint8 *p, guint32 v) { p[0] = v; p[1] = v >> 8; p[2] = v >> 16; p[3] = v >> 24; }

/** Writes a frame, keeping only its first caplen bytes when caplen > 0. */
void write_cut(writer_t *w, GByteArray *b, guint caplen)
{
    guint8 rec[16];
    guint kept = (caplen && caplen < b->len) ? caplen : b->len;

    w->frames++;
    le32(rec, 1735689600u + w->frames / 100);       /* 2025-01-01 UTC */
    le32(rec + 4, (w->frames % 100) * 10000);
    le32(rec + 8, kept);
    le32(rec + 12, b->len);
    fwrite(rec, 1, sizeof rec, w->file);
    fwrite(b->data, 1, kept, w->file);
    g_byte_array_free(b, TRUE);
}

void write_frame(writer_t *w, GByteArray *b) { write_cut(w, b, 0); }

void writer_close(writer_t *w)
{
    fclose(w->file);
}

