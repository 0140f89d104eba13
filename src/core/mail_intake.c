#include "core/mail_intake.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <iconv.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/routing.h"
#include "nlp/turkish.h"
#include "util/strbuf.h"
#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
    g_mime_init();
}

/* Append s to sb as valid UTF-8: each byte that starts no valid sequence becomes U+FFFD.
 * Returns whether any was replaced. */
static bool add_utf8(struct strbuf *sb, const char *s, size_t n)
{
    bool bad = false;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len && i + len <= n && nlp_utf8_valid(s + i, len)) {
            if (c != 0)
                strbuf_add(sb, s + i, len);
            i += len;
        } else {
            strbuf_adds(sb, "\xEF\xBF\xBD");
            bad = true;
            i++;
        }
    }
    return bad;
}

static char *utf8_copy(const char *s, bool *flag)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    if (s && add_utf8(&sb, s, strlen(s)))
        *flag = true;
    return strbuf_detach(&sb, NULL);
}

/* Convert in (n bytes in charset) to UTF-8 with iconv; bytes that do not convert become
 * U+FFFD and set *flag. An unknown charset: the bytes as UTF-8 as far as they are, flagged. */
static char *to_utf8(const char *in, size_t n, const char *charset, bool *flag)
{
    struct strbuf sb;
    strbuf_init(&sb, 0); /* UTF-8 may be longer than n: no cap */
    if (!charset || !*charset || strcasecmp(charset, "utf-8") == 0 ||
        strcasecmp(charset, "us-ascii") == 0) {
        if (add_utf8(&sb, in, n))
            *flag = true;
        return strbuf_detach(&sb, NULL);
    }
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) {
        *flag = true;
        add_utf8(&sb, in, n);
        return strbuf_detach(&sb, NULL);
    }
    char *src = (char *)in;
    size_t left = n;
    char buf[4096];
    while (left > 0) {
        char *dst = buf;
        size_t room = sizeof(buf);
        size_t r = iconv(cd, &src, &left, &dst, &room);
        strbuf_add(&sb, buf, (size_t)(dst - buf));
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ / EINVAL: one bad byte, replaced, and on */
            strbuf_adds(&sb, "\xEF\xBF\xBD");
            *flag = true;
            src++;
            left--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
    }
    iconv_close(cd);
    char *out = strbuf_detach(&sb, NULL);
    if (!nlp_utf8_valid(out, strlen(out))) { /* cannot happen with iconv, but never store it */
        bool f = false;
        char *fixed = utf8_copy(out, &f);
        free(out);
        out = fixed;
        *flag = true;
    }
    return out;
}

/* The first text/plain part under o, else the first text part (depth first). */
static GMimePart *find_text(GMimeObject *o, bool plain_only)
{
    if (GMIME_IS_MULTIPART(o)) {
        GMimeMultipart *mp = GMIME_MULTIPART(o);
        int n = g_mime_multipart_get_count(mp);
        for (int i = 0; i < n; i++) {
            GMimePart *p = find_text(g_mime_multipart_get_part(mp, i), plain_only);
            if (p)
                return p;
        }
        return NULL;
    }
    if (!GMIME_IS_PART(o) || GMIME_IS_MESSAGE_PART(o))
        return NULL;
    GMimeContentType *ct = g_mime_object_get_content_type(o);
    if (!ct || !g_mime_content_type_is_type(ct, "text", plain_only ? "plain" : "*"))
        return NULL;
    return GMIME_PART(o);
}

/* The decoded (transfer encoding undone) bytes of a part, in its own charset. */
static GByteArray *part_bytes(GMimePart *p)
{
    GMimeDataWrapper *w = g_mime_part_get_content(p);
    if (!w)
        return NULL;
    GMimeStream *mem = g_mime_stream_mem_new();
    g_mime_data_wrapper_write_to_stream(w, mem);
    GByteArray *arr = g_byte_array_new();
    GByteArray *own = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
    g_byte_array_append(arr, own->data, own->len);
    g_object_unref(mem);
    return arr;
}

