#include "http/proxy.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/parse.h"
#include "util/str.h"
#include "util/banned.h"

#define CHAIN_MAX 64 /* hops of a forwarding chain looked at (from the right) */

/* Address text → 16 bytes (IPv4 mapped into ::ffff:0:0/96). */
static bool addr_bytes(const char *s, unsigned char out[16])
{
    struct in_addr a4;
    if (inet_pton(AF_INET, s, &a4) == 1) {
        memset(out, 0, 10);
        out[10] = out[11] = 0xff;
        memcpy(out + 12, &a4, 4);
        return true;
    }
    struct in6_addr a6;
    if (inet_pton(AF_INET6, s, &a6) == 1) {
        memcpy(out, &a6, 16);
        return true;
    }
    return false;
}

static bool is_mapped(const unsigned char a[16])
{
    static const unsigned char prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    return memcmp(a, prefix, 12) == 0;
}

bool proxy_addr_canon(const char *in, char *out, size_t outlen)
{
    unsigned char b[16];
    out[0] = '\0';
    if (!in || !addr_bytes(in, b))
        return false;
    char text[INET6_ADDRSTRLEN];
    if (is_mapped(b))
        inet_ntop(AF_INET, b + 12, text, sizeof(text));
    else
        inet_ntop(AF_INET6, b, text, sizeof(text));
    return str_copy(out, outlen, text);
}

static void set_err(char *err, size_t errlen, const char *what, const char *entry)
{
    char e[80];
    str_copy(e, sizeof(e), entry);
    snprintf(err, errlen, "%s: '%s'", what, e);
}

/* One "ADDR[/BITS]" of len bytes. */
static bool parse_net(const char *s, size_t len, struct proxy_net *net)
{
    char buf[PROXY_ADDR_MAX + 8];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *slash = strchr(buf, '/');
    int64_t bits = -1;
    if (slash) {
        *slash = '\0';
        if (!isdigit((unsigned char)slash[1]) || !parse_i64(slash + 1, 0, 128, &bits))
            return false;
    }
    bool v4 = strchr(buf, ':') == NULL;
    if (!addr_bytes(buf, net->addr))
        return false;
    if (v4 && bits > 32)
        return false;
    if (bits > 128)
        return false;
    if (bits < 0)
        bits = v4 ? 32 : 128;
    net->bits = (unsigned)(v4 ? bits + 96 : bits);
    return true;
}

bool proxy_list_parse(const char *s, struct proxy_list *l, char *err, size_t errlen)
{
    memset(l, 0, sizeof(*l));
    if (!s)
        return true;
    for (const char *p = s; *p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = p + strcspn(p, ",");
        const char *last = end;
        while (last > p && (last[-1] == ' ' || last[-1] == '\t'))
            last--;
        if (last == p) {
            if (*end == '\0' && p == s) /* "" or only spaces */
                break;
            set_err(err, errlen, "empty entry in the trusted proxy list", s);
            memset(l, 0, sizeof(*l));
            return false;
        }
        char entry[PROXY_ADDR_MAX + 8];
        str_copy(entry, sizeof(entry), "");
        size_t n = (size_t)(last - p) < sizeof(entry) - 1 ? (size_t)(last - p) : sizeof(entry) - 1;
        memcpy(entry, p, n);
        entry[n] = '\0';
        if (l->n == PROXY_NETS_MAX) {
            set_err(err, errlen, "more than 32 entries in the trusted proxy list at", entry);
            memset(l, 0, sizeof(*l));
            return false;
        }
        if (!parse_net(p, (size_t)(last - p), &l->nets[l->n])) {
            set_err(err, errlen, "not an IPv4 or IPv6 address or CIDR", entry);
            memset(l, 0, sizeof(*l));
            return false;
        }
        l->n++;
        p = *end ? end + 1 : end;
        if (*end && !*p) {
            set_err(err, errlen, "empty entry in the trusted proxy list", s);
            memset(l, 0, sizeof(*l));
            return false;
        }
    }
    return true;
}

static bool net_has(const struct proxy_net *net, const unsigned char a[16])
{
    unsigned full = net->bits / 8, rest = net->bits % 8;
    if (memcmp(net->addr, a, full) != 0)
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (net->addr[full] & mask) == (a[full] & mask);
}

bool proxy_list_contains(const struct proxy_list *l, const char *addr)
{
    unsigned char a[16];
    if (!addr || !addr_bytes(addr, a))
        return false;
    for (int i = 0; i < l->n; i++)
        if (net_has(&l->nets[i], a))
            return true;
    return false;
}

/* A node of a forwarding chain, len bytes at s (quotes already removed): "1.2.3.4",
 * "1.2.3.4:port", "[v6]", "[v6]:port" or a bare IPv6 → canonical address in out. */
static bool parse_node(const char *s, size_t len, char out[PROXY_ADDR_MAX])
{
    char buf[PROXY_ADDR_MAX + 32];
    if (len == 0 || len >= sizeof(buf))
        return false;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *port = NULL;
    char *host = buf;
    if (buf[0] == '[') {
        char *close = strchr(buf, ']');
        if (!close)
            return false;
        *close = '\0';
        host = buf + 1;
        if (close[1] == ':')
            port = close + 2;
        else if (close[1])
            return false;
    } else if (strchr(buf, ':') && strchr(buf, ':') == strrchr(buf, ':')) {
        port = strchr(buf, ':'); /* IPv4:port */
        *port++ = '\0';
    }
    if (port) { /* a number or an obfuscated port ("_abc") */
        if (!*port)
            return false;
        for (const char *q = port; *q; q++)
            if (!isalnum((unsigned char)*q) && *q != '_' && *q != '.' && *q != '-')
                return false;
    }
    return proxy_addr_canon(host, out, PROXY_ADDR_MAX);
}

