/* alo153 version, user, token. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/auth.h"
#include "core/open311.h"
#include "core/rights.h"
#include "core/users.h"
#include "store/store.h"
#include "util/timeutil.h"
#include "util/banned.h"

#ifndef ALO153_VERSION
#define ALO153_VERSION "0.1.0"
#endif

int cmd_version(int argc, char **argv)
{
    (void)argc, (void)argv;
    printf("alo153 %s\n", ALO153_VERSION);
    return 0;
}

/* The role names from the one role table (model/role.h), separated by sep; only the roles
 * that belong to a department when in_department_only. */
static void print_roles(FILE *f, bool in_department_only, const char *sep)
{
    const char *before = "";
    for (int i = 0; i < ROLE__COUNT; i++) {
        const struct role_policy *p = role_policy((enum role)i);
        if (in_department_only && !p->in_department)
            continue;
        fprintf(f, "%s%s", before, p->name);
        before = sep;
    }
}

static void user_usage(FILE *f)
{
    fprintf(f, "usage: alo153 user add NAME --role ROLE [--department CODE] [--full-name TEXT]\n"
               "                       [--password-stdin] [--db FILE]\n"
               "       alo153 user list [--db FILE]\n"
               "       alo153 user passwd NAME [--password-stdin] [--db FILE]\n"
               "       alo153 user disable NAME [--db FILE]\n"
               "       alo153 user enable NAME [--db FILE]\n"
               "       alo153 user grant NAME --department CODE [--act] [--db FILE]\n"
               "       alo153 user revoke NAME --department CODE [--db FILE]\n"
               "       alo153 user grants NAME [--db FILE]\n"
               "roles: ");
    print_roles(f, false, " ");
    fprintf(f, " (");
    print_roles(f, true, " and ");
    fprintf(f, " need --department)\n"
               "Without --password-stdin the password is asked on the terminal.\n");
}

/* Read one line (the password) from stdin; no echo when it is a terminal. */
static bool read_password(char *buf, size_t len, bool from_stdin)
{
    struct termios old, quiet;
    bool tty = !from_stdin && isatty(STDIN_FILENO);
    if (tty) {
        fprintf(stderr, "password: ");
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    bool ok = fgets(buf, (int)len, stdin) != NULL;
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        fprintf(stderr, "\n");
    }
    if (ok)
        buf[strcspn(buf, "\r\n")] = '\0';
    return ok;
}

/* alo153 user grant|revoke|grants NAME: department grants (core/rights.h). */
static int user_grants(struct store *st, const char *sub, const struct user *u, const char *dept,
                       bool act)
{
    struct err_detail ed = { 0 };
    if (strcmp(sub, "grants") == 0) {
        struct grant *g = NULL;
        size_t n = 0;
        if (store_grant_list(st, u->id, &g, &n) != ERR_OK) {
            fprintf(stderr, "alo153 user grants: could not read them\n");
            return 1;
        }
        for (size_t i = 0; i < n; i++)
            printf("%-12s %s\n", g[i].department_code, g[i].act ? "read+act" : "read");
        free(g);
        return 0;
    }
    if (!dept) {
        fprintf(stderr, "alo153 user %s: --department CODE is required\n", sub);
        return EXIT_USAGE;
    }
    int rc = strcmp(sub, "grant") == 0 ? core_grant_set(st, u->id, dept, act, NULL, &ed)
                                       : core_grant_revoke(st, u->id, dept, &ed);
    if (rc != ERR_OK) {
        fprintf(stderr, "alo153 user %s: %s\n", sub, ed.message[0] ? ed.message : "failed");
        return 1;
    }
    printf("user %s: %s %s%s\n", u->username, sub, dept,
           strcmp(sub, "grant") == 0 ? (act ? " (read+act)" : " (read)") : "");
    return 0;
}

/* Long on purpose: one branch per subcommand (add, list, passwd, disable, enable), each a few lines
 * of option checks and one core call. */
