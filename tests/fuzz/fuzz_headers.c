/* libFuzzer target: values that come from outside in headers and fields: the proxy headers
 * (http/proxy.h: Forwarded, X-Forwarded-For, X-Forwarded-Proto behind a trusted peer, and the
 * trusted-list syntax) and the field validators (core/validate.h: phone, T.C. identity number,
 * e-mail, and their masks). The input is split on its first two 0x00 bytes into three parts.
 * Promises checked: the client address is canonical (proxy_addr_canon leaves it unchanged),
 * a valid phone normalises to "+90" and 10 digits, a valid T.C. number is 11 digits, masks keep
 * the length. */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/validate.h"
#include "http/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 3);
    memcpy(buf, data, size);
    buf[size] = buf[size + 1] = buf[size + 2] = 0;
    const char *a = buf, *b = a + strlen(a) + 1;
    if (b > buf + size)
        b = buf + size + 1;
    const char *c = b + strlen(b) + 1;
    if (c > buf + size + 1)
        c = buf + size + 2;

    static struct proxy_list trusted;
    static int ready;
    char err[128];
    if (!ready) {
        ready = proxy_list_parse("127.0.0.1, ::1, 10.0.0.0/8", &trusted, err, sizeof(err));
        assert(ready);
    }
    struct proxy_list l;
    (void)proxy_list_parse(a, &l, err, sizeof(err));
    struct proxy_result res;
    proxy_client(&trusted, "10.1.2.3", a, b, c, &res);
    char canon[PROXY_ADDR_MAX];
    assert(proxy_addr_canon(res.client, canon, sizeof(canon)) && strcmp(canon, res.client) == 0);
    proxy_client(&trusted, "192.0.2.1", a, b, c, &res); /* untrusted: its own address */
    assert(strcmp(res.client, "192.0.2.1") == 0 && res.source == PROXY_PEER);

    char phone[VALIDATE_PHONE_LEN], mask[VALIDATE_PHONE_LEN];
    if (validate_phone(a, phone)) {
        assert(strncmp(phone, "+90", 3) == 0 && strlen(phone) == 13);
        for (int i = 3; i < 13; i++)
            assert(isdigit((unsigned char)phone[i]));
        validate_phone_mask(phone, mask);
        assert(strlen(mask) == strlen(phone));
    }
    if (validate_tc(b)) {
        assert(strlen(b) == 11);
        char tm[12];
        validate_tc_mask(b, tm);
        assert(strlen(tm) == 11);
    }
    (void)validate_email(c);
    free(buf);
    return 0;
}
