/* portnote-sig-text.c
 * Signatures of line-oriented text protocols: request and status lines
 * (HTTP with its HTTP/2 preface and BitTorrent's tracker announce, RTSP,
 * SIP), banners and greetings (SSH, SMTP, FTP, POP3, IMAP, IRC, VNC,
 * Gnutella, XMPP's stream header) and the commands a client opens with
 * (case-insensitive where the protocol says so; finger queries).  A line must
 * end within the peek (CRLF where the RFC demands it): a truncated line
 * proves nothing.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "portnote-sig.h"

/** Whether the text (not NUL-terminated) contains word, ignoring case. */
static gboolean contains_word(const guint8 *text, gsize len, const char *word)
{
    gsize n = strlen(word);

    for (gsize i = 0; i + n <= len; i++)
        if (g_ascii_strncasecmp((const char *)text + i, word, n) == 0)
            return TRUE;
    return FALSE;
}

/** Whether the payload starts with prefix, ignoring case. */
static gboolean starts_with_nocase(const guint8 *d, gsize len, const char *prefix)
{
    gsize n = strlen(prefix);

    return len >= n && g_ascii_strncasecmp((const char *)d, prefix, n) == 0;
}

/** Whether the n bytes at d are exactly word. */
static gboolean token_is(const guint8 *d, gsize n, const char *word)
{
    return strlen(word) == n && memcmp(d, word, n) == 0;
}

/** Whether the n bytes at d are one of the words of a NULL-ended list. */
static gboolean token_in(const guint8 *d, gsize n, const char *const *words)
{
    for (; *words; words++)
        if (token_is(d, n, *words))
            return TRUE;
    return FALSE;
}

/** Whether the n bytes at d are all visible ASCII (no space, no control). */
static gboolean all_visible(const guint8 *d, gsize n)
{
    for (gsize i = 0; i < n; i++)
        if (d[i] <= ' ' || d[i] >= 0x7f)
            return FALSE;
    return TRUE;
}

/* ---- Request and status lines ---------------------------------------------- */

/* Methods of RFC 9110 9, WebDAV (RFC 4918), SSDP/GENA (UPnP 1.1) and PATCH. */
static const char *const http_methods[] = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT",
    "M-SEARCH", "NOTIFY", "SUBSCRIBE", "UNSUBSCRIBE", NULL
};
/* RFC 2326 10 and RFC 7826 13. */
static const char *const rtsp_methods[] = {
    "OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "ANNOUNCE", "RECORD",
    "GET_PARAMETER", "SET_PARAMETER", "REDIRECT", "PLAY_NOTIFY", NULL
};
/* RFC 3261 7.1 and the extensions registered with IANA (PRACK, SUBSCRIBE...). */
static const char *const sip_methods[] = {
    "INVITE", "ACK", "BYE", "CANCEL", "REGISTER", "OPTIONS", "PRACK", "SUBSCRIBE",
    "NOTIFY", "PUBLISH", "INFO", "REFER", "MESSAGE", "UPDATE", NULL
};

/** The protocol a request line's version token names, if its method is one of it. */
static pn_proto_t request_protocol(const guint8 *method, gsize mlen, const guint8 *target, gsize tlen,
                                   const guint8 *version, gsize vlen)
{
    if ((token_is(version, vlen, "HTTP/1.1") || token_is(version, vlen, "HTTP/1.0")
         || token_is(version, vlen, "HTTP/2") || token_is(version, vlen, "HTTP/2.0"))
        && token_in(method, mlen, http_methods))
        return PN_PROTO_HTTP;
    if ((token_is(version, vlen, "RTSP/1.0") || token_is(version, vlen, "RTSP/2.0"))
        && token_in(method, mlen, rtsp_methods)
        && (token_is(target, tlen, "*") || (tlen > 7 && g_ascii_strncasecmp((const char *)target, "rtsp", 4) == 0)))
        return PN_PROTO_RTSP;
    if (token_is(version, vlen, "SIP/2.0") && token_in(method, mlen, sip_methods)
        && tlen > 4 && (g_ascii_strncasecmp((const char *)target, "sip:", 4) == 0
                        || g_ascii_strncasecmp((const char *)target, "sips:", 5) == 0))
        return PN_PROTO_SIP;
    return PN_PROTO_NONE;
}

/* METHOD SP target SP VERSION, a whole line: HTTP (RFC 9112 3), RTSP
 * (RFC 2326 6.1), SIP (RFC 3261 7.1); the version token decides. */
static pn_proto_t request_line(const guint8 *d, gsize len)
{
    gssize line;
    gsize m = 0, t;

    if (len < 15)       /* a line of 14 and its end */
        return PN_PROTO_NONE;
    while (m < 14 && (g_ascii_isupper(d[m]) || d[m] == '-' || d[m] == '_'))
        m++;
    if (m < 3 || d[m] != ' ')
        return PN_PROTO_NONE;
    line = pn_line_length(d, len);
    if (line < 14)
        return PN_PROTO_NONE;
    for (t = m + 1; t < (gsize)line && d[t] > ' ' && d[t] < 0x7f; t++)
        ;
    if (t == m + 1 || t >= (gsize)line || d[t] != ' ')
        return PN_PROTO_NONE;
    return request_protocol(d, m, d + m + 1, t - m - 1, d + t + 1, (gsize)line - t - 1);
}

