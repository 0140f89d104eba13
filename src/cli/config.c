/* The configuration file (config.h): check every line, then fill the unset variables. */
#include "cli/config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/banned.h"

enum kind { K_STR, K_PATH, K_INT, K_BOOL, K_ADDR, K_LOG, K_LOGFMT };

static const struct key {
    const char *key, *env;
    enum kind kind;
    int64_t lo, hi; /* K_INT */
} keys[] = {
    /* clang-format off */
    { "db",               "ALO153_DB",                   K_PATH, 0, 0 },
    { "listen",           "ALO153_LISTEN",               K_ADDR, 0, 0 },
    { "health-listen",    "ALO153_HEALTH_LISTEN",        K_ADDR, 0, 0 },
    { "web",              "ALO153_WEB",                  K_PATH, 0, 0 },
    { "models",           "ALO153_MODELS",               K_PATH, 0, 0 },
    { "threads",          "ALO153_THREADS",              K_INT,  1, 64 },
    { "handlers",         "ALO153_HANDLERS",             K_INT,  0, 64 },
    { "public-rate",      "ALO153_PUBLIC_RATE",          K_INT,  1, 1000000 },
    { "open311-rate",     "ALO153_OPEN311_RATE",         K_INT,  1, 1000000 },
    { "session-idle",     "ALO153_SESSION_IDLE_MINUTES", K_INT,  1, 720 },
    { "max-connections",  "ALO153_MAX_CONNECTIONS",      K_INT,  2, 100000 },
    { "max-per-address",  "ALO153_MAX_PER_ADDRESS",      K_INT,  0, 100000 },
    { "request-timeout",  "ALO153_REQUEST_TIMEOUT",      K_INT,  0, 86400 },
    { "min-rate",         "ALO153_MIN_RATE",             K_INT,  1, 1 << 30 },
    { "max-streams",      "ALO153_MAX_STREAMS",          K_INT,  1, 100000 },
    { "drain-seconds",    "ALO153_DRAIN_SECONDS",        K_INT,  0, 3600 },
    { "tls-cert",         "ALO153_TLS_CERT",             K_PATH, 0, 0 },
    { "tls-key",          "ALO153_TLS_KEY",              K_PATH, 0, 0 },
    { "trusted-proxy",    "ALO153_TRUSTED_PROXIES",      K_STR,  0, 0 },
    { "metrics-allow",    "ALO153_METRICS_ALLOW",        K_STR,  0, 0 },
    { "secure-cookies",   "ALO153_SECURE_COOKIES",       K_BOOL, 0, 0 },
    { "imap-url",         "ALO153_IMAP_URL",             K_STR,  0, 0 },
    { "imap-credentials", "ALO153_IMAP_CREDENTIALS",     K_PATH, 0, 0 },
    { "imap-interval",    "ALO153_IMAP_INTERVAL",        K_INT,  1, 86400 },
    { "smtp-url",         "ALO153_SMTP_URL",             K_STR,  0, 0 },
    { "mail-from",        "ALO153_MAIL_FROM",            K_STR,  0, 0 },
    { "smtp-credentials", "ALO153_SMTP_CREDENTIALS",     K_PATH, 0, 0 },
    { "sms-config",       "ALO153_SMS_CONFIG",           K_PATH, 0, 0 },
    { "whatsapp-secrets", "ALO153_WHATSAPP_SECRETS",     K_PATH, 0, 0 },
    { "geodata",          "ALO153_GEODATA",              K_PATH, 0, 0 },
    { "log",              "ALO153_LOG",                  K_LOG,  0, 0 },
    { "log-format",       "ALO153_LOG_FORMAT",           K_LOGFMT, 0, 0 },
    /* clang-format on */
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define LINE_MAX_LEN 4096

static const struct key *find_key(const char *k)
{
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(keys[i].key, k) == 0)
            return &keys[i];
    return NULL;
}

const char *config_env_of(const char *key)
{
    const struct key *k = find_key(key);
    return k ? k->env : NULL;
}

static bool one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

/* Check v for k; *out is what goes into the variable (v, or "1"/"0" for a switch). NULL when
 * fine, else the message. */
