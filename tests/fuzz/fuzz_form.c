/* libFuzzer target: application/x-www-form-urlencoded bodies and query strings (http/form.h).
 * Checks the parser's own promises, not just "no crash": on success every name and value is
 * NUL-terminated valid UTF-8 with no NUL inside, there are at most FORM_MAX_FIELDS pairs, and
 * form_get/form_count agree with the list; on failure the form is left empty. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "http/form.h"
#include "nlp/turkish.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct form f = FORM_INIT;
    struct err_detail ed = { 0 };
    int rc = form_parse((const char *)data, size, &f, &ed);
    if (rc != ERR_OK) {
        assert(f.n == 0);
    } else {
        assert(f.n <= FORM_MAX_FIELDS);
        for (size_t i = 0; i < f.n; i++) {
            const char *n = f.fields[i].name, *v = f.fields[i].value;
            assert(n && v);
            assert(nlp_utf8_valid(n, strlen(n)) && nlp_utf8_valid(v, strlen(v)));
            assert(form_count(&f, n) >= 1);
            assert(form_get(&f, n) != NULL);
        }
    }
    form_release(&f);
    assert(f.n == 0);
    return 0;
}
