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

/* Long on purpose: one branch per subcommand (add, list, passwd, disable, enable), each a few lines
 * of option checks and one core call. */
int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = { { "role", required_argument, NULL, 'r' },
                                          { "department", required_argument, NULL, 'd' },
                                          { "full-name", required_argument, NULL, 'f' },
                                          { "password-stdin", no_argument, NULL, 'p' },
                                          { "db", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *role = NULL, *dept = NULL, *full = NULL, *db = NULL;
    bool pw_stdin = false;
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'd': dept = optarg; break;
        case 'f': full = optarg; break;
        case 'p': pw_stdin = true; break;
        case 'b': db = optarg; break;
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
         strcmp(sub, "disable") && strcmp(sub, "enable"))) {
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

int cmd_token(int argc, char **argv)
{
    static const struct option opts[] = {
        { "role", required_argument, NULL, 'r' }, { "department", required_argument, NULL, 'd' },
        { "db", required_argument, NULL, 'b' },   { "open311", no_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },       { NULL, 0, NULL, 0 }
    };
    const char *role = NULL, *dept = NULL, *db = NULL;
    bool open311 = false;
    int c, rc = 1;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'd': dept = optarg; break;
        case 'b': db = optarg; break;
        case 'o': open311 = true; break;
        case 'h':
            printf("usage: alo153 token add NAME --role ROLE [--department CODE] [--db FILE]\n"
                   "       alo153 token add NAME --open311 [--db FILE]\n"
                   "Prints a bearer token for an integration (telephone exchange, CİMER, SMS),\n"
                   "or with --open311 an Open311 GeoReport v2 api_key for a client app\n"
                   "(docs/OPEN311.md). It is shown once; only its hash is stored.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    int r = 0;
    if (open311 && !role && !dept && optind + 2 == argc && strcmp(argv[optind], "add") == 0)
        return token_open311(argv[optind + 1], db);
    if (optind + 2 != argc || strcmp(argv[optind], "add") != 0 || !role || open311 ||
        (r = role_parse(role)) < 0) {
        fprintf(stderr, "usage: alo153 token add NAME --role ROLE [--department CODE]\n");
        return EXIT_USAGE;
    }
    const char *name = argv[optind + 1];
    struct err_detail ed = { 0 };
    struct store *st = NULL;
    if (store_open_existing(cli_db_path(db), &st, &ed) != ERR_OK) {
        fprintf(stderr, "alo153 token: %s\n", ed.message);
        return 1;
    }
    /* a token acts as a disabled-for-login user of its own, so history names the integration */
    struct user u = { 0 };
    struct department d;
    char token[AUTH_TOKEN_LEN], th[AUTH_TOKEN_LEN];
    snprintf(u.username, sizeof(u.username), "token.%s", name);
    snprintf(u.full_name, sizeof(u.full_name), "%s (API)", name);
    u.role = (enum role)r;
    u.created_at = time_now();
    if (dept) {
        if (store_department_by_code(st, dept, &d) != ERR_OK) {
            fprintf(stderr, "alo153 token: unknown department %s\n", dept);
            goto out;
        }
        u.department_id = d.id;
    }
    auth_new_token(token);
    auth_token_hash(token, th);
    /* the password hash "!" can never verify: the account cannot log in interactively */
    if (store_begin(st) != ERR_OK || store_user_create(st, &u, "!", &ed) != ERR_OK ||
        store_token_create(st, name, th, u.id) != ERR_OK || store_commit(st) != ERR_OK) {
        store_rollback(st);
        fprintf(stderr, "alo153 token: %s\n", ed.message[0] ? ed.message : "could not create it");
        goto out;
    }
    printf("%s\n", token);
    rc = 0;
out:
    store_close(st);
    return rc;
}
