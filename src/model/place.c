#include "model/place.h"

#include <string.h>

#include "util/str.h"
#include "util/banned.h"

/* the endings of a neighbourhood name, longest first; case as in the data */
static const char *const endings[] = {
    " Mahallesi", " MAHALLESİ", " Mah.", " MAH.", " Mah", " MAH"
};

void place_neighbourhood(const char *raw, enum place_form form, char *out, size_t len)
{
    if (!len)
        return;
    if (!raw)
        raw = "";
    size_t n = strlen(raw);
    while (n && raw[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof(endings) / sizeof(endings[0]); i++) {
        size_t e = strlen(endings[i]);
        if (n > e && memcmp(raw + n - e, endings[i], e) == 0) {
            size_t base = n - e;
            const char *suffix = form == PLACE_FULL ? " Mahallesi" : " Mah.";
            size_t s = strlen(suffix);
            if (base >= len)
                base = len - 1;
            memcpy(out, raw, base);
            out[base] = 0;
            if (base + s < len) {
                memcpy(out + base, suffix, s + 1);
            }
            return;
        }
    }
    str_copy(out, len, raw);
}
