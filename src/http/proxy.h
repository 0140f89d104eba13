#ifndef ALO_HTTP_PROXY_H
#define ALO_HTTP_PROXY_H
/*
 * Running behind a reverse proxy: which peers are trusted proxies (a CIDR list), and the
 * client address and scheme they forward (RFC 7239 Forwarded, else X-Forwarded-For and
 * X-Forwarded-Proto). Pure functions, no I/O: http.c asks them once per request.
 *
 * The forwarding headers are believed only from a trusted peer: anyone else could name any
 * address and so choose the key of every per-address limit. From a trusted peer the client is
 * the right-most address of the chain that is not itself a trusted proxy (the left part of the
 * chain is whatever the client sent, and is not believed either).
 */
#include <stdbool.h>
#include <stddef.h>

#define PROXY_NETS_MAX 32
#define PROXY_ADDR_MAX 64 /* bytes of an address as text, NUL included */

struct proxy_net {
    unsigned char addr[16]; /* IPv4 as the IPv4-mapped IPv6 address ::ffff:a.b.c.d */
    unsigned bits;          /* prefix length over the 128 bits */
};

struct proxy_list {
    struct proxy_net nets[PROXY_NETS_MAX];
    int n;
};

/* Parse "CIDR[,CIDR…]" (IPv4 or IPv6, "/bits" optional = one address; spaces around commas
 * allowed) into l. false with a message in err (errlen bytes) on a malformed entry or more
 * than PROXY_NETS_MAX; l is then empty. NULL or "" gives an empty list. */
bool proxy_list_parse(const char *s, struct proxy_list *l, char *err, size_t errlen);

/* Is the address text addr (IPv4, IPv6 or IPv4-mapped IPv6) in one of l's networks?
 * false for an empty list or text that is no address. */
bool proxy_list_contains(const struct proxy_list *l, const char *addr);

/* Write the canonical text of address text `in` (inet_ntop form; IPv4-mapped IPv6 as plain
 * IPv4) into out (outlen bytes). false, out "", when in is no address. */
bool proxy_addr_canon(const char *in, char *out, size_t outlen);

enum proxy_source {
    PROXY_PEER,      /* the peer's own address (untrusted peer, or no forwarding header) */
    PROXY_FORWARDED, /* from Forwarded */
    PROXY_XFF,       /* from X-Forwarded-For */
    PROXY_MALFORMED  /* a trusted peer sent a header that could not be read: the peer's own */
};

struct proxy_result {
    char client[PROXY_ADDR_MAX]; /* canonical client address */
    bool https;                  /* the trusted proxy says the client came over HTTPS */
    enum proxy_source source;
};

/* The client of a request from peer (address text) given its Forwarded, X-Forwarded-For and
 * X-Forwarded-Proto headers (NULL when absent; several fields of one name joined by ", ").
 * Headers count only when peer is in trusted. Forwarded wins over X-Forwarded-For when
 * present; proto=https in the chosen Forwarded element, or X-Forwarded-Proto's right-most
 * value "https", sets https. A "for" of "unknown" or an obfuscated name is no address:
 * PROXY_MALFORMED. */
void proxy_client(const struct proxy_list *trusted, const char *peer, const char *forwarded,
                  const char *xff, const char *xproto, struct proxy_result *out);

#endif
