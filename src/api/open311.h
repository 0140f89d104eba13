#ifndef ALO_API_OPEN311_H
#define ALO_API_OPEN311_H
/*
 * One document writer for Open311 GeoReport v2's two formats (docs/OPEN311.md): the same calls
 * build XML (libxml2's xmlwriter, with the UTF-8 declaration the spec requires) or JSON
 * (jansson), following the spec's mapping between them: an XML list element
 * (<services><service>…) is a JSON array of objects, a root object element
 * (<discovery>…, <service_definition>…) a JSON object, and an XML text element a JSON member.
 */
#include <stdbool.h>
#include <stddef.h>

enum o311_fmt { O311_XML, O311_JSON };

struct o311_doc;

/* A new, empty document (never NULL; free with o311_doc_free or o311_doc_finish). */
struct o311_doc *o311_doc_new(enum o311_fmt fmt);
/* Open a list: XML <name>, JSON an array (a member named name inside an object, the root
 * otherwise); items are objects (o311_obj) named item in XML, or strings (o311_item_str). */
void o311_list(struct o311_doc *d, const char *name);
/* Open an object: XML <name>; JSON an object (the root, an array's item, or the member name
 * of the enclosing object when member is true). */
void o311_obj(struct o311_doc *d, const char *name, bool member);
/* Close the innermost open list or object. */
void o311_end(struct o311_doc *d);
/* Members of the open object: text (NULL: an empty element / JSON null), integer, number
 * (written with up to 7 decimals), boolean. */
void o311_str(struct o311_doc *d, const char *key, const char *v);
void o311_int(struct o311_doc *d, const char *key, long long v);
void o311_num(struct o311_doc *d, const char *key, double v);
void o311_bool(struct o311_doc *d, const char *key, bool v);
/* A string item of the open list (XML <item>v</item>). */
void o311_item_str(struct o311_doc *d, const char *item, const char *v);
/* Close everything still open and return the text (malloc'd, caller frees; *len its length);
 * d is freed. */
char *o311_doc_finish(struct o311_doc *d, size_t *len);
void o311_doc_free(struct o311_doc *d);
/* The Content-Type of fmt ("text/xml; charset=utf-8", "application/json; charset=utf-8"). */
const char *o311_content_type(enum o311_fmt fmt);

#endif
