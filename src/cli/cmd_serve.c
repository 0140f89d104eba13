/* alo153 serve: the API and the web console on one port, until SIGTERM/SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api.h"
#include "cli/cli.h"
#include "cli/serve_jobs.h"
#include "core/app.h"
#include "core/routing.h"
#include "http/http.h"
#include "nlp/turkish.h"
#include "store/store.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/banned.h"

static void serve_usage(FILE *f)
{
    fprintf(
        f, "usage: alo153 serve [--db FILE] [--listen ADDR:PORT] [--web DIR] [--threads N]\n"
           "\n"
           "  --db FILE          database (env ALO153_DB, default alo153.db)\n"
           "  --listen ADDR:PORT address to listen on (env ALO153_LISTEN, default 127.0.0.1:8153;\n"
           "                     port 0 picks a free port, printed on stdout)\n"
           "  --web DIR          static web console (env ALO153_WEB, default ./web if present)\n"
           "  --threads N        worker threads (env ALO153_THREADS, default 4)\n"
           "  --public-rate N    web-form submissions per address per hour (default 20)\n"
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
           "  --health-listen ADDR:PORT  also answer GET /healthz, and only that, on this address\n"
           "                          with its own connections, which API clients cannot use up\n"
           "                          (env ALO153_HEALTH_LISTEN; off by default). Point load\n"
           "                          balancers and monitoring here.\n"
           "Stops gracefully on SIGTERM or SIGINT, finishing requests in flight.\n");
}

/* "ADDR:PORT" → addr (addrlen bytes) and port; false when malformed. */
static bool parse_listen(const char *s, char *addr, size_t addrlen, int64_t *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= addrlen || !parse_i64(colon + 1, 0, 65535, port))
        return false;
    snprintf(addr, addrlen, "%.*s", (int)(colon - s), s);
    return true;
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

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "listen", required_argument, NULL, 'l' },
                                          { "web", required_argument, NULL, 'w' },
                                          { "threads", required_argument, NULL, 't' },
                                          { "public-rate", required_argument, NULL, 'r' },
                                          { "help", no_argument, NULL, 'h' },
                                          { "models", required_argument, NULL, 'm' },
                                          { "max-connections", required_argument, NULL, 'C' },
                                          { "max-per-address", required_argument, NULL, 'P' },
                                          { "request-timeout", required_argument, NULL, 'T' },
                                          { "min-rate", required_argument, NULL, 'R' },
                                          { "health-listen", required_argument, NULL, 'H' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *listen = getenv("ALO153_LISTEN"), *web = getenv("ALO153_WEB");
    const char *models = NULL, *health = getenv("ALO153_HEALTH_LISTEN");
    const char *max_conns_s = NULL, *per_addr_s = NULL, *req_timeout_s = NULL, *min_rate_s = NULL;
    int64_t max_conns = 1000, per_addr = 200, req_timeout = 30, min_rate = 8192, hport = 0;
    char haddr[64];
    const char *threads_s = getenv("ALO153_THREADS");
    int64_t threads = 4, port, rate = 20;
    char addr[64], err[256];
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'w': web = optarg; break;
        case 'm': models = optarg; break;
        case 't': threads_s = optarg; break;
        case 'C': max_conns_s = optarg; break;
        case 'P': per_addr_s = optarg; break;
        case 'T': req_timeout_s = optarg; break;
        case 'R': min_rate_s = optarg; break;
        case 'H': health = optarg; break;
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
    if (!listen || !*listen)
        listen = "127.0.0.1:8153";
    if (!parse_listen(listen, addr, sizeof(addr), &port)) {
        fprintf(stderr, "alo153 serve: --listen must be ADDR:PORT, e.g. 127.0.0.1:8153\n");
        return EXIT_USAGE;
    }
    if (health && *health && !parse_listen(health, haddr, sizeof(haddr), &hport)) {
        fprintf(stderr, "alo153 serve: --health-listen must be ADDR:PORT, e.g. 127.0.0.1:8154\n");
        return EXIT_USAGE;
    }
    if (!num_setting(max_conns_s, "ALO153_MAX_CONNECTIONS", 2, 100000, &max_conns) ||
        !num_setting(per_addr_s, "ALO153_MAX_PER_ADDRESS", 0, 100000, &per_addr) ||
        !num_setting(req_timeout_s, "ALO153_REQUEST_TIMEOUT", 0, 86400, &req_timeout) ||
        !num_setting(min_rate_s, "ALO153_MIN_RATE", 1, 1 << 30, &min_rate)) {
        fprintf(stderr, "alo153 serve: --max-connections (2..100000), --max-per-address "
                        "(0..100000), --request-timeout (0..86400 s) or --min-rate (bytes/s) "
                        "is out of range\n");
        return EXIT_USAGE;
    }
    if (threads_s && !parse_i64(threads_s, 1, 64, &threads)) {
        fprintf(stderr, "alo153 serve: --threads must be 1..64\n");
        return EXIT_USAGE;
    }
    if (!web && access("web/index.html", R_OK) == 0)
        web = "web";
    db = cli_db_path(db);

    /* open once here: migrates an older schema and proves the database is usable */
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    char prov[16];
    if (store_open(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s\n", ed.message);
        return 1;
    }
    if (store_setting_get(st, "province", prov, sizeof(prov)) != ERR_OK) {
        fprintf(stderr, "alo153 serve: %s is not initialised; run 'alo153 init --db %s'\n", db, db);
        store_close(st);
        return 1;
    }
    core_calendar_reload(st);
    store_close(st);

    /* workers inherit this mask, so only sigwait() below sees the signals */
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct serve_jobs *jobs = serve_jobs_start(db, models); /* loads the routing model */
    if (!jobs)
        return 1;

    struct api_config cfg = { .db_path = db,
                              .session_hours = 12,
                              .public_rate_per_hour = (int)rate,
                              .login_failures_per_hour = 30,
                              .body_max = 1 << 20,
                              .upload_max = 10 << 20,
                              .web_root = web,
                              .threads = (unsigned)threads };
    struct api *api = api_new(&cfg);
    if (!api) {
        fprintf(stderr, "alo153 serve: cannot set up the connection pool\n");
        serve_jobs_stop(jobs);
        return 1;
    }
    struct http_limits limits = { .body_max = 1 << 20,
                                  .url_max = 4096,
                                  .threads = (unsigned)threads,
                                  .conn_timeout = 30,
                                  .max_conns = (unsigned)max_conns,
                                  .max_per_address = (unsigned)per_addr,
                                  .request_timeout = (unsigned)req_timeout,
                                  .min_rate = (size_t)min_rate };
    struct http_server *srv = http_server_start(addr, (unsigned)port, &limits, api_admit,
                                                api_dispatch, api, err, sizeof(err));
    if (!srv) {
        fprintf(stderr, "alo153 serve: %s\n", err);
        api_free(api);
        serve_jobs_stop(jobs);
        return 1;
    }
    /* the health listener: its own thread and connections, nothing but GET /healthz, short
     * deadlines; API clients, however many and however slow, cannot use these up */
    struct http_server *hsrv = NULL;
    if (health && *health) {
        struct http_limits hl = { .body_max = 1024,
                                  .url_max = 256,
                                  .threads = 1,
                                  .conn_timeout = 5,
                                  .max_conns = 64,
                                  .max_per_address = 0,
                                  .request_timeout = 5,
                                  .min_rate = 1024 };
        hsrv = http_server_start(haddr, (unsigned)hport, &hl, api_admit_health, api_dispatch, api,
                                 err, sizeof(err));
        if (!hsrv) {
            fprintf(stderr, "alo153 serve: health listener: %s\n", err);
            http_server_stop(srv, 0);
            api_free(api);
            serve_jobs_stop(jobs);
            return 1;
        }
        log_info("msg=\"health listening\" addr=%s port=%u", haddr, http_server_port(hsrv));
    }
    log_info("msg=\"serving\" addr=%s port=%u db=%s web=%s threads=%lld max_connections=%lld "
             "max_per_address=%lld request_timeout_s=%lld min_rate=%lld",
             addr, http_server_port(srv), db, web ? web : "-", (long long)threads,
             (long long)max_conns, (long long)per_addr, (long long)req_timeout,
             (long long)min_rate);
    printf("alo153 listening on http://%s:%u/\n", addr, http_server_port(srv));
    fflush(stdout);
    int sig = 0;
    sigwait(&sigs, &sig);
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
