/* libFuzzer target: the API's JSON readers, in-process. The input's first byte picks one of the
 * handlers that take a JSON body (as the router would call it after authentication), the second
 * byte the caller's role and a path parameter, and the rest is the body, parsed by jansson as
 * the router does (a body that is not a JSON object is refused there and ends the run here).
 * The handler runs against a real SQLite database made by `alo153 init --demo --demo-size 20`
 * (FUZZ_DB, copied to a private file first; scripts/fuzz.sh makes it).
 * Promises checked: every answer is a 2xx or a 4xx (never a 5xx: bad input is the caller's
 * fault), its body is one JSON value, and an error answer has the documented shape
 * {"error":{"code","message"}}. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

struct target {
    api_handler fn;
    const char *params[2]; /* NULL: none; "#" = a small id from the input */
};

/* clang-format off */
static const struct target targets[] = {
    { h_citizen_create, { NULL } },         { h_app_create, { NULL } },
    { h_app_action, { "#", "accept" } },     { h_app_action, { "#", "respond" } },
    { h_app_action, { "#", "forward" } },    { h_app_action, { "#", "hold" } },
    { h_app_action, { "#", "close" } },      { h_app_action, { "#", "note" } },
    { h_app_link, { "#" } },                 { h_department_write, { NULL } },
    { h_category_write, { NULL } },          { h_district_create, { NULL } },
    { h_holiday_set, { NULL } },             { h_user_create, { NULL } },
    { h_user_update, { "#" } },              { h_settings_update, { NULL } },
    { h_classify, { NULL } },                { h_contact_create, { NULL } },
    { h_contact_close, { "#" } },            { h_telephony_events, { NULL } },
    { h_agent_state_set, { NULL } },         { h_kb_write, { NULL } },
    { h_public_create, { NULL } },           { h_session_create, { NULL } },
};
static const char *const users[] = { "admin", "supervisor", "agent", "desk", "fen", "fen.mudur" };
/* clang-format on */
#define NTARGETS (sizeof(targets) / sizeof(targets[0]))
#define NUSERS (sizeof(users) / sizeof(users[0]))

static struct api *api;
static struct store *st;
static struct user who[NUSERS + 1];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    const char *src = getenv("FUZZ_DB");
    static char db[64];
    char cmd[512];
    if (!src) {
        fprintf(stderr, "fuzz_api: FUZZ_DB (a database from alo153 init --demo) is not set\n");
        exit(2);
    }
    snprintf(db, sizeof(db), "/tmp/fuzz_api.%d.db", (int)getpid());
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", src, db);
    if (system(cmd) != 0)
        exit(2);
    log_set_level(LOG_ERROR + 1); /* quiet: every refused body would log */
    struct api_config cfg = { .db_path = db,
                              .session_hours = 12,
                              .public_rate_per_hour = 1000000,
                              .login_failures_per_hour = 1000000,
                              .tracking_failures_per_hour = 1000000,
                              .body_max = 1 << 20,
                              .upload_max = 1 << 20,
                              .threads = 2 };
    struct err_detail ed = { 0 };
    if (!(api = api_new(&cfg)) || store_open_existing(db, &st, &ed) != ERR_OK) {
        fprintf(stderr, "fuzz_api: cannot open %s: %s\n", db, ed.message);
        exit(2);
    }
    char hash[256];
    for (size_t i = 0; i < NUSERS; i++)
        if (store_user_by_name(st, users[i], &who[i], hash, sizeof(hash)) != ERR_OK) {
            fprintf(stderr, "fuzz_api: no demo user %s\n", users[i]);
            exit(2);
        }
    who[NUSERS] = who[0]; /* the exchange's token */
    who[NUSERS].role = ROLE_TELEPHONY;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const struct target *t = &targets[data[0] % NTARGETS];
    json_error_t jerr;
    json_t *body = json_loadb((const char *)data + 2, size - 2, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(body)) { /* the router answers 400 itself */
        json_decref(body);
        return 0;
    }
    struct http_request req = { .method = "POST", .path = "/api/v1/fuzz", .body = "" };
    strcpy(req.remote, "127.0.0.1");
    strcpy(req.peer, "127.0.0.1");
    struct http_response resp = { 0 };
    struct api_req r = { 0 };
    r.api = api;
    r.http = &req;
    r.resp = &resp;
    r.st = st;
    r.user = t->fn == h_telephony_events ? who[NUSERS] : who[data[1] % NUSERS];
    r.authed = true;
    r.body = body;
    for (int i = 0; i < 2 && t->params[i]; i++) {
        if (strcmp(t->params[i], "#") == 0)
            snprintf(r.param_buf[i], sizeof(r.param_buf[i]), "%d", 1 + (data[1] >> 4));
        else
            snprintf(r.param_buf[i], sizeof(r.param_buf[i]), "%s", t->params[i]);
        r.params[i] = r.param_buf[i];
    }
    static const struct api_mount v1 = { "/api/v1", NULL, 0, api_error, false };
    r.mount = &v1;
    t->fn(&r);
    store_rollback(st); /* as the router does after every request */
    json_decref(r.body);
    /* no routing model is loaded here: classify answers 503 model_unavailable, as it should */
    bool no_model = t->fn == h_classify && resp.status == 503;
    if (!(resp.status >= 200 && resp.status < 500) && !no_model) {
        fprintf(stderr, "fuzz_api: status %d: %s\n", resp.status,
                resp.body.buf ? resp.body.buf : "");
        abort();
    }
    if (resp.stream == NULL && resp.raw == NULL) {
        json_t *out =
            json_loadb(resp.body.buf ? resp.body.buf : "", resp.body.len, JSON_DECODE_ANY, &jerr);
        assert(out != NULL);
        if (resp.status >= 400) {
            json_t *e = json_object_get(out, "error");
            assert(json_is_string(json_object_get(e, "code")));
            assert(json_is_string(json_object_get(e, "message")));
        }
        json_decref(out);
    }
    free(resp.body.buf);
    for (int i = 0; i < resp.nheaders; i++)
        free(resp.headers[i].value);
    free(resp.raw);
    return 0;
}
