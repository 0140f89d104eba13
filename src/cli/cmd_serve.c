/* alo153 serve: the API and the web console on one port, until SIGTERM/SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/config.h"
#include "http/proxy.h"
#include "cli/serve_jobs.h"
#include "cli/serve_outbox.h"
#include "cli/tc_key.h"
#include "core/app.h"
#include "core/routing.h"
#include "http/http.h"
#include "model/limits.h"
#include "nlp/turkish.h"
#include "store/store.h"
#include "util/log.h"
#include "util/str.h"
#include "util/parse.h"
#include "util/banned.h"

/* Where a package installs the web console (docs/DEPLOYMENT.md). */
#define SERVE_WEB_INSTALLED "/usr/share/alo153/web"

/* The files without which the console is a blank page: the page, its script, its library. */
static const char *const web_required[] = { "index.html", "app.js", "vendor/preact.module.js" };

/* Does dir hold the whole console? On false, *missing names the first file it lacks. */
static bool web_complete(const char *dir, const char **missing)
{
    char p[4200];
    for (size_t i = 0; i < sizeof(web_required) / sizeof(web_required[0]); i++) {
        int len = snprintf(p, sizeof(p), "%s/%s", dir, web_required[i]);
        if (len < 0 || (size_t)len >= sizeof(p) || access(p, R_OK) != 0) {
            *missing = web_required[i];
            return false;
        }
    }
    return true;
}

/* Find the web console for *web (buf of bufsz holds a folder found): the folder given (must be
 * complete), "none" (no console), else the installed path, ../web next to the binary, ./web (the
 * first that has index.html, which must then be complete). Returns 0, or 1 after a message on
 * stderr. */
static int serve_find_web(const char **web, char *buf, size_t bufsz)
{
    const char *missing = NULL;
    if (*web && strcmp(*web, "none") == 0) {
        *web = NULL;
        return 0;
    }
    if (*web && **web) {
        if (web_complete(*web, &missing))
            return 0;
        fprintf(stderr,
                "alo153 serve: the web console in '%s' is incomplete: %s is missing (run 'make "
                "setup' in the source tree, or give --web DIR; --web none serves only the API)\n",
                *web, missing);
        return 1;
    }
    char exe[4096], beside[4200];
    beside[0] = '\0';
    ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            int len = snprintf(beside, sizeof(beside), "%s/../web", exe);
            if (len < 0 || (size_t)len >= sizeof(beside))
                beside[0] = '\0';
        }
    }
    const char *candidates[] = { SERVE_WEB_INSTALLED, beside, "web" };
    for (size_t i = 0; i < sizeof(candidates) / sizeof(candidates[0]); i++) {
        char index[4300];
        if (!candidates[i][0])
            continue;
        int len = snprintf(index, sizeof(index), "%s/index.html", candidates[i]);
        if (len < 0 || (size_t)len >= sizeof(index) || access(index, R_OK) != 0)
            continue;
        if (!web_complete(candidates[i], &missing)) {
            fprintf(stderr,
                    "alo153 serve: the web console in '%s' is incomplete: %s is missing (run "
                    "'make setup' in the source tree, or give --web DIR; --web none serves only "
                    "the API)\n",
                    candidates[i], missing);
            return 1;
        }
        str_copy(buf, bufsz, candidates[i]);
        *web = buf;
        return 0;
    }
    fprintf(stderr,
            "alo153 serve: the web console's files were not found (looked in " SERVE_WEB_INSTALLED
            ", %s and ./web); give --web DIR, or --web none to serve only the API\n",
            beside[0] ? beside : "next to the binary");
    return 1;
}