/* VERSION SP 3DIGIT: HTTP (RFC 9112 4), RTSP (RFC 2326 7.1), SIP (RFC 3261 7.2). */
static pn_proto_t status_line(const guint8 *d, gsize len)
{
    pn_proto_t proto = PN_PROTO_NONE;
    gsize v = 0;

    if (pn_starts_with(d, len, "HTTP/1.0 ") || pn_starts_with(d, len, "HTTP/1.1 "))
        proto = PN_PROTO_HTTP, v = 9;
    else if (pn_starts_with(d, len, "HTTP/2 "))
        proto = PN_PROTO_HTTP, v = 7;
    else if (pn_starts_with(d, len, "RTSP/1.0 ") || pn_starts_with(d, len, "RTSP/2.0 "))
        proto = PN_PROTO_RTSP, v = 9;
    else if (pn_starts_with(d, len, "SIP/2.0 "))
        proto = PN_PROTO_SIP, v = 8;
    if (!v || len < v + 4 || !g_ascii_isdigit(d[v]) || !g_ascii_isdigit(d[v + 1])
        || !g_ascii_isdigit(d[v + 2]) || (d[v + 3] != ' ' && d[v + 3] != '\r'))
        return PN_PROTO_NONE;
    return proto;
}

/* ---- Banners and greetings ---------------------------------------------------- */

/* "SSH-2.0-OpenSSH_9.2": both ends start with a banner (RFC 4253 4.2). */
static gboolean is_ssh(const guint8 *d, gsize len)
{
    return pn_starts_with(d, len, "SSH-1.") || pn_starts_with(d, len, "SSH-2.");
}

/* Greeting codes: "220" for SMTP (RFC 5321 4.2) and FTP (RFC 959 4.2),
 * told apart by the text when it names one; "+OK" for POP3 (RFC 1939 4),
 * "* OK" or "* PREAUTH" for IMAP (RFC 9051 7.1). */
static pn_proto_set_t greeting_protocols(const guint8 *d, gsize len)
{
    gssize line;
    gboolean smtp, ftp;

    if (!pn_starts_with(d, len, "+OK") && !pn_starts_with(d, len, "* ") && !pn_starts_with(d, len, "220"))
        return 0;
    line = pn_line_length(d, len);
    if (line < 0)
        return 0;
    /* a bare "+OK" is also a RESP simple string (a Redis capture that
     * starts with the server's answer) */
    if (pn_starts_with(d, len, "+OK") && line == 3)
        return PN_PROTO_BIT(PN_PROTO_POP3) | PN_PROTO_BIT(PN_PROTO_REDIS);
    if (pn_starts_with(d, len, "+OK") && d[3] == ' ')
        return PN_PROTO_BIT(PN_PROTO_POP3);
    if (pn_starts_with(d, len, "* OK") || pn_starts_with(d, len, "* PREAUTH"))
        return PN_PROTO_BIT(PN_PROTO_IMAP);
    if (!pn_starts_with(d, len, "220") || line < 4 || (d[3] != ' ' && d[3] != '-'))
        return 0;
    smtp = contains_word(d, (gsize)line, "SMTP");
    ftp = contains_word(d, (gsize)line, "FTP");
    if (smtp != ftp)
        return PN_PROTO_BIT(smtp ? PN_PROTO_SMTP : PN_PROTO_FTP);
    return PN_PROTO_BIT(PN_PROTO_SMTP) | PN_PROTO_BIT(PN_PROTO_FTP);
}

/** Whether the text starts with six decimal numbers of at most 255,
 * separated by commas: FTP's "h1,h2,h3,h4,p1,p2" host and port (RFC 959
 * 4.1.2); *used: how many bytes they take. */
static gboolean host_port_numbers(const guint8 *t, gsize n, gsize *used)
{
    gsize p = 0;

    for (int i = 0; i < 6; i++) {
        guint value = 0;
        gsize start;
        if (i > 0 && (p >= n || t[p++] != ','))
            return FALSE;
        start = p;
        while (p < n && p - start < 3 && g_ascii_isdigit(t[p]))
            value = value * 10 + (t[p++] - '0');
        if (p == start || value > 255 || (p < n && g_ascii_isdigit(t[p])))
            return FALSE;
    }
    *used = p;
    return TRUE;
}

/* An FTP server's answer to a passive-mode request, what a capture that
 * starts mid-session shows first: "227 Entering Passive Mode
 * (h1,h2,h3,h4,p1,p2)" (RFC 959 4.1.2, 4.2; the text around the numbers
 * varies by server) or "229 Entering Extended Passive Mode (|||port|)"
 * (RFC 2428 3).  No other protocol has these replies. */
static gboolean is_ftp_passive_reply(const guint8 *d, gsize len)
{
    gssize line = pn_line_length(d, len);
    gsize used;

    if (line < 8 || (gsize)line + 1 >= len || d[line + 1] != '\n' || d[3] != ' ')
        return FALSE;
    if (pn_starts_with(d, len, "227 ")) {
        for (gsize i = 4; i < (gsize)line; i++)
            if (g_ascii_isdigit(d[i]) && !g_ascii_isdigit(d[i - 1]) && host_port_numbers(d + i, (gsize)line - i, &used))
                return TRUE;
        return FALSE;
    }
    if (pn_starts_with(d, len, "229 ")) {
        const guint8 *open = memchr(d, '(', (gsize)line);
        gsize p, end = (gsize)line, digits;
        if (!open || (p = (gsize)(open - d) + 1) + 6 > end)
            return FALSE;
        /* (<d><d><d>port<d>): the delimiter is any visible character, "|" by custom */
        if (d[p] < 33 || d[p] > 126 || d[p + 1] != d[p] || d[p + 2] != d[p])
            return FALSE;
        for (digits = 0; p + 3 + digits < end && g_ascii_isdigit(d[p + 3 + digits]); digits++)
            ;
        return digits > 0 && digits <= 5 && p + 4 + digits < end && d[p + 3 + digits] == d[p]
            && d[p + 4 + digits] == ')';
    }
    return FALSE;
}