static const char *check_value(const struct key *k, const char *v, const char **out)
{
    static const char *const yes[] = { "1", "yes", "true", "on", NULL };
    static const char *const no[] = { "0", "no", "false", "off", NULL };
    static const char *const levels[] = { "debug", "info", "warn", "error", NULL };
    static const char *const formats[] = { "text", "json", NULL };
    int64_t n;
    *out = v;
    if (!*v)
        return "has no value";
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return "has a control character in its value";
    switch (k->kind) {
    case K_STR:
    case K_PATH: return NULL;
    case K_INT: return parse_i64(v, k->lo, k->hi, &n) ? NULL : "is not a number in range";
    case K_BOOL:
        if (one_of(v, yes))
            *out = "1";
        else if (one_of(v, no))
            *out = "0";
        else
            return "must be yes or no";
        return NULL;
    case K_ADDR: {
        const char *colon = strrchr(v, ':');
        if (!colon || colon == v || !parse_i64(colon + 1, 0, 65535, &n))
            return "must be ADDR:PORT, e.g. 127.0.0.1:8153 or [::1]:8153";
        return NULL;
    }
    case K_LOG: return one_of(v, levels) ? NULL : "must be debug, info, warn or error";
    case K_LOGFMT: return one_of(v, formats) ? NULL : "must be text or json";
    }
    return "is not understood";
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* The message for a key that is not ours: secrets get a pointer to their file keys. */
static void unknown_key(const char *name, int line, const char *k, char *err, size_t errlen)
{
    const char *hint = "";
    if (strstr(k, "password") || strstr(k, "secret") || strstr(k, "token"))
        hint = " (secrets are read only from files: smtp-credentials, imap-credentials, "
               "sms-config, whatsapp-secrets, tls-key name them)";
    else if (strchr(k, '_'))
        hint = " (keys are the long options, with '-': e.g. max-connections)";
    char msg[600];
    snprintf(msg, sizeof(msg), "%s:%d: unknown key '%.80s'%s", name, line, k, hint);
    str_copy(err, errlen, msg);
}

bool config_apply_text(const char *name, const char *text, char *err, size_t errlen)
{
    const char *val[NKEYS] = { 0 };
    int at[NKEYS] = { 0 };
    size_t tlen = strlen(text);
    char *copy = malloc(tlen + 1);
    if (!copy) {
        str_copy(err, errlen, "out of memory");
        return false;
    }
    memcpy(copy, text, tlen + 1);
    bool ok = true;
    char msg[600];
    int line = 0;
    for (char *p = copy; ok && *p;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        line++;
        size_t llen = strlen(p);
        char *s = trim(p);
        p = nl ? nl + 1 : p + llen;
        if (llen > LINE_MAX_LEN) {
            snprintf(msg, sizeof(msg), "%s:%d: line longer than %d bytes", name, line,
                     LINE_MAX_LEN);
            ok = false;
            break;
        }
        if (!*s || *s == '#')
            continue;
        char *eq = strchr(s, '=');
        if (!eq) {
            snprintf(msg, sizeof(msg), "%s:%d: expected 'key = value'", name, line);
            ok = false;
            break;
        }
        *eq = '\0';
        char *k = trim(s), *v = trim(eq + 1);
        const struct key *key = find_key(k);
        if (!key) {
            unknown_key(name, line, k, err, errlen);
            free(copy);
            return false;
        }
        size_t i = (size_t)(key - keys);
        if (at[i]) {
            snprintf(msg, sizeof(msg), "%s:%d: '%s' is given twice (first on line %d)", name, line,
                     key->key, at[i]);
            ok = false;
            break;
        }
        const char *out, *bad = check_value(key, v, &out);
        if (bad) {
            snprintf(msg, sizeof(msg), "%s:%d: '%s' %s", name, line, key->key, bad);
            ok = false;
            break;
        }
        at[i] = line;
        val[i] = out;
    }
    if (ok)
        for (size_t i = 0; i < NKEYS; i++) {
            const char *e = getenv(keys[i].env); /* empty counts as unset, as everywhere */
            if (val[i] && (!e || !*e))
                setenv(keys[i].env, val[i], 1);
        }
    if (!ok)
        str_copy(err, errlen, msg);
    free(copy);
    return ok;
}

/* Read path whole (NUL-terminated, caller frees); NULL with errno set on failure. */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (len < cap - 1) {
            if (ferror(f)) {
                free(buf);
                buf = NULL;
                errno = EIO;
            }
            break;
        }
        if (cap >= (1u << 20)) { /* 1 MiB of settings is not a configuration file */
            free(buf);
            buf = NULL;
            errno = EFBIG;
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

int config_load(int *argc, char **argv)
{
    const char *path = NULL;
    bool named = false;
    for (int i = 1; i < *argc;) {
        int drop = 0;
        if (strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= *argc) {
                fprintf(stderr, "alo153: --config needs a file name\n");
                return EXIT_USAGE;
            }
            path = argv[i + 1];
            drop = 2;
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            path = argv[i] + 9;
            drop = 1;
        } else if (strcmp(argv[i], "--") == 0) {
            break;
        }
        if (!drop) {
            i++;
            continue;
        }
        named = true;
        memmove(&argv[i], &argv[i + drop], sizeof(char *) * (size_t)(*argc - i - drop + 1));
        *argc -= drop;
    }
    if (!named) {
        const char *e = getenv("ALO153_CONFIG");
        if (e) {
            path = e;
            named = true;
        }
    }
    if (named && (!*path || strcmp(path, "none") == 0))
        return 0;
    if (!named)
        path = CONFIG_DEFAULT_PATH;
    char *text = read_all(path);
    if (!text) {
        if (!named && errno == ENOENT)
            return 0;
        fprintf(stderr, "alo153: cannot read the configuration file %s: %s\n", path,
                strerror(errno));
        return 1;
    }
    char err[700];
    bool ok = config_apply_text(path, text, err, sizeof(err));
    free(text);
    if (!ok) {
        fprintf(stderr, "alo153: %s\n", err);
        return EXIT_USAGE;
    }
    return 0;
}