static void serve_usage(FILE *f)
{
    fprintf(
        f, "usage: alo153 serve [--config FILE] [--db FILE] [--listen ADDR:PORT] [--web DIR]\n"
           "                    [--threads N] [...]\n"
           "\n"
           "  --config FILE      settings as 'key = value' lines, keys named like the long\n"
           "                     options below ('# ...' lines are comments; env ALO153_CONFIG,\n"
           "                     default " CONFIG_DEFAULT_PATH " when it exists; 'none' reads\n"
           "                     no file). Flags win over the environment, the environment\n"
           "                     over the file. An unknown key or a bad value stops serve with\n"
           "                     file:line. Secrets never go in it, only the files holding\n"
           "                     them (docs/OPERATIONS.md). Every command reads it.\n"
           "  --db FILE          database (env ALO153_DB, default alo153.db)\n"
           "  --listen ADDR:PORT address to listen on (env ALO153_LISTEN, default 127.0.0.1:8153;\n"
           "                     port 0 picks a free port, printed on stdout; IPv6 as\n"
           "                     [::1]:8153, or [::]:8153 for IPv6 and IPv4 alike)\n"
           "  --web DIR          the web console's files (env ALO153_WEB); by default the first\n"
           "                     of " SERVE_WEB_INSTALLED ", ../web next to the binary\n"
           "                     and ./web that holds them; 'none' serves only the API. serve\n"
           "                     refuses to start when the files are missing or incomplete\n"
           "  --threads N        HTTP threads, reading requests and sending answers (env\n"
           "                     ALO153_THREADS, default 4, 1..64)\n"
           "  --handlers N       threads that run requests (env ALO153_HANDLERS, default 32,\n"
           "                     on PostgreSQL 4; 0..64; 0 = the HTTP threads run them, one\n"
           "                     at a time each)\n"
           "  --public-rate N    web-form submissions per address per hour (env\n"
           "                     ALO153_PUBLIC_RATE, default 20)\n"
           "  --open311-rate N   Open311 POSTs per api_key per hour (default 600)\n"
           "  --session-idle MIN a console session ends after MIN minutes without a request\n"
           "                     (env ALO153_SESSION_IDLE_MINUTES, default 30, 1..720); each\n"
           "                     request moves the end on, never past 12 hours after login\n"
           "  --tc-key-file FILE the T.C. number key (env ALO153_TC_KEY_FILE, default DB.tc-key\n"
           "                     next to a SQLite file; docs/KVKK.md)\n"
           "  --models DIR       routing models (env ALO153_MODELS, default ./models); a new\n"
           "                     model from alo153 train is picked up without a restart\n"
           "\n"
           "Connection limits (against slow-connection attacks; a call centre behind one NAT\n"
           "address is many agents, so the per-address cap is generous):\n"
           "  --max-connections N     open connections in all (env ALO153_MAX_CONNECTIONS,\n"
           "                          default 1000)\n"
           "  --max-per-address N     open connections from one client address, 0 = no cap\n"
           "                          (env ALO153_MAX_PER_ADDRESS, default 200)\n"
           "  --request-timeout S     a request's headers must arrive within S seconds of the\n"
           "                          connection or of the previous answer, and its body within\n"
           "                          S more plus one second per --min-rate bytes; a trickle of\n"
           "                          bytes does not extend it; 0 = off (env\n"
           "                          ALO153_REQUEST_TIMEOUT, default 30)\n"
           "  --min-rate BYTES        slowest body transfer accepted, bytes per second (env\n"
           "                          ALO153_MIN_RATE, default 8192: 10 MiB within 21 minutes)\n"
           "  --max-streams N         live event streams (GET /api/v1/live, one per open\n"
           "                          console) at once; more get 503 (env ALO153_MAX_STREAMS,\n"
           "                          default 256; each holds a connection, not a thread)\n"
           "  --health-listen ADDR:PORT  also answer GET /healthz and /readyz, and only those, on\n"
           "                          this address with its own connections, which API clients\n"
           "                          cannot use up\n"
           "                          (env ALO153_HEALTH_LISTEN; off by default). Point load\n"
           "                          balancers and monitoring here.\n"
           "  --drain-seconds S       on SIGTERM, first answer GET /readyz with 503 for S seconds\n"
           "                          while still serving, so that load balancers move away\n"
           "                          (env ALO153_DRAIN_SECONDS, default 0; a second signal\n"
           "                          stops at once)\n"
           "Stops gracefully on SIGTERM or SIGINT, finishing requests in flight.\n");
    fprintf(f, "\n"
               "HTTPS and reverse proxies (docs/DEPLOYMENT.md):\n"
               "  --tls-cert FILE     PEM certificate chain: HTTPS only, TLS 1.2 or newer (env\n"
               "                      ALO153_TLS_CERT); needs --tls-key. SIGHUP reads both\n"
               "                      files again; open connections stay\n"
               "  --tls-key FILE      its unencrypted PEM private key (env ALO153_TLS_KEY)\n"
               "  --trusted-proxy CIDR[,CIDR...]  reverse proxies whose Forwarded or\n"
               "                      X-Forwarded-For (client address) and X-Forwarded-Proto\n"
               "                      are believed (env ALO153_TRUSTED_PROXIES); nobody else's\n"
               "  --metrics-allow CIDR[,CIDR...]  addresses that may GET /metrics (Prometheus)\n"
               "                      without an admin session (env ALO153_METRICS_ALLOW)\n"
               "  --secure-cookies    every request counts as HTTPS (Secure cookie, HSTS), for\n"
               "                      TLS ended in front without forwarding headers (env\n"
               "                      ALO153_SECURE_COOKIES=1)\n"
               "  --imap-url imaps://HOST/MAILBOX  poll this mailbox for e-mail applications\n"
               "                      (env ALO153_IMAP_URL; ALO153_IMAP_INTERVAL seconds, 60)\n"
               "  --imap-credentials FILE  its \"user:password\" (env ALO153_IMAP_CREDENTIALS)\n");
    fprintf(
        f, "\n"
           "Outgoing messages (docs/MESSAGES.md):\n"
           "  --smtp-url URL      smtp://host:port (STARTTLS when offered) or smtps://host:port\n"
           "                      for e-mail (env ALO153_SMTP_URL)\n"
           "  --mail-from ADDR    the sender address (env ALO153_MAIL_FROM)\n"
           "  --smtp-credentials FILE  user:password for SMTP (env ALO153_SMTP_CREDENTIALS)\n"
           "  --sms-config FILE   the SMS gateway: URL, method, body template, credentials,\n"
           "                      success pattern (env ALO153_SMS_CONFIG)\n"
           "  --whatsapp-config FILE  the WhatsApp Business Cloud API: base_url, phone_number_id,\n"
           "                      token_file (env ALO153_WHATSAPP_CONFIG)\n");
}

