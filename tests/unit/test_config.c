/* The configuration file (cli/config.h): precedence, comments, and refusals with file:line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli/config.h"

static const char *const vars[] = { "ALO153_LISTEN",         "ALO153_DB",
                                    "ALO153_THREADS",        "ALO153_TLS_CERT",
                                    "ALO153_SECURE_COOKIES", "ALO153_LOG",
                                    "ALO153_SMTP_URL",       "ALO153_PUBLIC_RATE" };

static int clear_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        unsetenv(vars[i]);
    return 0;
}

static void expect_env(const char *name, const char *want)
{
    const char *got = getenv(name);
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void test_sets_unset_variables(void **state)
{
    (void)state;
    char err[700] = "";
    const char *text = "# alo153\n"
                       "\n"
                       "listen = 0.0.0.0:8153\n"
                       "  db=/var/lib/alo153/alo153.db  \r\n"
                       "\tthreads = 8\n"
                       "secure-cookies = yes\n"
                       "  # a comment after blanks\n"
                       "smtp-url = smtp://mail.example:25/#x\n"
                       "log = warn"; /* no newline at the end */
    assert_true(config_apply_text("a.conf", text, err, sizeof(err)));
    expect_env("ALO153_LISTEN", "0.0.0.0:8153");
    expect_env("ALO153_DB", "/var/lib/alo153/alo153.db");
    expect_env("ALO153_THREADS", "8");
    expect_env("ALO153_SECURE_COOKIES", "1");
    expect_env("ALO153_SMTP_URL", "smtp://mail.example:25/#x"); /* '#' inside a value stays */
    expect_env("ALO153_LOG", "warn");
}

static void test_environment_wins(void **state)
{
    (void)state;
    char err[700] = "";
    setenv("ALO153_LISTEN", "127.0.0.1:9000", 1);
    setenv("ALO153_THREADS", "", 1); /* empty counts as unset (as serve reads it) */
    assert_true(config_apply_text("a.conf", "listen = [::]:8153\nthreads = 2\ndb = x.db\n", err,
                                  sizeof(err)));
    expect_env("ALO153_LISTEN", "127.0.0.1:9000");
    expect_env("ALO153_THREADS", "2");
    expect_env("ALO153_DB", "x.db");
}

/* text must be refused with exactly want, and set nothing (not even its good lines) */
static void refused(const char *text, const char *want)
{
    char err[700] = "";
    assert_false(config_apply_text("/etc/alo153/alo153.conf", text, err, sizeof(err)));
    assert_string_equal(err, want);
    expect_env("ALO153_DB", NULL);
    expect_env("ALO153_LISTEN", NULL);
}

static void test_refusals(void **state)
{
    (void)state;
    refused("db = a.db\nlisten = 1.2.3.4:80\nthreds = 4\n",
            "/etc/alo153/alo153.conf:3: unknown key 'threds'");
    refused("db = a.db\nthreads = 65\n", "/etc/alo153/alo153.conf:2: 'threads' is not a number "
                                         "in range");
    refused("db = a.db\nthreads = 4x\n", "/etc/alo153/alo153.conf:2: 'threads' is not a number "
                                         "in range");
    refused("listen = 8153\n", "/etc/alo153/alo153.conf:1: 'listen' must be ADDR:PORT, e.g. "
                               "127.0.0.1:8153 or [::1]:8153");
    refused("db = a.db\n\ndb = b.db\n",
            "/etc/alo153/alo153.conf:3: 'db' is given twice (first on line 1)");
    refused("db = a.db\nlisten\n", "/etc/alo153/alo153.conf:2: expected 'key = value'");
    refused("db =\n", "/etc/alo153/alo153.conf:1: 'db' has no value");
    refused("secure-cookies = maybe\n",
            "/etc/alo153/alo153.conf:1: 'secure-cookies' must be yes or no");
    refused("log = verbose\n",
            "/etc/alo153/alo153.conf:1: 'log' must be debug, info, warn or error");
    refused("smtp-password = hunter2\n",
            "/etc/alo153/alo153.conf:1: unknown key 'smtp-password' (secrets are read only from "
            "files: smtp-credentials, imap-credentials, sms-config, whatsapp-secrets, tls-key "
            "name them)");
    refused("max_connections = 10\n", "/etc/alo153/alo153.conf:1: unknown key 'max_connections' "
                                      "(keys are the long options, with '-': e.g. "
                                      "max-connections)");
}

/* config_load: --config FILE is taken out of argv, the file is applied; a missing named
 * file is an error, a missing default file is not looked at when ALO153_CONFIG=none. */
static void test_load_from_argv(void **state)
{
    (void)state;
    char path[] = "/tmp/alo153-conf-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "db = from-file.db\npublic-rate = 7\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char a0[] = "serve", a1[] = "--listen", a2[] = "127.0.0.1:0", a3[] = "--config", a5[] = "-h";
    char *argv[] = { a0, a1, a2, a3, path, a5, NULL };
    int argc = 6;
    assert_int_equal(config_load(&argc, argv), 0);
    assert_int_equal(argc, 4);
    assert_string_equal(argv[2], "127.0.0.1:0");
    assert_string_equal(argv[3], "-h");
    assert_null(argv[4]);
    expect_env("ALO153_DB", "from-file.db");
    expect_env("ALO153_PUBLIC_RATE", "7");

    unsetenv("ALO153_DB");
    char eq[600];
    snprintf(eq, sizeof(eq), "--config=%s.missing", path);
    char *argv2[] = { a0, eq, NULL };
    argc = 2;
    assert_int_equal(config_load(&argc, argv2), 1);
    char *argv3[] = { a0, a3, NULL };
    argc = 2;
    assert_int_equal(config_load(&argc, argv3), 2);

    setenv("ALO153_CONFIG", path, 1);
    char *argv4[] = { a0, NULL };
    argc = 1;
    assert_int_equal(config_load(&argc, argv4), 0);
    expect_env("ALO153_DB", "from-file.db");
    unsetenv("ALO153_DB");
    setenv("ALO153_CONFIG", "none", 1);
    assert_int_equal(config_load(&argc, argv4), 0);
    expect_env("ALO153_DB", NULL);
    unsetenv("ALO153_CONFIG");
    unlink(path);
}

static void test_env_of(void **state)
{
    (void)state;
    assert_string_equal(config_env_of("trusted-proxy"), "ALO153_TRUSTED_PROXIES");
    assert_string_equal(config_env_of("session-idle"), "ALO153_SESSION_IDLE_MINUTES");
    assert_null(config_env_of("password"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sets_unset_variables, clear_env),
        cmocka_unit_test_setup(test_environment_wins, clear_env),
        cmocka_unit_test_setup(test_refusals, clear_env),
        cmocka_unit_test_setup(test_load_from_argv, clear_env),
        cmocka_unit_test_setup(test_env_of, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