int core_mail_parse(const void *raw, size_t len, struct mail_parsed *out, struct err_detail *ed)
{
    memset(out, 0, sizeof(*out));
    pthread_once(&gmime_once, gmime_start);
    GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw, len);
    GMimeParser *parser = g_mime_parser_new_with_stream(stream);
    GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);
    g_object_unref(parser);
    g_object_unref(stream);
    if (!msg)
        return err_set(ed, ERR_INVALID, "message", "not an e-mail message");
    const char *mid = g_mime_message_get_message_id(msg);
    if (mid && *mid && strlen(mid) < 400) {
        out->message_id = utf8_copy(mid, &out->flagged);
    } else {
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * sizeof(h) + 1];
        crypto_hash_sha256(h, raw, len);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        struct strbuf sb;
        strbuf_init(&sb, 0);
        strbuf_addf(&sb, "sha256:%s", hex);
        out->message_id = strbuf_detach(&sb, NULL);
    }
    out->subject = utf8_copy(g_mime_message_get_subject(msg), &out->flagged);
    InternetAddressList *from = g_mime_message_get_from(msg);
    if (from && internet_address_list_length(from) > 0) {
        InternetAddress *ia = internet_address_list_get_address(from, 0);
        const char *name = internet_address_get_name(ia);
        if (name && *name)
            out->from_name = utf8_copy(name, &out->flagged);
        if (INTERNET_ADDRESS_IS_MAILBOX(ia))
            out->from_addr = utf8_copy(
                internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), &out->flagged);
    }
    GMimeObject *body = g_mime_message_get_mime_part(msg);
    GMimePart *part = body ? find_text(body, true) : NULL;
    if (!part && body)
        part = find_text(body, false);
    if (part) {
        GByteArray *bytes = part_bytes(part);
        const char *charset =
            g_mime_object_get_content_type_parameter(GMIME_OBJECT(part), "charset");
        out->text = to_utf8(bytes ? (const char *)bytes->data : "", bytes ? bytes->len : 0, charset,
                            &out->flagged);
        if (bytes)
            g_byte_array_free(bytes, TRUE);
    } else {
        out->text = xstrdup("");
    }
    /* the body as people read it: no trailing blank lines, \r\n as \n */
    char *w = out->text;
    for (const char *r = out->text; *r; r++)
        if (*r != '\r')
            *w++ = *r;
    *w = '\0';
    while (w > out->text && (w[-1] == '\n' || w[-1] == ' '))
        *--w = '\0';
    g_object_unref(msg);
    return ERR_OK;
}

void mail_parsed_free(struct mail_parsed *m)
{
    free(m->message_id);
    free(m->subject);
    free(m->from_name);
    free(m->from_addr);
    free(m->text);
    memset(m, 0, sizeof(*m));
}

int core_mail_take(struct store *st, const void *raw, size_t len, int64_t at,
                   struct intake_result *res, struct err_detail *ed)
{
    struct mail_parsed p;
    struct routing_result rr;
    int rc = core_mail_parse(raw, len, &p, ed);
    if (rc != ERR_OK) { /* not even a message: kept as its bytes, flagged, never dropped */
        unsigned char h[crypto_hash_sha256_BYTES];
        char hex[2 * sizeof(h) + 1];
        struct strbuf sb;
        crypto_hash_sha256(h, raw, len);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        strbuf_init(&sb, 0);
        strbuf_addf(&sb, "sha256:%s", hex);
        memset(&p, 0, sizeof(p));
        p.message_id = strbuf_detach(&sb, NULL);
        strbuf_init(&sb, 0); /* U+FFFD is 3 bytes: no cap */
        add_utf8(&sb, raw, len > 7000 ? 7000 : len);
        p.text = strbuf_detach(&sb, NULL);
        p.flagged = true;
        if (ed)
            memset(ed, 0, sizeof(*ed));
    }
    struct intake_msg m = { 0 };
    m.channel = "email";
    m.message_id = p.message_id;
    m.from_name = p.from_name;
    m.email = p.from_addr;
    m.subject = p.subject;
    m.text = p.text;
    m.flagged = p.flagged;
    m.original = raw;
    m.original_len = len;
    m.at = at;
    if (routing_available() && routing_classify(st, p.text, &rr, NULL) == ERR_OK)
        m.routing = &rr;
    rc = core_intake_message(st, &m, res, ed);
    mail_parsed_free(&p);
    return rc;
}