int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
                                          { "department", required_argument, NULL, 'd' },
                                          { "full-name", required_argument, NULL, 'f' },
                                          { "password-stdin", no_argument, NULL, 'p' },
                                          { "db", required_argument, NULL, 'b' },
                                          { "act", no_argument, NULL, 'a' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *role = NULL, *dept = NULL, *full = NULL, *db = NULL;
    bool pw_stdin = false, act = false;
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'd': dept = optarg; break;
        case 'f': full = optarg; break;
        case 'p': pw_stdin = true; break;
        case 'b': db = optarg; break;
        case 'a': act = true; break;
        case 'h': user_usage(stdout); return 0;
        default: user_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        user_usage(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[optind];
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    bool needs_name = strcmp(sub, "list") != 0;
    if ((needs_name && !name) ||
        (strcmp(sub, "add") && strcmp(sub, "list") && strcmp(sub, "passwd") &&
         strcmp(sub, "disable") && strcmp(sub, "enable") && strcmp(sub, "grant") &&
         strcmp(sub, "revoke") && strcmp(sub, "grants"))) {
        user_usage(stderr);
        return EXIT_USAGE;
    }
    int r = -1;
    if (strcmp(sub, "add") == 0 && (!role || (r = role_parse(role)) < 0)) {
        fprintf(stderr, "alo153 user add: --role must be one of ");
        print_roles(stderr, false, " ");
        fputc('\n', stderr);
        return EXIT_USAGE;
    }
    if (strcmp(sub, "add") == 0 && role_policy((enum role)r)->in_department && !dept) {
        fprintf(stderr, "alo153 user add: staff and managers need --department CODE\n");
        return EXIT_USAGE;
    }
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 user: %s\n", ed.message);
        return 1;
    }
    struct user u = { 0 };
    char pw[AUTH_PASSWORD_MAX + 2];
    if (strcmp(sub, "list") == 0) {
        struct user *list = NULL;
        size_t n = 0;
        if (store_user_list(st, &list, &n) == ERR_OK) {
            printf("%-20s %-11s %-12s %-8s %s\n", "USERNAME", "ROLE", "DEPARTMENT", "STATE",
                   "NAME");
            for (size_t i = 0; i < n; i++)
                printf("%-20s %-11s %-12s %-8s %s\n", list[i].username, role_name(list[i].role),
                       list[i].department_code[0] ? list[i].department_code : "-",
                       list[i].disabled ? "disabled" : "active", list[i].full_name);
            free(list);
            rc = 0;
        }
        goto out;
    }
    if (strcmp(sub, "add") == 0) {
        /* the same rules as POST /api/v1/users */
        if (!read_password(pw, sizeof(pw), pw_stdin))
            pw[0] = '\0';
        struct user_input in = { .username = name,
                                 .full_name = full ? full : name,
                                 .role = role,
                                 .department = dept,
                                 .password = pw,
                                 .disabled = -1 };
        if (core_user_create(st, &in, &u, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 user add: %s\n", ed.message[0] ? ed.message : "failed");
            goto out;
        }
        printf("user %s added (%s%s%s)\n", u.username, role_name(u.role), dept ? ", " : "",
               dept ? dept : "");
        rc = 0;
        goto out;
    }
    if (store_user_by_name(st, name, &u, NULL, 0) != ERR_OK) {
        fprintf(stderr, "alo153 user %s: no user %s\n", sub, name);
        goto out;
    }
    if (strcmp(sub, "grant") == 0 || strcmp(sub, "revoke") == 0 || strcmp(sub, "grants") == 0) {
        rc = user_grants(st, sub, &u, dept, act);
        goto out;
    }
    struct user_input in = { .disabled =
                                 strcmp(sub, "passwd") == 0 ? -1 : strcmp(sub, "disable") == 0 };
    if (strcmp(sub, "passwd") == 0)
        in.password = read_password(pw, sizeof(pw), pw_stdin) ? pw : "";
    rc = core_user_update(st, u.id, &in, &u, &ed) == ERR_OK ? 0 : 1;
    if (rc != 0)
        fprintf(stderr, "alo153 user %s: %s\n", sub, ed.message[0] ? ed.message : "failed");
    if (rc == 0)
        printf("user %s: %s done\n", name, sub);
out:
    store_close(st);
    return rc;
}

/* alo153 token add NAME --open311: a GeoReport v2 api_key (core/open311.h), printed once. */
static int token_open311(const char *name, const char *db)
{
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    char key[O311_KEY_LEN];
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 token: %s\n", ed.message);
        return 1;
    }
    int rc = core_o311_key_new(st, name, key, &ed);
    store_close(st);
    if (rc != ERR_OK) {
        fprintf(stderr, "alo153 token: %s\n", ed.message[0] ? ed.message : "could not create it");
        return 1;
    }
    printf("%s\n", key);
    return 0;
}

static void token_usage(FILE *f)
{
    fprintf(f, "usage: alo153 token add NAME --role ROLE [--department CODE] [--expires 90d|DATE]\n"
               "                        [--db FILE]\n"
               "       alo153 token add NAME --open311 [--db FILE]\n"
               "       alo153 token list [--db FILE]\n"
               "       alo153 token revoke NAME|ID [--db FILE]\n"
               "Prints a bearer token for an integration (telephone exchange, CİMER, SMS),\n"
               "or with --open311 an Open311 GeoReport v2 api_key for a client app\n"
               "(docs/OPEN311.md). It is shown once; only its hash is stored. Without\n"
               "--expires it never expires (the list says so).\n");
}

