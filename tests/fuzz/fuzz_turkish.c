/* libFuzzer target: the Turkish text layer (nlp/turkish.h, nlp/urgency.h): UTF-8 check, lower
 * case, folding, the tokenizer with its stemmer, and the urgency detector, on any bytes.
 * Promises checked: lower/fold of valid UTF-8 give valid UTF-8 (NULL only for invalid input),
 * folding is idempotent, every token's offsets lie inside the text in order, and each word
 * and stem is non-empty valid UTF-8 within NLP_STEM_MAX_BYTES for the stem. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nlp/turkish.h"
#include "nlp/urgency.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct walk {
    size_t len, last_end;
};

static int on_token(void *ctx, const char *word, size_t wlen, const char *stem, size_t slen,
                    size_t start, size_t end)
{
    struct walk *w = ctx;
    assert(wlen > 0 && slen > 0);
    assert(nlp_utf8_valid(word, wlen) && nlp_utf8_valid(stem, slen));
    assert(start < end && end <= w->len && start >= w->last_end);
    w->last_end = end;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool valid = nlp_utf8_valid(s, size);
    size_t n1 = 0, n2 = 0;
    char *low = nlp_lower(s, size, &n1);
    char *fold = nlp_fold(s, size, &n2);
    if (valid && memchr(s, 0, size) == NULL) {
        assert(low && fold);
        assert(nlp_utf8_valid(low, n1) && nlp_utf8_valid(fold, n2));
        size_t n3 = 0;
        char *again = nlp_fold(fold, n2, &n3);
        assert(again && n3 == n2 && memcmp(again, fold, n2) == 0);
        free(again);
    }
    free(low);
    free(fold);
    struct walk w = { size, 0 };
    int rc = nlp_tokenize(s, size, on_token, &w);
    assert(valid ? rc == 0 : rc == -1);
    if (memchr(s, 0, size) == NULL) {
        char *z = malloc(size + 1);
        memcpy(z, s, size);
        z[size] = 0;
        struct urgency u;
        (void)nlp_urgency(z, &u);
        free(z);
    }
    return 0;
}
