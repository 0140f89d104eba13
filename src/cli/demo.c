/* init --demo: users for every role and a few thousand realistic applications spread over
 * the past six months, moved through the lifecycle as a real centre would, so every screen
 * and report has something to show. Deterministic for a given seed. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/users.h"
#include "store/store.h"
#include "util/rng.h"
#include "util/strbuf.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define DEMO_PASSWORD "alo153demo"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    return rng_next(&rng_state);
}

static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static bool chance(int percent)
{
    return pick(100) < percent;
}

struct demo_user {
    const char *username, *full_name, *role, *dept;
};

static const struct demo_user demo_users[] = {
    { "admin", "Sistem Yöneticisi", "admin", NULL },
    { "supervisor", "Ayşe Yılmaz (Süpervizör)", "supervisor", NULL },
    { "agent", "Mehmet Kaya (Çağrı Karşılama)", "agent", NULL },
    { "desk", "Zeynep Demir (Beyaz Masa)", "desk", NULL },
    { "fen", "Ali Çelik (Fen İşleri)", "staff", "FEN" },
    { "fen.mudur", "Hasan Şahin (Fen İşleri Müdürü)", "manager", "FEN" },
    { "zabita", "Emine Arslan (Zabıta)", "staff", "ZABITA" },
    { "cevre", "Murat Öztürk (Çevre)", "staff", "CEVRE" },
    { "kvkk", "Deniz Aksoy (Veri Koruma Görevlisi)", "dpo", NULL }, /* KVKK (issue 12) */
};

/* Corpus texts by category, when data/corpus is present (from the routing issue). */
struct text_bank {
    char **text;
    char **cat;
    size_t n, cap;
};

static void bank_load(struct text_bank *b, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512], line[4096];
    if (!d)
        return;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".tsv") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "r");
        while (f && fgets(line, sizeof(line), f)) {
            line[strcspn(line, "\r\n")] = '\0';
            char *tab = strchr(line, '\t');
            if (!tab || tab == line)
                continue;
            *tab = '\0';
            char *cat = tab + 1;
            cat[strcspn(cat, "\t")] = '\0';
            if (b->n == b->cap) {
                b->cap = b->cap ? b->cap * 2 : 1024;
                b->text = xrealloc(b->text, b->cap * sizeof(char *));
                b->cat = xrealloc(b->cat, b->cap * sizeof(char *));
            }
            b->text[b->n] = xstrdup(line);
            b->cat[b->n++] = xstrdup(cat);
        }
        if (f)
            fclose(f);
    }
    closedir(d);
}

static void bank_free(struct text_bank *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->text[i]);
        free(b->cat[i]);
    }
    free(b->text);
    free(b->cat);
}

static const char *bank_pick(struct text_bank *b, const char *cat)
{
    size_t count = 0;
    for (size_t i = 0; i < b->n; i++)
        count += strcmp(b->cat[i], cat) == 0;
    if (!count)
        return NULL;
    size_t k = (size_t)pick((int)count);
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->cat[i], cat) == 0 && k-- == 0)
            return b->text[i];
    return NULL;
}

static const char *const first_names[] = { "Ahmet", "Mehmet",  "Mustafa", "Fatma",   "Ayşe",
                                           "Emine", "Hatice",  "Hüseyin", "İbrahim", "Zeynep",
                                           "Elif",  "Yusuf",   "Ömer",    "Şükrü",   "Gülsüm",
                                           "Kadir", "Ramazan", "Merve",   "Osman",   "Sevgi" };
static const char *const last_names[] = { "Yılmaz", "Kaya",   "Demir", "Çelik",   "Şahin",
                                          "Yıldız", "Öztürk", "Aydın", "Özdemir", "Arslan",
                                          "Doğan",  "Kılıç",  "Aslan", "Çetin",   "Kara",
                                          "Koç",    "Kurt",   "Özkan", "Şimşek",  "Erciyes" };

struct geo {
    int64_t district, nbs[400];
    int nnb;
};

struct geo_ctx {
    struct store *st;
    struct geo *g;
    int n;
};

static int geo_nb(void *ctx, int64_t id, const char *name)
{
    struct geo *g = ctx;
    (void)name;
    if (g->nnb < 400)
        g->nbs[g->nnb++] = id;
    return 0;
}

static int geo_district(void *ctx, int64_t id, const char *name, const char *province)
{
    struct geo_ctx *c = ctx;
    (void)name, (void)province;
    if (c->n >= 40)
        return 1;
    c->g[c->n].district = id;
    c->g[c->n].nnb = 0;
    c->n++;
    return 0;
}

/* Channel mix of a metropolitan centre: mostly the 153 line. */
static const char *pick_channel(void)
{
    int p = pick(100);
    return p < 58   ? "phone_153"
           : p < 66 ? "desk"
           : p < 78 ? "web"
           : p < 83 ? "mobile_app"
           : p < 88 ? "cimer"
           : p < 92 ? "whatsapp"
           : p < 95 ? "email"
           : p < 97 ? "mobile_desk"
                    : "phone_alt";
}