/* One Forwarded element: its for (raw, unquoted) and proto. */
struct fwd_elem {
    char for_[PROXY_ADDR_MAX + 32];
    bool has_for;
    bool has_proto, https;
};

static bool tchar(char c)
{
    return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A token or quoted-string at *p into out (outlen bytes, unescaped); advances *p. */
static bool fwd_value(const char **p, char *out, size_t outlen)
{
    const char *s = *p;
    size_t o = 0;
    if (*s == '"') {
        for (s++; *s != '"'; s++) {
            if (!*s)
                return false;
            if (*s == '\\' && s[1])
                s++;
            if (o + 1 >= outlen)
                return false;
            out[o++] = *s;
        }
        s++;
    } else {
        /* ':' and '[' ']' are not tchars; a lenient reading takes them unquoted too */
        for (; tchar(*s) || *s == ':' || *s == '[' || *s == ']'; s++) {
            if (o + 1 >= outlen)
                return false;
            out[o++] = *s;
        }
        if (!o)
            return false;
    }
    out[o] = '\0';
    *p = s;
    return true;
}

/* Forwarded: elements separated by ',', pairs by ';'. Returns the number of elements read
 * (the last CHAIN_MAX kept), or -1 when malformed. */
static int fwd_parse(const char *s, struct fwd_elem *el)
{
    int n = 0;
    const char *p = s;
    for (;;) {
        struct fwd_elem e = { 0 };
        for (;;) {
            while (*p == ' ' || *p == '\t')
                p++;
            const char *k = p;
            while (tchar(*p))
                p++;
            size_t klen = (size_t)(p - k);
            if (!klen || *p != '=')
                return -1;
            p++;
            char v[PROXY_ADDR_MAX + 32];
            if (!fwd_value(&p, v, sizeof(v)))
                return -1;
            if (klen == 3 && strncasecmp(k, "for", 3) == 0) {
                if (e.has_for)
                    return -1;
                e.has_for = true;
                str_copy(e.for_, sizeof(e.for_), v);
            } else if (klen == 5 && strncasecmp(k, "proto", 5) == 0) {
                e.has_proto = true;
                e.https = strcasecmp(v, "https") == 0;
            }
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p != ';')
                break;
            p++;
        }
        if (n == CHAIN_MAX) {
            memmove(el, el + 1, (CHAIN_MAX - 1) * sizeof(*el));
            n--;
        }
        el[n++] = e;
        if (*p == '\0')
            return n;
        if (*p != ',')
            return -1;
        p++;
    }
}

/* X-Forwarded-Proto's right-most value is "https". */
static bool xproto_https(const char *xproto)
{
    if (!xproto)
        return false;
    const char *v = strrchr(xproto, ',');
    v = v ? v + 1 : xproto;
    while (*v == ' ' || *v == '\t')
        v++;
    size_t len = strlen(v);
    while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    return len == 5 && strncasecmp(v, "https", 5) == 0;
}

static bool from_forwarded(const struct proxy_list *trusted, const char *fwd, bool xhttps,
                           struct proxy_result *out)
{
    static _Thread_local struct fwd_elem el[CHAIN_MAX];
    int n = fwd_parse(fwd, el);
    if (n <= 0)
        return false;
    char addr[PROXY_ADDR_MAX];
    for (int i = n - 1; i >= 0; i--) {
        if (!el[i].has_for || !parse_node(el[i].for_, strlen(el[i].for_), addr))
            return false;
        if (i > 0 && proxy_list_contains(trusted, addr))
            continue;
        str_copy(out->client, sizeof(out->client), addr);
        out->https = el[i].has_proto ? el[i].https : xhttps;
        out->source = PROXY_FORWARDED;
        return true;
    }
    return false;
}

static bool from_xff(const struct proxy_list *trusted, const char *xff, struct proxy_result *out)
{
    const char *end = xff + strlen(xff);
    char addr[PROXY_ADDR_MAX];
    for (int hops = 0; hops < CHAIN_MAX; hops++) {
        const char *start = end;
        while (start > xff && start[-1] != ',')
            start--;
        const char *a = start, *b = end;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        if (!parse_node(a, (size_t)(b - a), addr))
            return false;
        if (start > xff && proxy_list_contains(trusted, addr)) {
            end = start - 1; /* the hop to its left */
            continue;
        }
        str_copy(out->client, sizeof(out->client), addr);
        out->source = PROXY_XFF;
        return true;
    }
    return false; /* a chain of more trusted proxies than anyone runs */
}

void proxy_client(const struct proxy_list *trusted, const char *peer, const char *forwarded,
                  const char *xff, const char *xproto, struct proxy_result *out)
{
    memset(out, 0, sizeof(*out));
    out->source = PROXY_PEER;
    if (!proxy_addr_canon(peer, out->client, sizeof(out->client)))
        str_copy(out->client, sizeof(out->client), peer);
    if (!trusted || !proxy_list_contains(trusted, peer))
        return;
    bool xhttps = xproto_https(xproto);
    out->https = xhttps;
    if (forwarded) {
        if (!from_forwarded(trusted, forwarded, xhttps, out))
            out->source = PROXY_MALFORMED;
        return;
    }
    if (xff && !from_xff(trusted, xff, out))
        out->source = PROXY_MALFORMED;
}