/* A time for the token list: "-" for 0 (never / none). */
static const char *token_time(int64_t t, char buf[TIME_RFC3339_LEN])
{
    if (!t)
        return "-";
    time_format(t, buf);
    return buf;
}

static int token_list(struct store *st)
{
    struct api_token *v = NULL;
    size_t n = 0;
    char a[TIME_RFC3339_LEN], b[TIME_RFC3339_LEN], c[TIME_RFC3339_LEN];
    int64_t now = time_now();
    if (store_token_list(st, &v, &n) != ERR_OK) {
        fprintf(stderr, "alo153 token list: could not read the tokens\n");
        return 1;
    }
    printf("%-5s %-20s %-8s %-20s %-20s %s\n", "ID", "NAME", "STATE", "EXPIRES", "LAST USED",
           "CREATED");
    for (size_t i = 0; i < n; i++) {
        const char *state = v[i].revoked_at                             ? "revoked"
                            : v[i].expires_at && v[i].expires_at <= now ? "expired"
                                                                        : "active";
        printf("%-5lld %-20s %-8s %-20s %-20s %s\n", (long long)v[i].id, v[i].name, state,
               v[i].expires_at ? token_time(v[i].expires_at, a) : "never",
               token_time(v[i].last_used_at, b), token_time(v[i].created_at, c));
    }
    free(v);
    return 0;
}

/* Revoke a token by name or id. */
static int token_revoke(struct store *st, const char *which)
{
    struct api_token *v = NULL;
    size_t n = 0;
    int64_t id = 0;
    struct err_detail ed = { 0 };
    if (store_token_list(st, &v, &n) != ERR_OK) {
        fprintf(stderr, "alo153 token revoke: could not read the tokens\n");
        return 1;
    }
    for (size_t i = 0; i < n && !id; i++) {
        char num[24];
        snprintf(num, sizeof(num), "%lld", (long long)v[i].id);
        if (strcmp(v[i].name, which) == 0 || strcmp(num, which) == 0)
            id = v[i].id;
    }
    free(v);
    if (!id) {
        fprintf(stderr, "alo153 token revoke: no token %s\n", which);
        return 1;
    }
    if (core_token_revoke(st, id, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 token revoke: %s\n", ed.message[0] ? ed.message : "failed");
        return 1;
    }
    printf("token %s revoked\n", which);
    return 0;
}

int cmd_token(int argc, char **argv)
{
    static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
                                          { "department", required_argument, NULL, 'd' },
                                          { "db", required_argument, NULL, 'b' },
                                          { "open311", no_argument, NULL, 'o' },
                                          { "expires", required_argument, NULL, 'e' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *role = NULL, *dept = NULL, *db = NULL, *expires = NULL;
    bool open311 = false;
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'd': dept = optarg; break;
        case 'b': db = optarg; break;
        case 'o': open311 = true; break;
        case 'e': expires = optarg; break;
        case 'h': token_usage(stdout); return 0;
        default: token_usage(stderr); return EXIT_USAGE;
        }
    }
    if (open311 && !role && !dept && !expires && optind + 2 == argc &&
        strcmp(argv[optind], "add") == 0)
        return token_open311(argv[optind + 1], db);
    const char *sub = optind < argc ? argv[optind] : "";
    bool list = strcmp(sub, "list") == 0 && optind + 1 == argc;
    bool revoke = strcmp(sub, "revoke") == 0 && optind + 2 == argc;
    bool add = strcmp(sub, "add") == 0 && optind + 2 == argc && role && !open311;
    if (!list && !revoke && !add) {
        token_usage(stderr);
        return EXIT_USAGE;
    }
    int64_t expires_at = 0;
    if (add && !core_token_parse_expiry(expires, time_now(), &expires_at)) {
        fprintf(stderr, "alo153 token add: --expires takes a number of days (90d) or a future "
                        "date (YYYY-MM-DD)\n");
        return EXIT_USAGE;
    }
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 token: %s\n", ed.message);
        return 1;
    }
    if (list) {
        rc = token_list(st);
    } else if (revoke) {
        rc = token_revoke(st, argv[optind + 1]);
    } else {
        char secret[AUTH_TOKEN_LEN], when[TIME_RFC3339_LEN];
        struct api_token t;
        if (core_token_create(st, argv[optind + 1], role, dept, expires_at, secret, &t, &ed) !=
            ERR_OK) {
            fprintf(stderr, "alo153 token: %s\n", ed.message[0] ? ed.message : "failed");
        } else {
            printf("%s\n", secret);
            fprintf(stderr, "token %s (id %lld) expires %s\n", t.name, (long long)t.id,
                    t.expires_at ? token_time(t.expires_at, when) : "never");
            rc = 0;
        }
    }
    store_close(st);
    return rc;
}