static const char *pick_kind(void)
{
    int p = pick(100);
    return p < 62   ? "request"
           : p < 85 ? "complaint"
           : p < 90 ? "information"
           : p < 95 ? "suggestion"
           : p < 98 ? "tip"
                    : "thanks";
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int act(struct store *st, const struct user *u, int64_t id, enum app_action a,
               const struct act_input *in)
{
    struct app out;
    struct err_detail ed = { 0 };
    int rc = core_app_act(st, u, id, a, in, &out, &ed);
    if (rc == ERR_OK)
        app_release(&out);
    return rc;
}

/* Take application a through its life as a centre would have by now (random, seeded): left
 * new, out of scope, routed (sometimes returned and rerouted), accepted, answered in time or
 * late, closed. Returns true when it was answered. */
static bool demo_lifecycle(struct store *st, const struct app *a, const struct category *cat,
                           const struct user *front, const struct user *sup, const struct user *fen,
                           int64_t t0, int64_t now)
{
    int64_t age = now - t0, t = t0 + 60 + pick(600);
    struct act_input ai = { 0 };
    const struct user *worker = strcmp(cat->department_code, "FEN") == 0 ? fen : sup;
    bool is_dis = strcmp(cat->department_code, "DIS") == 0;
    if (age < 3600 * 2 && chance(60)) {
        return false; /* still new: waiting at the desk */
    }
    if (is_dis) {
        ai.at = t;
        act(st, front, a->id, ACT_OUT_OF_SCOPE, &ai);
        return false;
    }
    ai.at = t;
    if (act(st, front, a->id, ACT_ROUTE, &ai) != ERR_OK) {
        return false;
    }
    if (chance(4)) { /* misrouted: the department returns it, the desk reroutes */
        struct act_input rt = { .note = "Birimimizin konusu değil, ilgili birime "
                                        "yönlendiriniz.",
                                .at = t + 3600 * 3 };
        if (act(st, sup, a->id, ACT_RETURN, &rt) == ERR_OK) {
            struct act_input rr = { .at = t + 3600 * 5 };
            act(st, front, a->id, ACT_ROUTE, &rr);
            t += 3600 * 5;
        }
    }
    int64_t accept_at = t + 1800 + pick(3 * 86400);
    if (accept_at > now || (age < 86400 * 3 && chance(50))) {
        return false; /* forwarded, not yet accepted */
    }
    ai.at = accept_at;
    if (act(st, worker, a->id, ACT_ACCEPT, &ai) != ERR_OK) {
        return false;
    }
    if (chance(8)) {
        struct act_input note = { .note = "Ekip yönlendirildi, yerinde inceleme yapılacak.",
                                  .at = accept_at + 3600 };
        act(st, worker, a->id, ACT_NOTE, &note);
    }
    int64_t sla =
        a->resolution_due > a->forwarded_at ? a->resolution_due - a->forwarded_at : 5 * 86400;
    /* most are answered in time, some late */
    int64_t respond_at =
        accept_at + (chance(88) ? (int64_t)(rnd() % (uint64_t)(sla > 3600 ? sla : 3600))
                                : sla + (int64_t)(rnd() % (uint64_t)(7 * 86400)));
    if (respond_at > now) {
        return false; /* still in progress */
    }
    static const char *const answers[] = {
        "Talebiniz ekiplerimizce yerinde incelenmiş ve gerekli çalışma tamamlanmıştır. "
        "Bilgilerinize sunarız.",
        "Başvurunuz değerlendirilmiş, ilgili çalışma iş programına alınmıştır.",
        "Bildirdiğiniz sorun giderilmiştir. Duyarlılığınız için teşekkür ederiz.",
        "Konu ile ilgili ekiplerimiz bölgeye sevk edilmiş ve gereği yapılmıştır.",
    };
    struct act_input rs = { .response = answers[pick(4)], .at = respond_at };
    if (act(st, worker, a->id, ACT_RESPOND, &rs) != ERR_OK) {
        return false;
    }
    int64_t close_at = respond_at + 3600 + pick(2 * 86400);
    if (close_at < now && chance(92)) {
        struct act_input cl = { .at = close_at };
        act(st, front, a->id, ACT_CLOSE, &cl);
    }
    return true;
}

/* The demo's logins (demo_users), all with the password hashed once in hash; users[i] is
 * demo_users[i] (an existing one is kept). Returns 0, or -1 after saying why. */
static int demo_add_users(struct store *st, const char *hash, struct user *users)
{
    struct err_detail ed = { 0 };
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
        const struct demo_user *d = &demo_users[i];
        struct user *u = &users[i];
        if (store_user_by_name(st, d->username, u, NULL, 0) == ERR_OK)
            continue;
        struct user_input in = { .username = d->username,
                                 .full_name = d->full_name,
                                 .role = d->role,
                                 .department = d->dept,
                                 .password_hash = hash,
                                 .disabled = -1 };
        if (core_user_create(st, &in, u, &ed) != ERR_OK) {
            fprintf(stderr, "alo153 init --demo: cannot add user %s: %s\n", d->username,
                    ed.message);
            return -1;
        }
    }
    return 0;
}

