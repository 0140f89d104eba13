#include "core/split.h"

#include <string.h>

#include "nlp/turkish.h"
#include "util/banned.h"

#define WORDS_MAX 400 /* words looked at (a longer text is cut within its first WORDS_MAX) */

struct word {
    char f[24]; /* folded, truncated */
    size_t start, end;
};

struct words {
    struct word w[WORDS_MAX];
    size_t n;
};

static int collect(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                   size_t start, size_t end)
{
    (void)stem, (void)slen;
    struct words *ws = ctx;
    if (ws->n == WORDS_MAX)
        return 1;
    struct word *w = &ws->w[ws->n++];
    size_t l = wlen < sizeof(w->f) - 1 ? wlen : sizeof(w->f) - 1;
    memcpy(w->f, word, l);
    w->f[l] = '\0';
    w->start = start;
    w->end = end;
    return 0;
}

static bool is(const struct words *ws, size_t i, const char *f)
{
    return i < ws->n && strcmp(ws->w[i].f, f) == 0;
}

/* How many words of a connector start at word i (0: none). */
static size_t connector(const struct words *ws, size_t i, bool *second_hem)
{
    /* folded; two-word connectors as first + second */
    static const char *const one[] = { "ayrica", "ilaveten", "keza", "ustelik", "ardindan", NULL };
    static const char *const two[][2] = { { "bir", "de" },          { "bi", "de" },
                                          { "bunun", "yaninda" },   { "bunun", "disinda" },
                                          { "bunun", "haricinde" }, { "ek", "olarak" },
                                          { "ote", "yandan" },      { "bir", "diger" },
                                          { "diger", "bir" },       { NULL, NULL } };
    for (size_t k = 0; one[k]; k++)
        if (is(ws, i, one[k]))
            return 1;
    for (size_t k = 0; two[k][0]; k++)
        if (is(ws, i, two[k][0]) && is(ws, i + 1, two[k][1]))
            return 2;
    if (is(ws, i, "hem")) {
        for (size_t j = 0; j < i; j++)
            if (is(ws, j, "hem")) {
                *second_hem = true;
                return is(ws, i + 1, "de") || is(ws, i + 1, "da") ? 2 : 1;
            }
    }
    return 0;
}

/* Does the gap text[a..b) end a sentence or a clause (a comma)? */
static bool clause_end(const char *text, size_t a, size_t b)
{
    for (size_t k = a; k < b; k++)
        if (strchr(".!?;,\n", text[k]))
            return true;
    return false;
}

static bool ends_with(const char *w, const char *suffix)
{
    size_t l = strlen(w), k = strlen(suffix);
    return l > k + 1 && strcmp(w + l - k, suffix) == 0;
}

/* Does word i ask for something or report a fault ("yapılsın", "istiyoruz", "lütfen",
 * "yanmıyor", "bozuk", "tıkalı", "lazım", …)? A part without one is scenery, not a request. */
static bool request_word(const struct words *ws, size_t i)
{
    static const char *const words[] = {
        "istiyoruz", "istiyorum", "istiyorz", "lutfen", "rica",    "talep",   "lazim",
        "gerek",     "gerekiyor", "yok",      "var",    "bozuk",   "bozuldu", "tikali",
        "tikandi",   "kirik",     "kirildi",  "akiyor", "patladi", "coktu",   "cokmus",
        "yapilmadi", "gelmedi",   "olmuyor",  NULL
    };
    static const char *const endings[] = { "sin", "sun", "miyor", "muyor", "madi", "medi", NULL };
    const char *w = ws->w[i].f;
    for (size_t k = 0; words[k]; k++)
        if (strcmp(w, words[k]) == 0)
            return true;
    for (size_t k = 0; endings[k]; k++)
        if (ends_with(w, endings[k]))
            return true;
    return false;
}

/* Does word i say there is no problem ("… değil", "sorunumuz yok", "memnunuz", "bitti")? */
static bool content_word(const struct words *ws, size_t i)
{
    const char *w = ws->w[i].f;
    return strcmp(w, "degil") == 0 || strncmp(w, "memnun", 6) == 0 || strcmp(w, "bitti") == 0 ||
           ((strncmp(w, "sorun", 5) == 0 || strncmp(w, "dert", 4) == 0 ||
             strncmp(w, "derd", 4) == 0) &&
            is(ws, i + 1, "yok"));
}

/* Is words [a, b) a request of its own: one request word, no "no problem here"? */
static bool part_is_request(const struct words *ws, size_t a, size_t b)
{
    bool req = false;
    for (size_t i = a; i < b; i++) {
        if (content_word(ws, i))
            return false;
        req = req || request_word(ws, i);
    }
    return req;
}

struct cut {
    size_t a_end;  /* word index: part A is words [0, a_end) */
    size_t b_from; /* part B is words [b_from, n) */
};

static int classify_part(struct store *st, const char *text, size_t off, size_t len,
                         struct split_part *p)
{
    char buf[2048];
    if (len >= sizeof(buf))
        len = sizeof(buf) - 1;
    memcpy(buf, text + off, len);
    buf[len] = '\0';
    p->off = off;
    p->len = len;
    return routing_classify(st, buf, &p->rr, NULL);
}

/* Long on purpose: words, cut points, then the classification of each cut, in that order. */
int split_find(struct store *st, const char *text, struct split_result *out)
{
    static _Thread_local struct words ws; /* 16 kB: not on the stack of a server thread */
    struct cut cuts[SPLIT_MAX_CUTS];
    size_t ncut = 0;
    memset(out, 0, sizeof(*out));
    ws.n = 0;
    if (nlp_tokenize(text, strlen(text), collect, &ws) < 0)
        return ERR_INVALID;
    size_t first_hem = is(&ws, 0, "hem") ? 1 : 0; /* "hem … hem": drop the first from A */
    for (size_t i = 2; i + 2 <= ws.n && ncut < SPLIT_MAX_CUTS; i++) {
        bool hem = false;
        size_t k = connector(&ws, i, &hem);
        if (k || clause_end(text, ws.w[i - 1].end, ws.w[i].start))
            cuts[ncut++] = (struct cut){ .a_end = i, .b_from = i + k };
    }
    double best = 0;
    for (size_t c = 0; c < ncut; c++) {
        struct split_part pa, pb;
        size_t a0 = first_hem, a1 = cuts[c].a_end, b0 = cuts[c].b_from;
        if (a1 - a0 < 2 || ws.n - b0 < 2 || /* a part of fewer than two words is no request */
            !part_is_request(&ws, a0, a1) || !part_is_request(&ws, b0, ws.n))
            continue;
        if (classify_part(st, text, ws.w[a0].start, ws.w[a1 - 1].end - ws.w[a0].start, &pa) !=
                ERR_OK ||
            classify_part(st, text, ws.w[b0].start, strlen(text) - ws.w[b0].start, &pb) != ERR_OK)
            return ERR_OK; /* no model: no split */
        if (!pa.rr.confident || !pb.rr.confident ||
            strcmp(pa.rr.s[0].department, pb.rr.s[0].department) == 0)
            continue;
        double weaker = pa.rr.s[0].p < pb.rr.s[0].p ? pa.rr.s[0].p : pb.rr.s[0].p;
        if (weaker > best) {
            best = weaker;
            out->found = true;
            out->part[0] = pa;
            out->part[1] = pb;
        }
    }
    /* B runs to the end of the text: drop its closing punctuation and spaces */
    struct split_part *b = &out->part[1];
    while (out->found && b->len && strchr(" \t\r\n.!?;,", text[b->off + b->len - 1]))
        b->len--;
    return ERR_OK;
}
