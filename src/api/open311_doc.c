/* The Open311 document writer (api/open311.h): XML through libxml2's xmlwriter, JSON through
 * jansson. */
#include <libxml/xmlwriter.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/open311.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define O311_DEPTH 8

struct o311_doc {
    enum o311_fmt fmt;
    xmlBufferPtr buf;
    xmlTextWriterPtr w;
    json_t *root;
    json_t *stack[O311_DEPTH]; /* JSON: the open containers */
    int depth;
};

struct o311_doc *o311_doc_new(enum o311_fmt fmt)
{
    struct o311_doc *d = xcalloc(1, sizeof(*d));
    d->fmt = fmt;
    if (fmt == O311_XML) {
        d->buf = xmlBufferCreate();
        d->w = d->buf ? xmlNewTextWriterMemory(d->buf, 0) : NULL;
        if (!d->w)
            abort(); /* out of memory */
        xmlTextWriterStartDocument(d->w, "1.0", "UTF-8", NULL);
    }
    return d;
}

/* JSON: put v (stolen) into the open container under key (objects) or at its end (arrays), or
 * make it the root; containers are pushed. */
static void json_put(struct o311_doc *d, const char *key, json_t *v, bool push)
{
    json_t *top = d->depth ? d->stack[d->depth - 1] : NULL;
    if (!top) {
        if (!d->root)
            d->root = json_incref(v);
    } else if (json_is_array(top)) {
        json_array_append(top, v);
    } else {
        json_object_set(top, key, v);
    }
    if (push && d->depth < O311_DEPTH)
        d->stack[d->depth++] = v;
    json_decref(v);
}

void o311_list(struct o311_doc *d, const char *name)
{
    if (d->fmt == O311_XML)
        xmlTextWriterStartElement(d->w, BAD_CAST name);
    else
        json_put(d, name, json_array(), true);
}

void o311_obj(struct o311_doc *d, const char *name, bool member)
{
    if (d->fmt == O311_XML)
        xmlTextWriterStartElement(d->w, BAD_CAST name);
    else
        json_put(d, member ? name : NULL, json_object(), true);
}

void o311_end(struct o311_doc *d)
{
    if (d->fmt == O311_XML)
        xmlTextWriterEndElement(d->w);
    else if (d->depth)
        d->depth--;
}

void o311_str(struct o311_doc *d, const char *key, const char *v)
{
    if (d->fmt == O311_JSON) {
        json_put(d, key, v ? json_string(v) : json_null(), false);
        return;
    }
    xmlTextWriterStartElement(d->w, BAD_CAST key);
    if (v && *v)
        xmlTextWriterWriteString(d->w, BAD_CAST v);
    xmlTextWriterEndElement(d->w);
}

void o311_int(struct o311_doc *d, const char *key, long long v)
{
    char s[32];
    if (d->fmt == O311_JSON) {
        json_put(d, key, json_integer(v), false);
        return;
    }
    snprintf(s, sizeof(s), "%lld", v);
    o311_str(d, key, s);
}

void o311_num(struct o311_doc *d, const char *key, double v)
{
    char s[48];
    double r = round(v * 1e7) / 1e7;
    if (d->fmt == O311_JSON) {
        json_put(d, key, json_real(r), false);
        return;
    }
    snprintf(s, sizeof(s), "%.7f", r);
    /* no trailing zeros: 38.7205 rather than 38.7205000 */
    char *e = s + strlen(s) - 1;
    while (e > s && *e == '0' && e[-1] != '.')
        *e-- = '\0';
    o311_str(d, key, s);
}

void o311_bool(struct o311_doc *d, const char *key, bool v)
{
    if (d->fmt == O311_JSON)
        json_put(d, key, json_boolean(v), false);
    else
        o311_str(d, key, v ? "true" : "false");
}

void o311_item_str(struct o311_doc *d, const char *item, const char *v)
{
    if (d->fmt == O311_JSON)
        json_put(d, NULL, json_string(v ? v : ""), false);
    else
        o311_str(d, item, v);
}

void o311_doc_free(struct o311_doc *d)
{
    if (!d)
        return;
    if (d->w)
        xmlFreeTextWriter(d->w);
    if (d->buf)
        xmlBufferFree(d->buf);
    json_decref(d->root);
    free(d);
}

char *o311_doc_finish(struct o311_doc *d, size_t *len)
{
    char *out;
    if (d->fmt == O311_XML) {
        xmlTextWriterEndDocument(d->w); /* closes every open element */
        xmlFreeTextWriter(d->w);
        d->w = NULL;
        const char *s = (const char *)xmlBufferContent(d->buf);
        out = xstrdup(s ? s : "");
    } else {
        out = d->root ? json_dumps(d->root, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
        if (!out)
            out = xstrdup("[]");
    }
    *len = strlen(out);
    o311_doc_free(d);
    return out;
}

const char *o311_content_type(enum o311_fmt fmt)
{
    return fmt == O311_XML ? "text/xml; charset=utf-8" : "application/json; charset=utf-8";
}