/* "RFB 003.008\n", exactly: the version both ends send first (RFC 6143 7.1.1). */
static gboolean is_rfb(const guint8 *d, gsize len)
{
    return len == 12 && memcmp(d, "RFB ", 4) == 0 && g_ascii_isdigit(d[4]) && g_ascii_isdigit(d[5])
        && g_ascii_isdigit(d[6]) && d[7] == '.' && g_ascii_isdigit(d[8]) && g_ascii_isdigit(d[9])
        && g_ascii_isdigit(d[10]) && d[11] == '\n';
}

/* Gnutella 0.6 handshake (Gnutella Protocol Specification 0.6, 2.2):
 * "GNUTELLA CONNECT/0.6" from the client, "GNUTELLA/0.6 200 OK" back. */
static pn_sender_t gnutella_sender(const guint8 *d, gsize len, gboolean *found)
{
    *found = TRUE;
    if (pn_starts_with(d, len, "GNUTELLA CONNECT/0.") && len > 20 && g_ascii_isdigit(d[19]))
        return PN_SENDER_CLIENT;
    if (pn_starts_with(d, len, "GNUTELLA/0.6 ") && len >= 16 && g_ascii_isdigit(d[13])
        && g_ascii_isdigit(d[14]) && g_ascii_isdigit(d[15]))
        return PN_SENDER_SERVER;
    *found = FALSE;
    return PN_SENDER_EITHER;
}

/* ---- Commands a client opens with -------------------------------------------- */

/**
 * If the payload's first line is "VERB" or "VERB SP argument", ending in
 * CRLF, the argument's length (0 without one) and its spaces; else -1.
 * The verb is matched ignoring case (RFC 5321 2.4, RFC 959 5.3).
 */
static gssize command_argument(const guint8 *d, gsize len, const char *verb, guint *spaces)
{
    gsize n;
    gssize line;

    /* the verb first, its first letter before all (verbs are written in
     * capitals): most payloads are ruled out before their line is read */
    if (len == 0 || g_ascii_toupper(d[0]) != verb[0])
        return -1;
    n = strlen(verb);
    if (len < n || g_ascii_strncasecmp((const char *)d, verb, n) != 0)
        return -1;
    line = pn_line_length(d, len);
    if (line < (gssize)n || (gsize)line + 1 >= len || d[line] != '\r' || d[line + 1] != '\n')
        return -1;
    if (line == (gssize)n)
        return 0;
    if (d[n] != ' ' || line == (gssize)n + 1 || d[n + 1] == ' ')
        return -1;
    *spaces = 0;
    for (gsize i = n + 1; i < (gsize)line; i++) {
        if (d[i] < ' ' || d[i] == 0x7f)
            return -1;
        *spaces += d[i] == ' ';
    }
    return line - (gssize)n - 1;
}

/** Whether the first line is exactly "VERB" or "VERB SP word" (no further space). */
static gboolean command_with(const guint8 *d, gsize len, const char *verb, gboolean argument)
{
    guint spaces = 0;
    gssize arg = command_argument(d, len, verb, &spaces);

    return argument ? arg > 0 && spaces == 0 : arg == 0;
}

/** The payload after its first CRLF-ended line (NULL if none). */
static const guint8 *next_line(const guint8 *d, gsize len, gsize *rest)
{
    gssize line = pn_line_length(d, len);

    if (line < 0 || (gsize)line + 2 > len || d[line + 1] != '\n')
        return NULL;
    *rest = len - (gsize)line - 2;
    return d + line + 2;
}

/* EPRT's argument (RFC 2428 2): <d>1 or 2<d>address<d>port<d>, the
 * delimiter any visible character. */
static gboolean is_extended_address(const guint8 *a, gsize n)
{
    gsize p = 3, digits = 0;

    if (n < 8 || a[0] < 33 || a[0] > 126 || (a[1] != '1' && a[1] != '2') || a[2] != a[0] || a[n - 1] != a[0])
        return FALSE;
    while (p < n - 1 && a[p] != a[0])
        p++;
    if (p == 3 || p >= n - 1)
        return FALSE;
    for (p++; p < n - 1 && g_ascii_isdigit(a[p]); p++)
        digits++;
    return digits > 0 && digits <= 5 && p == n - 1;
}

/* FTP's data-connection commands (RFC 959 4.1.2; RFC 2428 2, 3): "PASV",
 * "EPSV" (with a protocol number or ALL), "PORT h1,h2,h3,h4,p1,p2" and
 * "EPRT |1|address|port|": what a capture that starts mid-session shows
 * first, and no other protocol's commands. */