/* "ADDR:PORT" or "[IPV6]:PORT" → addr (addrlen bytes, brackets kept) and port; false when
 * malformed (an IPv6 address without brackets, whose port could not be told apart). */
static bool parse_listen(const char *s, char *addr, size_t addrlen, int64_t *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s || (size_t)(colon - s) >= addrlen ||
        !parse_i64(colon + 1, 0, 65535, port))
        return false;
    snprintf(addr, addrlen, "%.*s", (int)(colon - s), s);
    bool bracketed = addr[0] == '[' && addr[strlen(addr) - 1] == ']';
    return bracketed || !strchr(addr, ':');
}

/* A numeric setting from its flag or else its environment variable (v stays when neither). */
static bool num_setting(const char *flag_value, const char *env, int64_t lo, int64_t hi, int64_t *v)
{
    const char *s = flag_value ? flag_value : getenv(env);
    return !s || !*s || parse_i64(s, lo, hi, v);
}

const char *cli_db_path(const char *given)
{
    if (given)
        return given;
    const char *e = getenv("ALO153_DB");
    return e && *e ? e : "alo153.db";
}

bool cli_is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* What `serve` was asked for: the options, after the environment and the defaults. */
struct serve_opts {
    const char *db, *web, *models;
    char web_buf[4096]; /* the folder found for web */
    const char *tls_cert, *tls_key, *trusted_proxies, *metrics_allow;
    const char *tc_key; /* KVKK: --tc-key-file (cli/tc_key.h) */
    bool secure_cookies;
    char addr[64], haddr[64];
    int64_t port, hport;
    bool health;
    int64_t drain_s;      /* after SIGTERM: seconds of /readyz 503 before stopping */
    int64_t session_idle; /* minutes */
    struct limits lim;
};

#define SERVE_PG_HANDLERS 4 /* --handlers by default on PostgreSQL */

/* A numeric limit from its flag, else its environment variable, else as it is. */
static bool limit_setting(const char *flag_value, const char *env, int64_t lo, int64_t hi,
                          unsigned *v)
{
    int64_t x = *v;
    if (!num_setting(flag_value, env, lo, hi, &x))
        return false;
    *v = (unsigned)x;
    return true;
}

/* Parse the command line into o. Returns -1 to go on, else the exit status (usage, --help).
 * Long on purpose: one case per option, then the checks of their ranges.
 */
/* --open311-rate (0 = the api's default, core/open311.h O311_RATE_DEFAULT) */
static int64_t o311_rate;

