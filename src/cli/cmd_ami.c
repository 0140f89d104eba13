/* alo153 ami: record the call and agent events of Asterisk's Manager Interface. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cti/ami.h"
#include "cti/ami_client.h"
#include "store/store.h"
#include "util/log.h"
#include "util/parse.h"
#include "util/banned.h"

static volatile sig_atomic_t ami_stop;

static void ami_on_signal(int sig)
{
    ami_stop = sig;
}

static void ami_usage(FILE *f)
{
    fprintf(f,
            "usage: alo153 ami --db FILE|URL --host HOST --port PORT --user USER --secret-file "
            "FILE\n"
            "                  [--agent-map FILE] [--once | --exit-after N] [--backoff-max S]\n"
            "\n"
            "Connects to Asterisk's Manager Interface (manager.conf; set timestampevents = yes),\n"
            "logs in and records queue, transfer, hangup and queue-member events as the call\n"
            "centre's telephony events, the same way as POST /api/v1/telephony/events. When the\n"
            "connection drops it reconnects, waiting 0.5 s, then twice as long each time, at\n"
            "most --backoff-max seconds (default 30). See docs/CONTACT_CENTRE.md.\n"
            "\n"
            "  --db FILE|URL      database (env ALO153_DB, default alo153.db)\n"
            "  --host HOST        Asterisk's address (default 127.0.0.1)\n"
            "  --port PORT        the AMI port (default 5038)\n"
            "  --user USER        the manager.conf user\n"
            "  --secret-file FILE its secret, on the file's first line (never on the command "
            "line)\n"
            "  --agent-map FILE   lines 'MEMBER USERNAME': a queue member (Interface or\n"
            "                     MemberName) to an alo153 user; others: MemberName = user name\n"
            "  --once             stop at the end of the first connection (for tests)\n"
            "  --exit-after N     stop at the end of the N-th connection attempt\n"
            "Stops on SIGTERM or SIGINT (logging off).\n");
}

/* The secret from the first line of path into buf; false (reported) when unreadable or empty.
 */
static bool read_secret(const char *path, char *buf, size_t n)
{
    FILE *f = fopen(path, "r");
    bool ok = f && fgets(buf, (int)n, f) != NULL;
    if (f)
        fclose(f);
    if (ok)
        buf[strcspn(buf, "\r\n")] = '\0';
    if (!ok || !buf[0]) {
        fprintf(stderr, "alo153 ami: cannot read a secret from %s\n", path);
        return false;
    }
    return true;
}

struct ami_args {
    const char *db, *secret_file, *map_file;
    struct ami_client_opts o;
};

/* Parse argv into a; -1 to go on, else the exit status. */
static int ami_parse(int argc, char **argv, struct ami_args *a)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "host", required_argument, NULL, 'H' },
                                          { "port", required_argument, NULL, 'p' },
                                          { "user", required_argument, NULL, 'u' },
                                          { "secret-file", required_argument, NULL, 's' },
                                          { "agent-map", required_argument, NULL, 'm' },
                                          { "once", no_argument, NULL, '1' },
                                          { "exit-after", required_argument, NULL, 'x' },
                                          { "backoff-max", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    int64_t port = 5038, exit_after = 0, backoff_max = 30;
    int c;
    memset(a, 0, sizeof(*a));
    a->o.host = "127.0.0.1";
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'H': a->o.host = optarg; break;
        case 'u': a->o.user = optarg; break;
        case 's': a->secret_file = optarg; break;
        case 'm': a->map_file = optarg; break;
        case '1': exit_after = 1; break;
        case 'p':
            if (!parse_i64(optarg, 1, 65535, &port)) {
                fprintf(stderr, "alo153 ami: --port must be 1..65535\n");
                return EXIT_USAGE;
            }
            break;
        case 'x':
            if (!parse_i64(optarg, 1, 1000000, &exit_after)) {
                fprintf(stderr, "alo153 ami: --exit-after must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        case 'b':
            if (!parse_i64(optarg, 1, 3600, &backoff_max)) {
                fprintf(stderr, "alo153 ami: --backoff-max must be 1..3600 seconds\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': ami_usage(stdout); return 0;
        default: ami_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc || !a->o.user || !a->secret_file) {
        fprintf(stderr, "alo153 ami: %s\n",
                optind < argc ? "unexpected argument (the secret goes in --secret-file)"
                              : "--user and --secret-file are required");
        ami_usage(stderr);
        return EXIT_USAGE;
    }
    a->db = cli_db_path(a->db);
    a->o.port = (int)port;
    a->o.exit_after = (int)exit_after;
    a->o.backoff_min_ms = 500;
    a->o.backoff_max_ms = (int)backoff_max * 1000;
    a->o.login_timeout_ms = 10000;
    return -1;
}

int cmd_ami(int argc, char **argv)
{
    struct ami_args a;
    int rc = ami_parse(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char secret[256];
    struct ami_agent_map map = { 0 };
    if (!read_secret(a.secret_file, secret, sizeof(secret)))
        return 1;
    if (a.map_file) {
        const char *why;
        int line;
        if (!ami_agent_map_load(a.map_file, &map, &why, &line)) {
            fprintf(stderr, "alo153 ami: %s:%d: %s\n", a.map_file, line, why);
            return 1;
        }
        a.o.map = &map;
    }
    a.o.secret = secret;
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open_existing(a.db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 ami: %s (run 'alo153 init --db %s' first)\n", ed.message, a.db);
        ami_agent_map_free(&map);
        return 1;
    }
    struct sigaction sa = { .sa_handler = ami_on_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    a.o.stop = &ami_stop;
    log_info("msg=\"ami starting\" host=%s port=%d user=%s db=%s agent_map=%zu", a.o.host, a.o.port,
             a.o.user, a.db, map.n);
    struct ami_stats s;
    rc = ami_client_run(st, &a.o, &s);
    if (ami_stop)
        log_info("msg=\"shutting down\" signal=%d", (int)ami_stop);
    log_info("msg=\"stopped\" attempts=%lu logins=%lu messages=%lu recorded=%lu duplicates=%lu "
             "ignored=%lu refused=%lu malformed=%lu",
             s.attempts, s.logins, s.messages, s.recorded, s.duplicates, s.ignored, s.refused,
             s.malformed);
    explicit_bzero(secret, sizeof(secret));
    store_close(st);
    ami_agent_map_free(&map);
    return rc;
}
