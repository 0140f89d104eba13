/* http/proxy: the trusted proxy list (CIDR) and the forwarded client address. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "http/proxy.h"

static struct proxy_list list_of(const char *s)
{
    struct proxy_list l;
    char err[128];
    assert_true(proxy_list_parse(s, &l, err, sizeof(err)));
    return l;
}

static void test_cidr_v4(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.0/8, 192.168.1.7,172.16.0.0/12");
    assert_int_equal(l.n, 3);
    assert_true(proxy_list_contains(&l, "10.1.2.3"));
    assert_true(proxy_list_contains(&l, "10.255.255.255"));
    assert_false(proxy_list_contains(&l, "11.0.0.0"));
    assert_false(proxy_list_contains(&l, "9.255.255.255"));
    assert_true(proxy_list_contains(&l, "192.168.1.7"));
    assert_false(proxy_list_contains(&l, "192.168.1.8")); /* no /bits: one address */
    assert_true(proxy_list_contains(&l, "172.31.255.1"));
    assert_false(proxy_list_contains(&l, "172.32.0.1"));     /* /12 ends at 172.31 */
    assert_true(proxy_list_contains(&l, "::ffff:10.9.9.9")); /* IPv4-mapped on a dual stack */
    assert_false(proxy_list_contains(&l, "::a09:909"));      /* ::10.9.9.9 is not mapped */
    assert_false(proxy_list_contains(&l, "not-an-address"));
    assert_false(proxy_list_contains(&l, NULL));
    struct proxy_list odd = list_of("127.0.0.1/31");
    assert_true(proxy_list_contains(&odd, "127.0.0.0"));
    assert_true(proxy_list_contains(&odd, "127.0.0.1"));
    assert_false(proxy_list_contains(&odd, "127.0.0.2"));
    struct proxy_list all = list_of("0.0.0.0/0");
    assert_true(proxy_list_contains(&all, "203.0.113.9"));
    assert_false(proxy_list_contains(&all, "2001:db8::1")); /* all of IPv4, no IPv6 */
}

static void test_cidr_v6(void **state)
{
    (void)state;
    struct proxy_list l = list_of("2001:db8:cafe::/48,::1");
    assert_true(proxy_list_contains(&l, "2001:db8:cafe:1::17"));
    assert_true(proxy_list_contains(&l, "2001:DB8:CAFE::"));
    assert_false(proxy_list_contains(&l, "2001:db8:caff::1"));
    assert_true(proxy_list_contains(&l, "::1"));
    assert_false(proxy_list_contains(&l, "::2"));
    assert_false(proxy_list_contains(&l, "127.0.0.1"));
    struct proxy_list l2 = list_of("fe80::/10");
    assert_true(proxy_list_contains(&l2, "febf::1"));
    assert_false(proxy_list_contains(&l2, "fec0::1"));
}

static void test_cidr_bad(void **state)
{
    (void)state;
    struct proxy_list l;
    char err[128];
    const char *bad[] = { "10.0.0.0/33", "::/129",   "10.0.0/8", "10.0.0.0/",        "10.0.0.0/x",
                          "10.0.0.0/-1", "1.2.3.4,", ",1.2.3.4", "1.2.3.4,,5.6.7.8", "localhost",
                          "1.2.3.4/8/8", "[::1]",    NULL };
    for (int i = 0; bad[i]; i++) {
        err[0] = '\0';
        assert_false(proxy_list_parse(bad[i], &l, err, sizeof(err)));
        assert_int_equal(l.n, 0);
        assert_true(err[0] != '\0');
    }
    assert_true(proxy_list_parse("", &l, err, sizeof(err)));
    assert_int_equal(l.n, 0);
    assert_true(proxy_list_parse(NULL, &l, err, sizeof(err)));
    assert_int_equal(l.n, 0);
}

static void test_untrusted_ignored(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.1");
    struct proxy_result r;
    proxy_client(&l, "203.0.113.5", "for=1.1.1.1;proto=https", "2.2.2.2", "https", &r);
    assert_string_equal(r.client, "203.0.113.5");
    assert_false(r.https);
    assert_int_equal(r.source, PROXY_PEER);
    proxy_client(NULL, "::ffff:203.0.113.5", NULL, "2.2.2.2", NULL, &r); /* no list at all */
    assert_string_equal(r.client, "203.0.113.5");                        /* mapped → plain IPv4 */
    assert_int_equal(r.source, PROXY_PEER);
    proxy_client(&l, "10.0.0.1", NULL, NULL, NULL, &r); /* trusted, nothing forwarded */
    assert_string_equal(r.client, "10.0.0.1");
    assert_int_equal(r.source, PROXY_PEER);
}