static gboolean is_ftp_data_command(const guint8 *d, gsize len)
{
    guint spaces = 0;
    gssize arg;
    gsize used;

    if (g_ascii_toupper(d[0]) == 'P') {
        if (command_with(d, len, "PASV", FALSE))
            return TRUE;
        arg = command_argument(d, len, "PORT", &spaces);
        return arg > 0 && spaces == 0 && host_port_numbers(d + 5, (gsize)arg, &used) && used == (gsize)arg;
    }
    /* EPSV alone, or with a protocol number or ALL */
    if ((arg = command_argument(d, len, "EPSV", &spaces)) == 0)
        return TRUE;
    if (arg > 0)
        return spaces == 0 && ((arg == 1 && (d[5] == '1' || d[5] == '2'))
                               || (arg == 3 && g_ascii_strncasecmp((const char *)d + 5, "ALL", 3) == 0));
    arg = command_argument(d, len, "EPRT", &spaces);
    return arg > 0 && spaces == 0 && is_extended_address(d + 5, (gsize)arg);
}

/* IRC registration (RFC 2812 3.1, IRCv3 capability negotiation): "NICK n",
 * "USER u m * :real name", "CAP LS [302]", or "PASS p" followed by one of
 * those (PASS alone is also FTP's and POP3's). */
static gboolean is_irc_client(const guint8 *d, gsize len)
{
    guint spaces = 0;
    gssize arg;
    const guint8 *next;
    gsize rest;

    if (command_with(d, len, "NICK", TRUE) || command_argument(d, len, "CAP LS", &spaces) >= 0)
        return TRUE;
    arg = command_argument(d, len, "USER", &spaces);
    if (arg > 0 && spaces >= 3)
        return memchr(d, ':', (gsize)arg + 5) != NULL;
    if (!command_with(d, len, "PASS", TRUE) || !(next = next_line(d, len, &rest)))
        return FALSE;
    return command_with(next, rest, "NICK", TRUE) || starts_with_nocase(next, rest, "USER ")
        || starts_with_nocase(next, rest, "CAP LS");
}

/* IRC server messages (RFC 2812 2.3.1): ":prefix NOTICE|NNN ..." or the
 * older unprefixed "NOTICE AUTH :*** ...", a whole CRLF line. */
static gboolean is_irc_server(const guint8 *d, gsize len)
{
    gssize line;
    gsize p = 1;

    if (len < 8 || (d[0] != ':' && !pn_starts_with(d, len, "NOTICE AUTH :")))
        return FALSE;
    line = pn_line_length(d, len);
    if (line < 8 || (gsize)line + 1 >= len || d[line + 1] != '\n')
        return FALSE;
    if (pn_starts_with(d, len, "NOTICE AUTH :"))
        return TRUE;
    if (d[0] != ':')
        return FALSE;
    while (p < (gsize)line && d[p] > ' ' && d[p] < 0x7f)
        p++;
    if (p == 1 || p > 64 || p + 5 > (gsize)line || d[p] != ' ')
        return FALSE;
    p++;
    if (g_ascii_isdigit(d[p]) && g_ascii_isdigit(d[p + 1]) && g_ascii_isdigit(d[p + 2]) && d[p + 3] == ' ')
        return TRUE;
    return pn_starts_with(d + p, (gsize)line - p, "NOTICE ");
}

/* IRC messages either end sends mid-session (RFC 2812 3.3.1, 3.3.2):
 * "PRIVMSG target :text" or "NOTICE target :text", a whole CRLF line,
 * the verb in any case, the text any octets but NUL, CR and LF (RFC 2812
 * 2.3.1: CTCP's \001 quoting, and whatever an attacker puts there).  A
 * client sends them bare and a server relays them behind a prefix, but a
 * capture that starts mid-session may show a bare one from either end:
 * they name no sender. */
static gboolean is_irc_message(const guint8 *d, gsize len)
{
    const char *verb = g_ascii_toupper(d[0]) == 'P' ? "PRIVMSG" : "NOTICE";
    gsize n = strlen(verb), p;
    gssize line = pn_line_length(d, len);

    if (line < (gssize)n + 4 || (gsize)line + 1 >= len || d[line] != '\r' || d[line + 1] != '\n'
        || g_ascii_strncasecmp((const char *)d, verb, n) != 0 || d[n] != ' ')
        return FALSE;
    for (p = n + 1; p < (gsize)line && d[p] > ' ' && d[p] < 0x7f; p++)
        ;   /* the target: a nickname or a channel */
    if (p == n + 1 || p + 1 >= (gsize)line || d[p] != ' ' || d[p + 1] != ':')
        return FALSE;
    return memchr(d + p, 0, (gsize)line - p) == NULL;
}

/* An IMAP command (RFC 9051 6): tag SP command, where the tag is a short
 * atom and the command one a client opens with. */
static gboolean is_imap_client(const guint8 *d, gsize len, gboolean *upgrade)
{
    static const char *const first_commands[] = { "CAPABILITY", "STARTTLS", "LOGIN", "AUTHENTICATE", "ID", NULL };
    gsize t = 0, c;
    gssize line;

    while (t < 16 && t < len && (g_ascii_isalnum(d[t]) || d[t] == '.'))
        t++;
    if (t == 0 || t == 16 || t >= len || d[t] != ' ')
        return FALSE;
    line = pn_line_length(d, len);
    if (line < 4 || (gsize)line + 1 >= len || d[line + 1] != '\n' || t >= (gsize)line)
        return FALSE;
    /* "AUTH LOGIN <initial response>" is SMTP's or POP3's, not a tag */
    if (t == 4 && g_ascii_strncasecmp((const char *)d, "AUTH", 4) == 0)
        return FALSE;
    for (c = t + 1; c < (gsize)line && g_ascii_isalpha(d[c]); c++)
        ;
    for (const char *const *w = first_commands; *w; w++)
        if (c - t - 1 == strlen(*w) && g_ascii_strncasecmp((const char *)d + t + 1, *w, c - t - 1) == 0) {
            *upgrade = strcmp(*w, "STARTTLS") == 0;     /* RFC 9051 6.2.1 */
            return c == (gsize)line ? strcmp(*w, "CAPABILITY") == 0 || *upgrade : d[c] == ' ';
        }
    return FALSE;
}

