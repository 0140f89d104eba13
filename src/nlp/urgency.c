#include "nlp/urgency.h"

#include <stdio.h>
#include <string.h>

#include "nlp/turkish.h"
#include "util/str.h"
#include "util/banned.h"

/* A term is a folded word; "x*" matches any word starting with x. A group matches when any
 * of its terms does; a rule fires when all of its groups match. */
#define MAX_GROUPS 3
#define MAX_TERMS 16

struct rule {
    const char *name;
    const char *groups[MAX_GROUPS][MAX_TERMS]; /* NULL-terminated term lists; unused groups empty */
};

static const struct rule rules[] = {
    { "gas_smell",
      { { "gaz*", "dogalgaz*", "tup*", NULL },
        { "koku*", "kokmak*", "kokuyo*", "sizinti*", "sizdir*", "kacag*", "kacak*", NULL } } },
    { "collapse",
      { { "duvar*", "bina*", "balkon*", "cati*", "istinat*", "ev", "evin", "evimiz*", "yol", "yolu",
          "tavan*", "merdiven*", "kaldirim*", "zemin*", NULL },
        { "coktu*", "cokmus*", "cokuyor*", "cokecek*", "cokme*", "cokmek*", "yikil*", "gocuk*",
          "gocmus*", "gocuyor*", NULL } } },
    { "injured_person",
      { { "yarali", "yaralilar*", "yaralandi*", "yaralanan*", "yaralanmis*", "bayildi*", "bayilan*",
          "kanlar*", NULL },
        { "adam*", "kadin*", "cocuk*", "kisi*", "vatandas*", "yasli*", "insan*", "birisi*",
          "ogrenci*", "yolcu*", "amca*", "teyze*", NULL } } },
    { "injured_animal",
      { { "yarali*", "yaralanmis*", "kanliyor*", "kanlar*", "kirik*", "ezilmis*", "ezildi*",
          "topalliyor*", NULL },
        { "kedi*", "kopek*", "hayvan*", "kus", "kusu", "yavru*", "inek*", NULL } } },
    { "open_manhole",
      { { "rogar*", "logar*", "menhol*", "mazgal*", "kuyu*", NULL },
        { "acik*", "kapaksiz*", "kapagi*", "kapak", "calinmis*", "calindi*", "dustu*", "dusecek*",
          "dusmek*", NULL } } },
    { "live_wire",
      { { "kablo*", "tel", "teli*", "teller*", "direk*", "direg*", "elektrik*", NULL },
        { "kopmus*", "koptu*", "sarkiyor*", "sarkmis*", "acikta*", "carpti*", "kivilcim*", "yerde*",
          "devrildi*", "devrilmis*", NULL },
        { "elektrik*", "kablo*", "akim*", "kivilcim*", NULL } } },
    { "flooding",
      { { "su", "suyu", "sular*", "sel*", "yagmur*", "kanalizasyon*", "bodrum*", "ev*", NULL },
        { "baskin*", "basti*", "basmis*", "basiyor*", "bogul*", NULL } } },
    { "fire_outbreak",
      { { "yangin", "yangini", NULL },
        { "cikti*", "var", "basladi*", "yayiliyor*", "duman*", "alev*", NULL } } },
    { "fire",
      { { "alev*", "tutustu*", "tutusmus*", "yaniyor", NULL },
        { "ev*", "bina*", "araba*", "arac*", "cati*", "daire*", "orman*", "depo*", "alev*",
          NULL } } },
    { "trapped",
      { { "mahsur*", "sikisti*", "sikismis*", "kurtar*", NULL },
        { "kaldi*", "cocuk*", "adam*", "kisi*", "yasli*", "asansor*", "kurtar*", "mahsur*",
          NULL } } },
    { "electric_shock", { { "elektrik*", NULL }, { "carpti*", "carpmasi*", "carpiyor*", NULL } } },
    { "poisoning", { { "zehirlen*", NULL } } },
};

#define MAX_WORDS 400

struct words {
    size_t n;
    char folded[MAX_WORDS][48];
    size_t start[MAX_WORDS], end[MAX_WORDS];
};

static int collect(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                   size_t start, size_t end)
{
    struct words *w = ctx;
    (void)stem, (void)slen;
    if (w->n >= MAX_WORDS)
        return 1;
    if (wlen >= sizeof(w->folded[0]))
        wlen = sizeof(w->folded[0]) - 1;
    memcpy(w->folded[w->n], word, wlen);
    w->folded[w->n][wlen] = '\0';
    w->start[w->n] = start;
    w->end[w->n] = end;
    w->n++;
    return 0;
}

static bool term_matches(const char *term, const char *word)
{
    size_t tl = strlen(term);
    if (tl && term[tl - 1] == '*')
        return strncmp(term, word, tl - 1) == 0;
    return strcmp(term, word) == 0;
}

/* Index of the first word matched by the group, -1 when none. */
static int group_match(const char *const *terms, const struct words *w, int avoid)
{
    for (size_t i = 0; i < w->n; i++) {
        if ((int)i == avoid)
            continue;
        for (int t = 0; t < MAX_TERMS && terms[t]; t++)
            if (term_matches(terms[t], w->folded[i]))
                return (int)i;
    }
    return -1;
}

bool nlp_urgency(const char *text, struct urgency *out)
{
    struct words w;
    memset(out, 0, sizeof(*out));
    w.n = 0;
    if (nlp_tokenize(text, strlen(text), collect, &w) < 0)
        return false;
    for (size_t r = 0; r < sizeof(rules) / sizeof(rules[0]); r++) {
        int hit[MAX_GROUPS], prev = -1, g;
        for (g = 0; g < MAX_GROUPS && rules[r].groups[g][0]; g++) {
            /* one word may not satisfy two groups of the same rule */
            hit[g] = group_match(rules[r].groups[g], &w, g > 0 ? prev : -1);
            if (hit[g] < 0)
                break;
            prev = hit[g];
        }
        if (g < MAX_GROUPS && rules[r].groups[g][0])
            continue; /* a group did not match */
        out->urgent = true;
        str_copy(out->rule, sizeof(out->rule), rules[r].name);
        size_t used = 0;
        for (int k = 0; k < g; k++) {
            bool dup = false;
            for (int j = 0; j < k; j++)
                dup |= hit[j] == hit[k];
            if (dup)
                continue;
            int n =
                snprintf(out->words + used, sizeof(out->words) - used, "%s%.*s", used ? ", " : "",
                         (int)(w.end[hit[k]] - w.start[hit[k]]), text + w.start[hit[k]]);
            if (n < 0 || (size_t)n >= sizeof(out->words) - used)
                break;
            used += (size_t)n;
        }
        return true;
    }
    return true;
}