int cli_demo(struct store *st, int n, unsigned seed)
{
    struct user users[sizeof(demo_users) / sizeof(demo_users[0])];
    struct category *cats = NULL;
    size_t ncat = 0;
    struct text_bank bank = { 0 };
    struct geo *geos = xcalloc(40, sizeof(struct geo));
    struct geo_ctx gc = { st, geos, 0 };
    struct err_detail ed = { 0 };
    char hash[AUTH_HASH_LEN];
    int rc = 1, made = 0;
    int64_t now = time_now();

    rng_state = 0x9E3779B97F4A7C15ull ^ seed;
    if (!auth_hash_password(DEMO_PASSWORD, hash))
        goto out;
    if (demo_add_users(st, hash, users) != 0)
        goto out;
    const struct user *agent = &users[2], *desk = &users[3], *sup = &users[1], *fen = &users[4];
    if (store_category_list(st, NULL, &cats, &ncat) != ERR_OK || !ncat)
        goto out;
    store_district_each(st, geo_district, &gc);
    for (int i = 0; i < gc.n; i++)
        store_neighbourhood_each(st, geos[i].district, geo_nb, &geos[i]);
    bank_load(&bank, "data/corpus");

    /* creation times, oldest first, so tracking numbers grow with time */
    int64_t *times = xmalloc((size_t)(n > 0 ? n : 1) * sizeof(int64_t));
    for (int i = 0; i < n; i++)
        times[i] = now - 180 * 86400 + (int64_t)(rnd() % (uint64_t)(180 * 86400 - 600));
    qsort(times, (size_t)n, sizeof(int64_t), cmp_i64);
    int64_t citizens[300];
    int ncit = 0;
    store_begin(st);
    for (int i = 0; i < n; i++) {
        const struct category *cat = &cats[pick((int)ncat)];
        /* the common topics come more often: roads, garbage, buses, water */
        if (chance(45)) {
            static const char *const common[] = {
                "FEN_YOL_CUKUR", "CEV_COP_TOPLAMA", "ULA_OTOBUS_SEFER", "SU_ARIZA",   "FEN_KAR",
                "ULA_KART",      "VET_SAHIPSIZ",    "PARK_BAKIM",       "ZAB_SEYYAR", "SU_KESINTI"
            };
            const char *code = common[pick(10)];
            for (size_t k = 0; k < ncat; k++)
                if (strcmp(cats[k].code, code) == 0)
                    cat = &cats[k];
        }
        struct geo *g = gc.n ? &geos[pick(gc.n)] : NULL;
        int64_t t0 = times[i];
        struct citizen c = { 0 };
        struct app_input in = { 0 };
        struct app a;
        char textbuf[512];
        const char *text = bank_pick(&bank, cat->code);
        if (!text) {
            snprintf(textbuf, sizeof(textbuf),
                     "%s hakkında başvuru: vatandaş ilgilenilmesini "
                     "rica ediyor.",
                     cat->name_tr);
            text = textbuf;
        }
        in.kind = pick_kind();
        in.channel = pick_channel();
        in.text = text;
        in.category = cat->code;
        in.created_at = t0;
        if (g && g->nnb) {
            in.district_id = g->district;
            in.neighbourhood_id = g->nbs[pick(g->nnb)];
        }
        if (chance(70)) {
            if (ncit > 20 && chance(15)) {
                in.citizen_id = citizens[pick(ncit)];
            } else {
                char name[96];
                snprintf(name, sizeof(name), "%s %s", first_names[pick(20)], last_names[pick(20)]);
                c.name = xstrdup(name);
                snprintf(c.phone, sizeof(c.phone), "+905%02d%07d", 30 + pick(25), pick(10000000));
                in.new_citizen = &c;
            }
        }
        const struct user *front = strcmp(in.channel, "desk") == 0 ? desk : agent;
        if (core_app_create(st, front, &in, &a, &ed) != ERR_OK) {
            citizen_release(&c);
            continue;
        }
        if (c.id && ncit < 300)
            citizens[ncit++] = c.id;
        citizen_release(&c);
        made++;
        bool answered = demo_lifecycle(st, &a, cat, front, sup, fen, t0, now);
        app_release(&a);
        if (answered && made % 250 == 0) {
            store_commit(st);
            store_begin(st);
        }
    }
    store_commit(st);
    free(times);
    if (cli_demo_contacts(st, agent->id, desk->id, now) != 0) {
        fprintf(stderr, "alo153 init --demo: cannot add the contact centre's demo data\n");
        goto out;
    }
    printf("demo: %d applications over the past 180 days; logins (password %s):\n", made,
           DEMO_PASSWORD);
    for (size_t i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
        printf("  %-11s %-10s %s\n", demo_users[i].username, demo_users[i].role,
               demo_users[i].dept ? demo_users[i].dept : "");
    rc = 0;
out:
    free(cats);
    free(geos);
    bank_free(&bank);
    return rc;
}