/* "APOP name digest" with an MD5 digest in hex (RFC 1939 7). */
static gboolean is_apop(const guint8 *d, gsize len)
{
    guint spaces = 0;
    gssize arg = command_argument(d, len, "APOP", &spaces);

    if (arg < 34 || spaces != 1)
        return FALSE;
    for (gsize i = 5 + (gsize)arg - 32; i < 5 + (gsize)arg; i++)
        if (!g_ascii_isxdigit(d[i]))
            return FALSE;
    return d[5 + arg - 33] == ' ';
}

/** Which protocols a client's opening command belongs to (0: none);
 * *upgrade: the command asks for TLS on the connection. */
static pn_proto_set_t client_command(const guint8 *d, gsize len, gboolean *upgrade)
{
    guint spaces = 0;

    /* STARTTLS: SMTP (RFC 3207 4) and IRC (IRCv3 tls extension) alike;
     * IMAP's is tagged, POP3's is STLS */
    *upgrade = TRUE;
    if (command_with(d, len, "STARTTLS", FALSE))
        return PN_PROTO_BIT(PN_PROTO_SMTP) | PN_PROTO_BIT(PN_PROTO_IRC);
    if (command_argument(d, len, "AUTH TLS", &spaces) == 0 || command_argument(d, len, "AUTH SSL", &spaces) == 0)
        return PN_PROTO_BIT(PN_PROTO_FTP);
    if (command_with(d, len, "STLS", FALSE))
        return PN_PROTO_BIT(PN_PROTO_POP3);
    *upgrade = FALSE;

    /* SMTP (RFC 5321 4.1.1.1): EHLO/HELO with a domain or address literal. */
    if (command_with(d, len, "EHLO", TRUE) || command_with(d, len, "HELO", TRUE))
        return PN_PROTO_BIT(PN_PROTO_SMTP);
    /* USER name: FTP (RFC 959 4.1.1) and POP3 (RFC 1939 7) alike. */
    if (command_with(d, len, "USER", TRUE))
        return PN_PROTO_BIT(PN_PROTO_FTP) | PN_PROTO_BIT(PN_PROTO_POP3);
    /* FTP: FEAT (RFC 2389 3), the data-connection commands; AUTH TLS/SSL
     * (RFC 4217 4) above. */
    if (command_with(d, len, "FEAT", FALSE) || is_ftp_data_command(d, len))
        return PN_PROTO_BIT(PN_PROTO_FTP);
    /* POP3: CAPA (RFC 2449 5), APOP; STLS (RFC 2595 4) above. */
    if (command_with(d, len, "CAPA", FALSE) || is_apop(d, len))
        return PN_PROTO_BIT(PN_PROTO_POP3);
    if (is_irc_client(d, len))
        return PN_PROTO_BIT(PN_PROTO_IRC);
    return 0;
}

/* The commands other text protocols' clients send alone on a line (SMTP,
 * FTP, POP3, IRC, Redis and memcached inline commands): a line that is
 * one of them is that command, not a finger query for a user so named. */
static const char *const lone_commands[] = {
    /* SMTP */ "HELO", "EHLO", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT", "HELP", "TURN", "VRFY", "EXPN",
    "AUTH",
    /* FTP */ "USER", "PASS", "PASV", "EPSV", "PORT", "EPRT", "PWD", "XPWD", "CWD", "CDUP", "SYST", "FEAT",
    "LIST", "NLST", "MLSD", "RETR", "STOR", "TYPE", "ABOR", "REIN", "STOU", "STAT", "SIZE", "MDTM",
    /* POP3 */ "UIDL", "CAPA", "STLS", "APOP", "DELE", "LAST",
    /* IRC */ "NICK", "JOIN", "PART", "AWAY", "MOTD", "TIME", "INFO", "ADMIN", "LUSERS", "VERSION", "LINKS",
    /* Redis, memcached */ "STATS", "PING", "MULTI", "EXEC", "DISCARD", "SAVE", "MONITOR", "DBSIZE",
    "FLUSHALL", "SHUTDOWN", NULL
};

/** Whether the n bytes at d are one of lone_commands, ignoring case. */
static gboolean is_lone_command(const guint8 *d, gsize n)
{
    for (const char *const *c = lone_commands; *c; c++)
        if (strlen(*c) == n && g_ascii_strncasecmp((const char *)d, *c, n) == 0)
            return TRUE;
    return FALSE;
}

/** The length of the user name at d (0: none): a login name as Debian's
 * adduser NAME_REGEX has it (lower case first, then lower case, digits,
 * "_.-"), or a name of letters in any case (RFC 742's example is "FOO";
 * RFC 1288 2.5.3 lets a name match full names).  Not a lone command. */
static gsize finger_user(const guint8 *d, gsize n)
{
    gsize p = 0;

    if (n > 0 && (g_ascii_islower(d[0]) || d[0] == '_'))
        while (p < n && (g_ascii_islower(d[p]) || g_ascii_isdigit(d[p]) || d[p] == '.' || d[p] == '_' || d[p] == '-'))
            p++;
    if (p < n && g_ascii_isalpha(d[p]) && (p == 0 || g_ascii_isalpha(d[p - 1])))
        while (p < n && g_ascii_isalpha(d[p]))
            p++;
    return is_lone_command(d, p) ? 0 : p;
}

