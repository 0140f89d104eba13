/* Truncation-checked string copies (util/str.h). */
#include "util/str.h"

#include <string.h>

#include "util/banned.h"

bool str_copy(char *dst, size_t n, const char *src)
{
    if (n == 0)
        return false;
    if (!src)
        src = "";
    size_t len = strlen(src);
    if (len < n) {
        memcpy(dst, src, len + 1);
        return true;
    }
    size_t cut = n - 1;
    /* back off over UTF-8 continuation bytes (10xxxxxx) to the start of the character that
     * did not fit, so the prefix ends on a whole character */
    while (cut > 0 && ((unsigned char)src[cut] & 0xC0) == 0x80)
        cut--;
    memcpy(dst, src, cut);
    dst[cut] = '\0';
    return false;
}