static int serve_parse(int argc, char **argv, struct serve_opts *o)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "listen", required_argument, NULL, 'l' },
                                          { "web", required_argument, NULL, 'w' },
                                          { "threads", required_argument, NULL, 't' },
                                          { "handlers", required_argument, NULL, 1030 },
                                          { "public-rate", required_argument, NULL, 'r' },
                                          { "help", no_argument, NULL, 'h' },
                                          { "models", required_argument, NULL, 'm' },
                                          { "max-connections", required_argument, NULL, 'C' },
                                          { "max-per-address", required_argument, NULL, 'P' },
                                          { "request-timeout", required_argument, NULL, 'T' },
                                          { "min-rate", required_argument, NULL, 'R' },
                                          { "health-listen", required_argument, NULL, 'H' },
                                          { "max-streams", required_argument, NULL, 'S' },
                                          { "tls-cert", required_argument, NULL, 'c' },
                                          { "tls-key", required_argument, NULL, 'k' },
                                          { "trusted-proxy", required_argument, NULL, 'p' },
                                          { "metrics-allow", required_argument, NULL, 'M' },
                                          { "secure-cookies", no_argument, NULL, 's' },
                                          { "drain-seconds", required_argument, NULL, 'D' },
                                          /* issue 15: e-mail intake (cli/imap_poll.h) */
                                          { "imap-url", required_argument, NULL, 'I' },
                                          { "imap-credentials", required_argument, NULL, 'J' },
                                          { "open311-rate", required_argument, NULL, 'O' },
                                          { "smtp-url", required_argument, NULL, 1001 },
                                          { "mail-from", required_argument, NULL, 1002 },
                                          { "smtp-credentials", required_argument, NULL, 1003 },
                                          { "sms-config", required_argument, NULL, 1004 },
                                          { "whatsapp-config", required_argument, NULL, 1515 },
                                          { "session-idle", required_argument, NULL, 1010 },
                                          { "tc-key-file", required_argument, NULL, 1020 },
                                          { NULL, 0, NULL, 0 } };
    const char *listen = getenv("ALO153_LISTEN"), *health = getenv("ALO153_HEALTH_LISTEN");
    const char *max_conns_s = NULL, *per_addr_s = NULL, *req_timeout_s = NULL, *min_rate_s = NULL;
    const char *threads_s = getenv("ALO153_THREADS"), *streams_s = NULL, *drain_s = NULL;
    const char *idle_s = NULL, *handlers_s = NULL;
    int64_t rate = limits_default.public_rate_per_hour, min_rate;
    int c;
    /* outgoing messages (issue 15: cli/serve_outbox.h) */
    const char *smtp_url = getenv("ALO153_SMTP_URL"), *mail_from = getenv("ALO153_MAIL_FROM");
    const char *smtp_cred = getenv("ALO153_SMTP_CREDENTIALS"),
               *sms_cfg = getenv("ALO153_SMS_CONFIG");
    memset(o, 0, sizeof(*o));
    o->lim = limits_default;
    o->web = getenv("ALO153_WEB");
    o->tls_cert = getenv("ALO153_TLS_CERT");
    o->tls_key = getenv("ALO153_TLS_KEY");
    o->trusted_proxies = getenv("ALO153_TRUSTED_PROXIES");
    o->metrics_allow = getenv("ALO153_METRICS_ALLOW");
    const char *sc = getenv("ALO153_SECURE_COOKIES");
    o->secure_cookies = sc && strcmp(sc, "1") == 0;
    const char *rate_env = getenv("ALO153_PUBLIC_RATE"); /* also config key public-rate */
    if (rate_env && *rate_env && !parse_i64(rate_env, 1, 1000000, &rate)) {
        fprintf(stderr, "alo153 serve: ALO153_PUBLIC_RATE must be a positive number\n");
        return EXIT_USAGE;
    }
    const char *o311_env = getenv("ALO153_OPEN311_RATE");
    if (o311_env && *o311_env && !parse_i64(o311_env, 1, 1000000, &o311_rate)) {
        fprintf(stderr, "alo153 serve: ALO153_OPEN311_RATE must be a positive number\n");
        return EXIT_USAGE;
    }
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'l': listen = optarg; break;
        case 'w': o->web = optarg; break;
        case 'm': o->models = optarg; break;
        case 't': threads_s = optarg; break;
        case 1030: handlers_s = optarg; break;
        case 'C': max_conns_s = optarg; break;
        case 'P': per_addr_s = optarg; break;
        case 'T': req_timeout_s = optarg; break;
        case 'R': min_rate_s = optarg; break;
        case 'H': health = optarg; break;
        case 'S': streams_s = optarg; break;
        case 1010: idle_s = optarg; break;
        case 1020: o->tc_key = optarg; break;
        case 'c': o->tls_cert = optarg; break;
        case 'k': o->tls_key = optarg; break;
        case 'p': o->trusted_proxies = optarg; break;
        case 'M': o->metrics_allow = optarg; break;
        case 's': o->secure_cookies = true; break;
        case 'D': drain_s = optarg; break;
        case 'I': setenv("ALO153_IMAP_URL", optarg, 1); break;         /* read by serve_jobs */
        case 'J': setenv("ALO153_IMAP_CREDENTIALS", optarg, 1); break; /* read by serve_jobs */
        case 'O': /* Open311 POSTs per api_key and hour (issue 16) */
            if (!parse_i64(optarg, 1, 1000000, &o311_rate)) {
                fprintf(stderr, "alo153 serve: --open311-rate must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        case 1001: smtp_url = optarg; break;
        case 1002: mail_from = optarg; break;
        case 1003: smtp_cred = optarg; break;
        case 1004: sms_cfg = optarg; break;
        case 1515: setenv("ALO153_WHATSAPP_CONFIG", optarg, 1); break; /* read by serve_outbox */
        case 'r':
            if (!parse_i64(optarg, 1, 1000000, &rate)) {
                fprintf(stderr, "alo153 serve: --public-rate must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': serve_usage(stdout); return 0;
        default: serve_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alo153 serve: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    if (!serve_outbox_configure(smtp_url, mail_from, smtp_cred, sms_cfg))
        return EXIT_USAGE;
    o->lim.public_rate_per_hour = (int)rate;
    if (!listen || !*listen)
        listen = "127.0.0.1:8153";
    if (!parse_listen(listen, o->addr, sizeof(o->addr), &o->port)) {
        fprintf(stderr, "alo153 serve: --listen must be ADDR:PORT, e.g. 127.0.0.1:8153 or "
                        "[::1]:8153\n");
        return EXIT_USAGE;
    }
    o->health = health && *health;
    if (o->health && !parse_listen(health, o->haddr, sizeof(o->haddr), &o->hport)) {
        fprintf(stderr, "alo153 serve: --health-listen must be ADDR:PORT, e.g. 127.0.0.1:8154\n");
        return EXIT_USAGE;
    }
    struct proxy_list allow;
    char perr[128];
    if (!proxy_list_parse(o->metrics_allow, &allow, perr, sizeof(perr))) {
        fprintf(stderr, "alo153 serve: --metrics-allow: %s\n", perr);
        return EXIT_USAGE;
    }
    min_rate = (int64_t)o->lim.min_rate;
    if (!limit_setting(max_conns_s, "ALO153_MAX_CONNECTIONS", 2, 100000, &o->lim.max_conns) ||
        !limit_setting(per_addr_s, "ALO153_MAX_PER_ADDRESS", 0, 100000, &o->lim.max_per_address) ||
        !limit_setting(req_timeout_s, "ALO153_REQUEST_TIMEOUT", 0, 86400,
                       &o->lim.request_timeout) ||
        !num_setting(min_rate_s, "ALO153_MIN_RATE", 1, 1 << 30, &min_rate)) {
        fprintf(stderr, "alo153 serve: --max-connections (2..100000), --max-per-address "
                        "(0..100000), --request-timeout (0..86400 s) or --min-rate (bytes/s) "
                        "is out of range\n");
        return EXIT_USAGE;
    }
    o->lim.min_rate = (size_t)min_rate;
    if (!num_setting(drain_s, "ALO153_DRAIN_SECONDS", 0, 3600, &o->drain_s)) {
        fprintf(stderr, "alo153 serve: --drain-seconds must be 0..3600\n");
        return EXIT_USAGE;
    }
    o->session_idle = API_SESSION_IDLE_DEFAULT;
    if (!num_setting(idle_s, "ALO153_SESSION_IDLE_MINUTES", 1, 720, &o->session_idle)) {
        fprintf(stderr, "alo153 serve: --session-idle must be 1..720 minutes\n");
        return EXIT_USAGE;
    }
    if (!limit_setting(streams_s, "ALO153_MAX_STREAMS", 1, 100000, &o->lim.max_streams)) {
        fprintf(stderr, "alo153 serve: --max-streams must be 1..100000\n");
        return EXIT_USAGE;
    }
    if (threads_s && !limit_setting(threads_s, "-", 1, 64, &o->lim.threads)) {
        fprintf(stderr, "alo153 serve: --threads must be 1..64\n");
        return EXIT_USAGE;
    }
    if (!limit_setting(handlers_s, "ALO153_HANDLERS", 0, 64, &o->lim.handlers)) {
        fprintf(stderr, "alo153 serve: --handlers must be 0..64\n");
        return EXIT_USAGE;
    }
    if ((o->tls_cert && *o->tls_cert) != (o->tls_key && *o->tls_key)) {
        fprintf(stderr, "alo153 serve: --tls-cert and --tls-key go together\n");
        return EXIT_USAGE;
    }
    if (serve_find_web(&o->web, o->web_buf, sizeof(o->web_buf)) != 0)
        return 1;
    o->db = cli_db_path(o->db);
    /* Handler threads wait on SQLite's group commit together, so many make big batches. On
     * PostgreSQL each is a connection and a server process, and at 32 their creates queued
     * on the year's tracking row: 308 creates/s with 32 handlers, 634/s with 4 (bench/pg.sh,
     * one process, 32 connections; docs/PERFORMANCE.md). */
    const char *env_handlers = getenv("ALO153_HANDLERS");
    if (!handlers_s && !(env_handlers && *env_handlers) && o->db && store_is_url(o->db))
        o->lim.handlers = SERVE_PG_HANDLERS;
    return -1;
}

/* Open the database once: migrates an older schema, checks its pages (quick_check), proves
 * it usable, loads the holidays. */
static int serve_check_db(const char *db, const char *tc_key)
{
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    char prov[16];
    if (store_open(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s\n", ed.message);
        return 1;
    }
    /* a damaged file is not served: reads would fail and writes go into it (issue 12) */
    if (store_check(st, true, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s: %s; restore it from a backup\n", db, ed.message);
        store_close(st);
        return 1;
    }
    if (store_setting_get(st, "province", prov, sizeof(prov)) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s is not initialised; run 'alo153 init --db %s'\n", db, db);
        store_close(st);
        return 1;
    }
    /* KVKK (issue 12): the T.C. key loaded, plain numbers sealed, or no start (cli/tc_key.h) */
    if (!cli_tc_key_setup(st, db, tc_key, "alo153 serve")) {
        store_close(st);
        return 1;
    }
    core_calendar_reload(st);
    store_close(st);
    return 0;
}

/* The health listener: its own thread and connections, nothing but GET /healthz, short
 * deadlines; API clients, however many and however slow, cannot use these up. */
static struct http_server *serve_health(const struct serve_opts *o, struct api *api)
{
    char err[256];
    struct http_limits hl = { .body_max = 1024,
                              .max_streams = 1,
                              .url_max = 256,
                              .threads = 1,
                              .conn_timeout = 5,
                              .max_conns = 64,
                              .max_per_address = 0,
                              .request_timeout = 5,
                              .min_rate = 1024 };
    struct http_server *hsrv = http_server_start(
        o->haddr, (unsigned)o->hport, &hl, api_admit_health, api_dispatch, api, err, sizeof(err));
    if (!hsrv)
        fprintf(stderr, "alo153 serve: health listener: %s\n", err);
    else
        log_info("msg=\"health listening\" addr=%s port=%u", o->haddr, http_server_port(hsrv));
    return hsrv;
}

int cmd_serve(int argc, char **argv)
{
    struct serve_opts o;
    int rc = serve_parse(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if (serve_check_db(o.db, o.tc_key) != 0)
        return 1;
    const struct limits *lim = &o.lim;
    char err[256];

    /* workers inherit this mask, so only sigwait() below sees the signals */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP); /* reload the TLS certificate */
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct serve_jobs *jobs = serve_jobs_start(o.db, o.models); /* loads the routing model */
    if (!jobs)
        return 1;

    struct api_config cfg = { .db_path = o.db,
                              .session_hours = lim->session_hours,
                              .session_idle_minutes = (int)o.session_idle,
                              .public_rate_per_hour = lim->public_rate_per_hour,
                              .login_failures_per_hour = lim->login_failures_per_hour,
                              .tracking_failures_per_hour = lim->tracking_failures_per_hour,
                              .body_max = lim->body_max,
                              .upload_max = lim->upload_max,
                              .web_root = o.web,
                              .secure_cookies = o.secure_cookies,
                              .metrics_allow = o.metrics_allow,
                              .open311_rate_per_hour = (int)o311_rate,
                              .threads = lim->handlers ? lim->handlers : lim->threads };
    struct api *api = api_new(&cfg);
    if (!api) {
        fprintf(stderr, "alo153 serve: cannot set up the connection pool\n");
        serve_jobs_stop(jobs);
        return 1;
    }
    struct http_security sec = { .tls_cert = o.tls_cert,
                                 .tls_key = o.tls_key,
                                 .trusted_proxies = o.trusted_proxies,
                                 .force_secure = o.secure_cookies };
    struct http_limits hlim = { .body_max = lim->body_max,
                                .url_max = lim->url_max,
                                .threads = lim->threads,
                                .handlers = lim->handlers,
                                .conn_timeout = lim->idle_timeout,
                                .max_conns = lim->max_conns,
                                .max_per_address = lim->max_per_address,
                                .request_timeout = lim->request_timeout,
                                .min_rate = lim->min_rate,
                                .max_streams = lim->max_streams,
                                .security = &sec };
    struct http_server *srv = http_server_start(o.addr, (unsigned)o.port, &hlim, api_admit,
                                                api_dispatch, api, err, sizeof(err));
    struct http_server *hsrv = NULL;
    if (!srv)
        fprintf(stderr, "alo153 serve: %s\n", err);
    if (!srv || (o.health && !(hsrv = serve_health(&o, api)))) {
        http_server_stop(srv, 0);
        api_free(api);
        serve_jobs_stop(jobs);
        return 1;
    }
    log_info("msg=\"serving\" addr=%s port=%u db=%s web=%s threads=%u handlers=%u "
             "max_connections=%u "
             "max_per_address=%u request_timeout_s=%u min_rate=%zu",
             o.addr, http_server_port(srv), o.db, o.web ? o.web : "-", lim->threads, lim->handlers,
             lim->max_conns, lim->max_per_address, lim->request_timeout, lim->min_rate);
    if (o.trusted_proxies && *o.trusted_proxies) {
        log_info("msg=\"trusting forwarding headers\" from=\"%s\"", o.trusted_proxies);
        if (lim->max_per_address) /* the cap counts connections, whose peer is the proxy */
            log_warn("msg=\"behind a reverse proxy --max-per-address caps all of the proxy's "
                     "connections together; set it to 0 and cap per client in the proxy\" "
                     "max_per_address=%u",
                     lim->max_per_address);
    }
    printf("alo153 listening on %s://%s:%u/\n", http_server_tls(srv) ? "https" : "http", o.addr,
           http_server_port(srv));
    fflush(stdout);
    int sig = 0;
    for (;;) {
        sigwait(&sigs, &sig);
        if (sig != SIGHUP)
            break;
        if (!http_server_tls(srv)) {
            log_info("msg=\"SIGHUP: nothing to reload (TLS is off)\"");
        } else if (!http_server_reload_tls(srv, err, sizeof(err))) {
            log_error("msg=\"SIGHUP: the TLS certificate was not reloaded; the old one stays\" "
                      "error=\"%s\"",
                      err);
        } else {
            log_info("msg=\"SIGHUP: TLS certificate reloaded\"");
        }
    }
    if (o.drain_s > 0 && sig == SIGTERM) {
        /* /readyz says 503 from now on; serve on until the drain ends or another signal */
        api_set_draining(api);
        log_info("msg=\"draining\" seconds=%lld", (long long)o.drain_s);
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += o.drain_s;
        for (;;) {
            struct timespec now, left;
            clock_gettime(CLOCK_MONOTONIC, &now);
            left.tv_sec = until.tv_sec - now.tv_sec;
            left.tv_nsec = until.tv_nsec - now.tv_nsec;
            if (left.tv_nsec < 0)
                left.tv_sec--, left.tv_nsec += 1000000000L;
            if (left.tv_sec < 0)
                break;
            int got = sigtimedwait(&sigs, NULL, &left);
            if (got == SIGTERM || got == SIGINT)
                break;
        }
    }
    http_server_quiesce(srv);
    http_server_quiesce(hsrv);
    log_info("msg=\"shutting down\" signal=%d", sig);
    http_server_stop(srv, 10000);
    http_server_stop(hsrv, 1000);
    serve_jobs_stop(jobs);
    api_free(api);
    routing_shutdown();
    nlp_thread_cleanup();
    log_info("msg=\"stopped\"");
    return 0;
}