/* A finger query (RFC 1288 2.3): an optional "/W" verbose switch, an
 * optional user name, an optional "@host" chain, then CRLF, filling the
 * payload.  So generic a line is weak, and the user name must look like
 * one: a lone command of another protocol ("QUIT", "stats", "SSH-3.0-x")
 * is not a user. */
static gboolean is_finger_query(const guint8 *d, gsize len)
{
    gsize p = 0;

    if (len < 2 || d[len - 2] != '\r' || d[len - 1] != '\n')
        return FALSE;
    if (starts_with_nocase(d, len, "/W") && (len == 4 || d[2] == ' '))
        p = len == 4 ? 2 : 3;
    p += finger_user(d + p, len - 2 - p);
    if (p < len - 2 && d[p] == '@')
        while (p < len - 2 && d[p] > ' ' && d[p] < 0x7f)
            p++;
    return p == len - 2 && p > 0;
}

/* The kinds of message a Redis server pushes to a subscribed client, as
 * arrays of bulk strings like a client's commands (Redis Pub/Sub
 * documentation, "Format of pushed messages"): such an array names no
 * sender. */
static gboolean is_redis_push(const guint8 *name, gsize length)
{
    static const char *const kinds[] = {
        "subscribe", "unsubscribe", "psubscribe", "punsubscribe", "ssubscribe", "sunsubscribe",
        "message", "pmessage", "smessage",
    };

    for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++)
        if (strlen(kinds[i]) == length && memcmp(name, kinds[i], length) == 0)
            return TRUE;
    return FALSE;
}

/* A RESP array of bulk strings, the form every client sends (Redis
 * protocol specification, "Sending commands"): "*N\r\n$L\r\n" then a
 * command name of L letters, not a kind of pushed message. */
static gboolean is_redis_client(const guint8 *d, gsize len)
{
    gsize p = 1, count = 0, name = 0;

    while (p < len && p < 8 && g_ascii_isdigit(d[p]))
        count = count * 10 + (d[p++] - '0');
    if (p == 1 || count == 0 || count > 1048576 || p + 4 > len || memcmp(d + p, "\r\n$", 3) != 0)
        return FALSE;
    p += 3;
    if (!g_ascii_isdigit(d[p]))
        return FALSE;
    name = d[p++] - '0';
    if (p < len && g_ascii_isdigit(d[p]))
        name = name * 10 + (d[p++] - '0');
    if (name == 0 || name > 32 || p + 2 + name + 2 > len || memcmp(d + p, "\r\n", 2) != 0)
        return FALSE;
    p += 2;
    for (gsize i = 0; i < name; i++)
        if (!g_ascii_isalpha(d[p + i]) && d[p + i] != '_')
            return FALSE;
    return memcmp(d + p + name, "\r\n", 2) == 0 && !is_redis_push(d + p, name);
}

/** Reads "<digits>\r\n" at d[*p] (an optional '-' when negative is
 * allowed), advancing *p past it; the number, or -1. */
static gint64 resp_number(const guint8 *d, gsize len, gsize *p, gboolean negative)
{
    gsize start;
    gint64 n = 0;

    if (negative && *p < len && d[*p] == '-')
        (*p)++;
    for (start = *p; *p < len && *p - start < 18 && g_ascii_isdigit(d[*p]); (*p)++)
        n = n * 10 + (d[*p] - '0');
    if (*p == start || *p + 2 > len || d[*p] != '\r' || d[*p + 1] != '\n')
        return -1;
    *p += 2;
    return n;
}

/** Whether a whole RESP element starts at d[p] (a bulk string must end
 * where its length says, within the payload). */
static gboolean resp_element(const guint8 *d, gsize len, gsize p)
{
    gint64 n;
    gsize q;

    if (p >= len)
        return FALSE;
    q = p + 1;
    switch (d[p]) {
    case ':': case '(':                     /* integer, big number */
        return resp_number(d, len, &q, TRUE) >= 0;
    case '*': case '%': case '~': case '|': case '>':   /* aggregates */
        return resp_number(d, len, &q, FALSE) >= 0;
    case '$': case '=': case '!':           /* bulk string, verbatim, blob error */
        n = resp_number(d, len, &q, FALSE);
        return n >= 0 && n < 1024 && q + (gsize)n + 2 <= len
            && d[q + (gsize)n] == '\r' && d[q + (gsize)n + 1] == '\n';
    case '+': case '-': case ',': case '#': /* simple string, error, double, boolean */
        for (; q + 1 < len && d[q] != '\r'; q++)
            if (d[q] < 0x20 && d[q] != '\t')
                return FALSE;
        return q > p + 1 && q + 1 < len && d[q + 1] == '\n';
    case '_':                               /* null */
        return q + 2 <= len && d[q] == '\r' && d[q + 1] == '\n';
    default:
        return FALSE;
    }
}

/* Any RESP aggregate (Redis serialization protocol specification, RESP2
 * and RESP3): an array '*', map '%', set '~' or attribute '|' of N
 * elements, then a first element that is whole: what a server answers,
 * or a client sends in a pipeline. */
static gboolean is_resp_aggregate(const guint8 *d, gsize len)
{
    gsize p = 1;
    gint64 count = resp_number(d, len, &p, FALSE);

    return count > 0 && count <= 1048576 && resp_element(d, len, p);
}