static void test_xff(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.0/8");
    struct proxy_result r;
    proxy_client(&l, "10.0.0.1", NULL, "198.51.100.7", "https", &r);
    assert_string_equal(r.client, "198.51.100.7");
    assert_int_equal(r.source, PROXY_XFF);
    assert_true(r.https);
    /* the client's own claim on the left is not believed: right-most untrusted */
    proxy_client(&l, "10.0.0.1", NULL, "1.1.1.1, 198.51.100.7, 10.0.0.9", "http", &r);
    assert_string_equal(r.client, "198.51.100.7");
    assert_false(r.https);
    /* garbage sent by the client left of the real address does not matter */
    proxy_client(&l, "10.0.0.1", NULL, "x y z,198.51.100.7", NULL, &r);
    assert_string_equal(r.client, "198.51.100.7");
    assert_int_equal(r.source, PROXY_XFF);
    /* all trusted: the left-most */
    proxy_client(&l, "10.0.0.1", NULL, "10.0.0.3,10.0.0.2", NULL, &r);
    assert_string_equal(r.client, "10.0.0.3");
    /* IPv6, bracketed with a port, IPv4 with a port, canonical form */
    proxy_client(&l, "10.0.0.1", NULL, "2001:DB8:0:0::1", NULL, &r);
    assert_string_equal(r.client, "2001:db8::1");
    proxy_client(&l, "10.0.0.1", NULL, "[2001:db8::2]:4711", NULL, &r);
    assert_string_equal(r.client, "2001:db8::2");
    proxy_client(&l, "10.0.0.1", NULL, "192.0.2.1:5000", NULL, &r);
    assert_string_equal(r.client, "192.0.2.1");
    /* X-Forwarded-Proto: the right-most value counts */
    proxy_client(&l, "10.0.0.1", NULL, "192.0.2.1", "http, HTTPS ", &r);
    assert_true(r.https);
    proxy_client(&l, "10.0.0.1", NULL, "192.0.2.1", "https, http", &r);
    assert_false(r.https);
}

static void test_xff_malformed(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.0/8");
    struct proxy_result r;
    const char *bad[] = { "",     " ",      "unknown",  "198.51.100.7,",   "1.2.3.4.5",
                          "[::1", "[::1]x", "1.2.3.4:", "1.2.3.4 5.6.7.8", NULL };
    for (int i = 0; bad[i]; i++) {
        proxy_client(&l, "10.0.0.1", NULL, bad[i], "https", &r);
        assert_string_equal(r.client, "10.0.0.1");
        assert_int_equal(r.source, PROXY_MALFORMED);
        assert_true(r.https); /* the proxy's proto stands on its own */
    }
}

static void test_forwarded(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.0/8,2001:db8:ff::/48");
    struct proxy_result r;
    proxy_client(&l, "10.0.0.1", "for=192.0.2.60;proto=https;by=203.0.113.43", NULL, NULL, &r);
    assert_string_equal(r.client, "192.0.2.60");
    assert_true(r.https);
    assert_int_equal(r.source, PROXY_FORWARDED);
    /* Forwarded wins over X-Forwarded-For; case-insensitive names; quoted IPv6 with a port */
    proxy_client(&l, "10.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", "1.1.1.1", "https", &r);
    assert_string_equal(r.client, "2001:db8:cafe::17");
    assert_true(r.https); /* no proto in the element: X-Forwarded-Proto */
    /* chains: right-most not trusted, proto of that element */
    proxy_client(&l, "10.0.0.1",
                 "for=1.1.1.1;proto=https, for=192.0.2.43;proto=http, for=\"[2001:db8:ff::5]\"",
                 NULL, NULL, &r);
    assert_string_equal(r.client, "192.0.2.43");
    assert_false(r.https);
    proxy_client(&l, "10.0.0.1", "for=192.0.2.43,for=10.0.0.7;proto=https", NULL, NULL, &r);
    assert_string_equal(r.client, "192.0.2.43");
    assert_false(r.https);
    /* the peer must be trusted, not merely named */
    proxy_client(&l, "192.0.2.1", "for=192.0.2.43", NULL, NULL, &r);
    assert_string_equal(r.client, "192.0.2.1");
    assert_int_equal(r.source, PROXY_PEER);
}

static void test_forwarded_malformed(void **state)
{
    (void)state;
    struct proxy_list l = list_of("10.0.0.0/8");
    struct proxy_result r;
    const char *bad[] = { "",
                          "for=",
                          "for=unknown",
                          "for=_hidden",
                          "for=\"192.0.2.1",
                          "by=10.0.0.1",
                          "for=192.0.2.1;for=192.0.2.2",
                          "for=192.0.2.1,",
                          "for 192.0.2.1",
                          "for=192.0.2.1 junk",
                          "for=\"[2001:db8::1\"",
                          NULL };
    for (int i = 0; bad[i]; i++) {
        proxy_client(&l, "10.0.0.1", bad[i], "192.0.2.9", NULL, &r);
        assert_string_equal(r.client, "10.0.0.1");
        assert_int_equal(r.source, PROXY_MALFORMED);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cidr_v4),   cmocka_unit_test(test_cidr_v6),
        cmocka_unit_test(test_cidr_bad),  cmocka_unit_test(test_untrusted_ignored),
        cmocka_unit_test(test_xff),       cmocka_unit_test(test_xff_malformed),
        cmocka_unit_test(test_forwarded), cmocka_unit_test(test_forwarded_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