/* Zabbix protocol header (Zabbix manual, "Header and data length"):
 * "ZBXD", flags with bit 0 set (0x02 compressed, 0x04 large), lengths. */
static gboolean is_zabbix(const guint8 *d, gsize len)
{
    return len >= 13 && memcmp(d, "ZBXD", 4) == 0 && (d[4] & 0x01) && d[4] <= 0x07;
}

/* "<PRI>" of 1-3 digits, at most 191 and without leading zeros, then
 * text: RFC 5424 6.2.1 and RFC 3164 4.1.1. */
static gboolean is_syslog(const guint8 *d, gsize len)
{
    guint pri = 0;
    gsize p = 1;

    while (p < len && p < 5 && g_ascii_isdigit(d[p]))
        pri = pri * 10 + (d[p++] - '0');
    if (p == 1 || p == 5 || p >= len - 1 || d[p] != '>' || pri > 191 || (d[1] == '0' && p > 2))
        return FALSE;
    return all_visible(d + p + 1, 1) && (d[p + 1] != '>');
}

/**
 * A syslog message without its PRI (RFC 3164 4.3.3: a relay or collector
 * takes a datagram without a valid PRI as a message of priority 13, the
 * whole datagram its content): a datagram of words of printable text, a
 * letter or digit first, at most a line end or a NUL after it (a
 * bencoded or other printable token without spaces is no message).  Any
 * text fits, so it is tried only on syslog's own port, after every other
 * signature (pn_payload_classify_between()), and weak: it names no end.
 */
pn_payload_sig_t pn_sig_bare_syslog(const guint8 *d, gsize len)
{
    gsize end = len;

    while (end > 0 && (d[end - 1] == '\n' || d[end - 1] == '\r' || d[end - 1] == 0) && len - end < 2)
        end--;
    if (end < 8 || !g_ascii_isalnum(d[0]) || !memchr(d, ' ', end))
        return pn_sig_none();
    for (gsize i = 0; i < end; i++)
        if ((d[i] < ' ' && d[i] != '\t') || d[i] >= 0x7f)
            return pn_sig_none();
    return pn_sig_weak(PN_PROTO_SYSLOG, PN_SENDER_EITHER);
}

/* The HTTP/2 connection preface a client sends on cleartext (RFC 9113
 * 3.4): "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".  HTTP. */
static gboolean is_http2_preface(const guint8 *d, gsize len)
{
    return pn_starts_with(d, len, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
}

/* A BitTorrent tracker request (BEP 3 "Trackers", BEP 48 scrape): an HTTP
 * GET of /announce or /scrape (any path ending so, or in .php) with an
 * info_hash parameter.  A subprotocol of HTTP. */
static gboolean is_tracker_request(const guint8 *d, gsize len)
{
    gssize line = pn_line_length(d, len), end;
    const guint8 *query;

    if (line < 0 || !pn_starts_with(d, len, "GET /"))
        return FALSE;
    query = memchr(d, '?', (gsize)line);
    if (!query)
        return FALSE;
    end = query - d;
    if (end >= 9 && memcmp(query - 4, ".php", 4) == 0)
        end -= 4;       /* announce.php, scrape.php */
    if (!(end >= 13 && memcmp(d + end - 8, "announce", 8) == 0) && !(end >= 11 && memcmp(d + end - 6, "scrape", 6) == 0))
        return FALSE;
    return contains_word(query, (gsize)line - (gsize)(query - d), "info_hash=");
}

/* An XMPP stream header (RFC 6120 4.2, 4.8.1): an optional XML
 * declaration, then a <stream:stream element (or a prefix-free <stream
 * with the streams namespace) naming the namespace
 * http://etherx.jabber.org/streams.  Both ends open with one. */
static gboolean is_xmpp_stream(const guint8 *d, gsize len)
{
    gsize p = 0, n = MIN(len, 512);

    if (pn_starts_with(d, n, "<?xml")) {
        while (p + 1 < n && !(d[p] == '?' && d[p + 1] == '>'))
            p++;
        for (p += 2; p < n && g_ascii_isspace(d[p]); p++)
            ;
    }
    if (!pn_starts_with(d + MIN(p, n), n - MIN(p, n), "<stream:stream ")
        && !pn_starts_with(d + MIN(p, n), n - MIN(p, n), "<stream "))
        return FALSE;
    return contains_word(d + p, n - p, "http://etherx.jabber.org/streams");
}

/** Signatures of request and status lines, both transports. */
static pn_payload_sig_t message_line(const guint8 *d, gsize len)
{
    pn_proto_t proto;

    if ((d[0] == 'H' || d[0] == 'R' || d[0] == 'S') && (proto = status_line(d, len)) != PN_PROTO_NONE)
        return pn_sig_of(proto, PN_SENDER_SERVER);
    if (g_ascii_isupper(d[0]) && (proto = request_line(d, len)) != PN_PROTO_NONE) {
        if (proto == PN_PROTO_HTTP && is_tracker_request(d, len))
            return pn_sig_sub(PN_PROTO_BITTORRENT, PN_PROTO_HTTP, PN_SENDER_CLIENT);
        /* a proxy's tunnel (RFC 9110 9.3.6) */
        if (proto == PN_PROTO_HTTP && pn_starts_with(d, len, "CONNECT "))
            return pn_sig_opening(pn_sig_of(proto, PN_SENDER_CLIENT));
        return pn_sig_of(proto, PN_SENDER_CLIENT);
    }
    if (d[0] == 'P' && is_http2_preface(d, len))
        return pn_sig_of(PN_PROTO_HTTP, PN_SENDER_CLIENT);
    return pn_sig_none();
}

/* Redis server replies filling the payload: one or more whole RESP
 * integers or simple strings (":2\r\n", "+PONG\r\n+OK\r\n"), what a
 * server answers to inline commands (plain text lines, which name nothing)
 * or sends first in a capture that starts mid-session.  Short and plain,
 * so weak: they confirm Redis's own port and decide nothing elsewhere. */
static gboolean is_resp_simple_replies(const guint8 *d, gsize len)
{
    gsize p = 0;

    while (p < len) {
        const guint8 *cr;
        if ((d[p] != ':' && d[p] != '+') || !resp_element(d, len, p))
            return FALSE;
        cr = memchr(d + p, '\r', len - p);
        p = (gsize)(cr - d) + 2;    /* resp_element checked the "\r\n" */
    }
    return TRUE;
}

/** Signatures of text that only runs over streams, by first character. */
static pn_payload_sig_t stream_text(const guint8 *d, gsize len)
{
    pn_payload_sig_t s = pn_sig_none();
    gboolean found, upgrade = FALSE;
    pn_sender_t sender;

    if (d[0] == '2' || d[0] == '+' || d[0] == '*') {
        if ((s.candidates = greeting_protocols(d, len)) != 0) {
            s.sender = PN_SENDER_SERVER;
            s.greeting = TRUE;
            return s;
        }
        if (d[0] == '2' && is_ftp_passive_reply(d, len))
            return pn_sig_of(PN_PROTO_FTP, PN_SENDER_SERVER);
        if (d[0] == '*' && is_redis_client(d, len))
            return pn_sig_of(PN_PROTO_REDIS, PN_SENDER_CLIENT);
        if (d[0] == '*' && is_resp_aggregate(d, len))
            return pn_sig_of(PN_PROTO_REDIS, PN_SENDER_EITHER);
        if (d[0] == '+' && is_resp_simple_replies(d, len))
            return pn_sig_weak(PN_PROTO_REDIS, PN_SENDER_EITHER);
    } else if ((d[0] == '|' || d[0] == '%' || d[0] == '~') && is_resp_aggregate(d, len)) {
        return pn_sig_of(PN_PROTO_REDIS, PN_SENDER_EITHER);
    } else if (d[0] == ':' || d[0] == 'N') {
        if (is_irc_server(d, len))
            return pn_sig_of(PN_PROTO_IRC, PN_SENDER_SERVER);
        if (d[0] == ':' && is_resp_simple_replies(d, len))
            return pn_sig_weak(PN_PROTO_REDIS, PN_SENDER_EITHER);
    } else if (d[0] == 'S' && is_ssh(d, len)) {
        return pn_sig_of(PN_PROTO_SSH, PN_SENDER_EITHER);
    } else if (d[0] == 'R' && is_rfb(d, len)) {
        return pn_sig_of(PN_PROTO_VNC, PN_SENDER_EITHER);
    } else if (d[0] == 'G' && (sender = gnutella_sender(d, len, &found), found)) {
        return pn_sig_of(PN_PROTO_GNUTELLA, sender);
    } else if (d[0] == 'Z' && is_zabbix(d, len)) {
        return pn_sig_of(PN_PROTO_ZABBIX, PN_SENDER_EITHER);
    } else if (d[0] == '<' && is_xmpp_stream(d, len)) {
        return pn_sig_of(PN_PROTO_XMPP, PN_SENDER_EITHER);
    }
    /* The commands below are whole lines: text with no line end (most
     * payloads that are not text at all) is none of them. */
    if (!memchr(d, '\n', len))
        return pn_sig_none();
    /* SMTP, FTP, POP3 and IRC commands are case-insensitive (RFC 5321
     * 2.4, RFC 959 5.3, RFC 1939 3, RFC 2812 2.3): "ehlo" is SMTP too. */
    if (g_ascii_isalpha(d[0]) && (s.candidates = client_command(d, len, &upgrade)) != 0) {
        s.sender = PN_SENDER_CLIENT;
        s.opening = upgrade;
        return s;
    }
    if ((g_ascii_toupper(d[0]) == 'P' || g_ascii_toupper(d[0]) == 'N') && is_irc_message(d, len))
        return pn_sig_of(PN_PROTO_IRC, PN_SENDER_EITHER);
    if ((g_ascii_isalnum(d[0]) || d[0] == '.') && is_imap_client(d, len, &upgrade)) {
        s = pn_sig_of(PN_PROTO_IMAP, PN_SENDER_CLIENT);
        return upgrade ? pn_sig_opening(s) : s;
    }
    if (is_finger_query(d, len))
        return pn_sig_weak(PN_PROTO_FINGER, PN_SENDER_CLIENT);
    return pn_sig_none();
}

/**
 * Text signatures: request and status lines on both transports (SIP and
 * SSDP run over UDP), syslog over UDP, the rest over streams.
 */
pn_payload_sig_t pn_sig_text(pn_transport_t transport, const guint8 *d, gsize len)
{
    pn_payload_sig_t s = message_line(d, len);

    if (s.candidates)
        return s;
    if (transport == PN_TRANSPORT_UDP)
        return d[0] == '<' && is_syslog(d, len) ? pn_sig_weak(PN_PROTO_SYSLOG, PN_SENDER_CLIENT) : s;
    return stream_text(d, len);
}
