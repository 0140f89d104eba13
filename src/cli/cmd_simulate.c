/* alo153 simulate: a year of calls, contacts and applications whose totals are a profile's
 * (src/cli/sim_profiles.h), written through the same core functions serve uses (the exchange's
 * call events, contact close, application create and lifecycle actions) at the simulated
 * times, one transaction per simulated day. Deterministic for a seed. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "model/tracking.h"
#include "cli/sim_profiles.h"
#include "core/app.h"
#include "core/auth.h"
#include "core/contact.h"
#include "core/users.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/rng.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

#define RING 4096            /* recent applications a follow-up call may be about */
#define SIM_BATCH_ROWS 20000 /* rows of a transaction, at least (whole days) */

/* Weights (relative) of the calendar: months of the calls, weekdays, hours (Istanbul). */
/* clang-format off */
static const double month_w[12] = { 1.16, 1.06, 0.96, 0.92, 0.95, 1.02, 1.09, 1.07, 0.98, 0.95, 0.92, 0.98 };
static const double weekday_w[7] = { 1.30, 1.12, 1.05, 1.02, 0.98, 0.62, 0.48 }; /* Monday first */
static const double hour_w[24] = { 1, 0.7, 0.5, 0.4, 0.4, 0.8, 2, 5, 11, 17, 18, 16,
                                   13, 14, 15, 14, 13, 12, 10, 8, 6, 4, 3, 2 };
static const double hour_web_w[24] = { 3, 2, 1.5, 1, 1, 1, 2, 4, 7, 9, 10, 10,
                                       9, 9, 9, 9, 9, 9, 9, 10, 11, 11, 9, 6 };
static const double hour_desk_w[24] = { 0, 0, 0, 0, 0, 0, 0, 0, 6, 10, 11, 10,
                                        5, 9, 10, 9, 6, 0, 0, 0, 0, 0, 0, 0 };

/* Topics: a base weight and a month curve (tenths), e.g. snow and road salt in January and
 * February, mosquito spraying, parks and water cuts in summer. Categories of the reference
 * data; those missing from the database are skipped, the others weigh 1 all year. */
static const struct topic {
    const char *code;
    double w;
    int month[12];
} topics[] = {
    { "FEN_KAR",           8,  { 60, 45, 8, 0, 0, 0, 0, 0, 0, 0, 3, 25 } },
    { "FEN_TUZLAMA",       5,  { 55, 40, 6, 0, 0, 0, 0, 0, 0, 0, 3, 20 } },
    { "FEN_YOL_CUKUR",     12, { 8, 12, 16, 16, 12, 10, 9, 9, 9, 9, 9, 10 } },
    { "FEN_ASFALT",        5,  { 3, 4, 8, 12, 14, 14, 14, 14, 12, 8, 5, 3 } },
    { "CEV_ILACLAMA",      6,  { 0, 0, 2, 6, 14, 28, 34, 30, 12, 3, 0, 0 } },
    { "PARK_BAKIM",        6,  { 4, 4, 8, 12, 14, 18, 18, 17, 12, 8, 5, 4 } },
    { "PARK_SULAMA",       3,  { 0, 0, 2, 6, 14, 24, 28, 26, 12, 3, 0, 0 } },
    { "PARK_AGAC_BUDAMA",  4,  { 8, 12, 16, 12, 8, 6, 6, 6, 8, 14, 16, 10 } },
    { "SU_KESINTI",        9,  { 8, 7, 7, 7, 9, 13, 17, 17, 12, 9, 8, 8 } },
    { "SU_ARIZA",          10, { 14, 12, 10, 9, 9, 10, 11, 11, 10, 9, 10, 13 } },
    { "SU_YAGMUR",         3,  { 10, 10, 14, 14, 12, 6, 4, 4, 8, 14, 16, 12 } },
    { "SU_FATURA",         5,  { 10, 10, 10, 10, 10, 10, 11, 11, 10, 10, 10, 10 } },
    { "CEV_COP_TOPLAMA",   12, { 9, 9, 9, 10, 10, 11, 12, 12, 10, 9, 9, 9 } },
    { "CEV_KONTEYNER",     5,  { 9, 9, 9, 10, 10, 11, 12, 12, 10, 9, 9, 9 } },
    { "ULA_OTOBUS_SEFER",  14, { 10, 10, 10, 10, 10, 9, 8, 8, 13, 11, 10, 10 } },
    { "ULA_KART",          7,  { 10, 10, 9, 9, 9, 8, 7, 8, 16, 11, 10, 10 } },
    { "ULA_HAT_DURAK",     4,  { 10, 10, 10, 10, 10, 10, 10, 10, 12, 10, 10, 10 } },
    { "VET_SAHIPSIZ",      6,  { 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10 } },
    { "ITF_ARI",           1,  { 0, 0, 2, 8, 16, 22, 24, 20, 10, 2, 0, 0 } },
    { "ZAB_SEYYAR",        4,  { 7, 7, 9, 10, 11, 12, 12, 12, 11, 10, 8, 7 } },
    { "SOS_YARDIM",        5,  { 14, 13, 15, 10, 8, 8, 8, 8, 9, 10, 12, 14 } },
    { "MEZ_CENAZE_NAKIL",  3,  { 12, 11, 10, 10, 9, 9, 9, 9, 9, 10, 11, 12 } },
    { "KUL_HAVUZ",         1,  { 2, 2, 3, 6, 12, 22, 26, 24, 8, 3, 2, 2 } },
};
/* clang-format on */

static const char *const institutions[] = { "186 Elektrik Arıza", "187 Doğalgaz Acil",
                                            "112 Acil Çağrı Merkezi", "İl Milli Eğitim Müdürlüğü",
                                            "Türk Telekom" };
static const char *const not_relevant_reasons[] = { "wrong_number", "silent", "silent", "prank",
                                                    "abusive" };
static const char *const answers[] = {
    "Talebiniz ekiplerimizce yerinde incelenmiş ve gerekli çalışma tamamlanmıştır.",
    "Başvurunuz değerlendirilmiş, ilgili çalışma iş programına alınmıştır.",
    "Bildirdiğiniz sorun giderilmiştir. Duyarlılığınız için teşekkür ederiz.",
    "Konu ile ilgili ekiplerimiz bölgeye sevk edilmiş ve gereği yapılmıştır.",
};
static const char *const openings[] = {
    "Vatandaş %s konusunda yardım istiyor; ilgilenilmesini rica ediyor.",
    "%s: sorun birkaç gündür devam ediyor, ekip gönderilmesi isteniyor.",
    "%s hakkında şikâyet; mahallede birçok kişi aynı sorunu yaşıyor.",
    "%s ile ilgili talep: en kısa sürede çözüm bekleniyor.",
};

struct sim_district {
    int64_t id;
    int64_t *nbs;
    int nnb, cap;
};

struct sim {
    struct store *st;
    const struct sim_profile *p;
    int year, ndays;
    int64_t day0, t_begin, t_end; /* Istanbul day number of 1 January; the year in UTC */
    uint64_t rng;
    struct user exchange, desk, sup, *agents;
    int nagents;
    struct category *cats;
    size_t ncat;
    int *topic_of; /* per category: index into topics[] or -1 */
    double *cat_w; /* per category, for the current month */
    struct sim_district *dist;
    int nd;
    double *dist_w;
    int64_t *kb;
    int nkb;
    int64_t ring[RING];
    int nring, ring_at;
    int64_t seq, pending_followups;
    int days_kept; /* committed */
    int64_t rows, done[SIM__COUNT];
    struct err_detail ed;
};

static uint64_t rnd(struct sim *S)
{
    return rng_next(&S->rng);
}

static int64_t pick(struct sim *S, int64_t n)
{
    return n > 0 ? (int64_t)(rnd(S) % (uint64_t)n) : 0;
}

static bool chance(struct sim *S, int per_mille)
{
    return pick(S, 1000) < per_mille;
}

static int wpick(struct sim *S, const double *w, int n)
{
    double sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    double x = (double)(rnd(S) >> 11) / 9007199254740992.0 * sum;
    for (int i = 0; i < n; i++)
        if ((x -= w[i]) < 0)
            return i;
    return n - 1;
}

/* ---- the database's reference data and the simulation's users ---- */

static int dist_cb(void *ctx, int64_t id, const char *name, const char *province)
{
    struct sim *S = ctx;
    (void)name, (void)province;
    S->dist = xrealloc(S->dist, (size_t)(S->nd + 1) * sizeof(*S->dist));
    S->dist[S->nd++] = (struct sim_district){ .id = id };
    return 0;
}

static int nb_cb(void *ctx, int64_t id, const char *name)
{
    struct sim_district *d = ctx;
    (void)name;
    if (d->nnb == d->cap) {
        d->cap = d->cap ? 2 * d->cap : 32;
        d->nbs = xrealloc(d->nbs, (size_t)d->cap * sizeof(int64_t));
    }
    d->nbs[d->nnb++] = id;
    return 0;
}

/* user name: an existing one is used, else created with role (and a password nobody knows). */
static int sim_user(struct sim *S, const char *name, const char *full, const char *role,
                    const char *hash, struct user *u)
{
    if (store_user_by_name(S->st, name, u, NULL, 0) == ERR_OK)
        return u->disabled ? ERR_CONFLICT : ERR_OK;
    struct user_input in = {
        .username = name, .full_name = full, .role = role, .password_hash = hash, .disabled = -1
    };
    return core_user_create(S->st, &in, u, &S->ed);
}

static int sim_users(struct sim *S)
{
    char hash[AUTH_HASH_LEN], pw[40], name[64], full[96];
    unsigned char raw[16];
    randombytes_buf(raw, sizeof(raw)); /* a password nobody knows, thrown away */
    for (size_t i = 0; i < sizeof(raw); i++) {
        pw[2 * i] = "0123456789abcdef"[raw[i] >> 4];
        pw[2 * i + 1] = "0123456789abcdef"[raw[i] & 15];
    }
    pw[32] = '\0';
    if (!auth_hash_password(pw, hash))
        return ERR_INTERNAL;
    int rc;
    if ((rc = sim_user(S, "sim.santral", "Simülasyon santrali", "telephony", hash, &S->exchange)) !=
            ERR_OK ||
        (rc = sim_user(S, "sim.beyazmasa", "Simülasyon Beyaz Masa", "desk", hash, &S->desk)) !=
            ERR_OK ||
        (rc = sim_user(S, "sim.supervizor", "Simülasyon süpervizörü", "supervisor", hash,
                       &S->sup)) != ERR_OK)
        return rc;
    S->nagents = (int)S->p->agents;
    S->agents = xcalloc((size_t)S->nagents, sizeof(struct user));
    for (int i = 0; i < S->nagents; i++) {
        snprintf(name, sizeof(name), "sim.agent%03d", i + 1);
        snprintf(full, sizeof(full), "Simülasyon çağrı karşılayıcı %d", i + 1);
        if ((rc = sim_user(S, name, full, "agent", hash, &S->agents[i])) != ERR_OK)
            return rc;
    }
    return ERR_OK;
}

static int sim_reference(struct sim *S)
{
    if (store_category_list(S->st, NULL, &S->cats, &S->ncat) != ERR_OK || !S->ncat)
        return -1;
    S->topic_of = xcalloc(S->ncat, sizeof(int));
    S->cat_w = xcalloc(S->ncat, sizeof(double));
    for (size_t i = 0; i < S->ncat; i++) {
        S->topic_of[i] = -1;
        for (size_t t = 0; t < sizeof(topics) / sizeof(topics[0]); t++)
            if (strcmp(S->cats[i].code, topics[t].code) == 0)
                S->topic_of[i] = (int)t;
    }
    if (store_district_each(S->st, dist_cb, S) != ERR_OK)
        return -1;
    S->dist_w = xcalloc((size_t)(S->nd ? S->nd : 1), sizeof(double));
    for (int i = 0; i < S->nd; i++) {
        if (store_neighbourhood_each(S->st, S->dist[i].id, nb_cb, &S->dist[i]) != ERR_OK)
            return -1;
        /* bigger districts (more neighbourhoods) call more; the central ones most */
        S->dist_w[i] = 1.0 + S->dist[i].nnb * (i < 3 ? 3.0 : 1.0);
    }
    struct kb_article *kb = NULL;
    size_t nkb = 0;
    /* the articles instant information cites (any state: the simulated year is in the past) */
    const struct kb_query kq = { .state = KB_ANY, .limit = 100 };
    if (store_kb_list(S->st, &kq, &kb, &nkb) == ERR_OK) {
        S->kb = xcalloc(nkb ? nkb : 1, sizeof(int64_t));
        for (size_t i = 0; i < nkb; i++) {
            S->kb[S->nkb++] = kb[i].id;
            kb_article_release(&kb[i]);
        }
        free(kb);
    }
    return 0;
}

/* The categories' weights in month m (0-based): topics by their curve, DIS (other
 * institutions) and inactive ones never for applications. */
static void sim_month(struct sim *S, int m)
{
    for (size_t i = 0; i < S->ncat; i++) {
        const struct category *c = &S->cats[i];
        int t = S->topic_of[i];
        S->cat_w[i] = !c->active || strcmp(c->department_code, "DIS") == 0 ? 0
                      : t >= 0 ? topics[t].w * topics[t].month[m] / 10.0
                               : 0.3;
    }
}

static const struct category *sim_category(struct sim *S)
{
    return &S->cats[wpick(S, S->cat_w, (int)S->ncat)];
}

/* ---- applications ---- */

static int sim_act(struct sim *S, const struct user *u, struct app *a, enum app_action action,
                   struct act_input *in)
{
    struct app out;
    int rc = core_app_act(S->st, u, a->id, action, in, &out, &S->ed);
    if (rc != ERR_OK)
        return rc;
    app_release(a);
    *a = out;
    S->rows++; /* its history event */
    return ERR_OK;
}

/* Between lo and hi seconds later, at random. */
static int64_t later(struct sim *S, int64_t t, int64_t lo, int64_t hi)
{
    return t + lo + pick(S, hi - lo + 1);
}

/* Accept, answer (mostly within the deadline), close; some returned and rerouted, some
 * transferred to another department, some reopened. What would happen after the year's end
 * does not happen: those stay open (and overdue when past their deadline). */
static int sim_lifecycle(struct sim *S, const struct user *front, struct app *a)
{
    const struct user *sup = &S->sup;
    int64_t t = later(S, a->created_at, 300, 2 * 3600), end = S->t_end;
    int rc = ERR_OK;
    if (chance(S, 40)) { /* misrouted: returned, the front office reroutes */
        struct act_input r = { .note = "Birimimizin konusu değil, ilgili birime yönlendiriniz.",
                               .at = t };
        struct act_input rr = { .at = later(S, t, 1800, 4 * 3600) };
        if (t >= end || rr.at >= end)
            return ERR_OK;
        if ((rc = sim_act(S, sup, a, ACT_RETURN, &r)) != ERR_OK ||
            (rc = sim_act(S, front, a, ACT_ROUTE, &rr)) != ERR_OK)
            return rc;
        t = rr.at;
    }
    for (int round = 0; round < 2; round++) {
        struct act_input ac = { .at = later(S, t, 1800, 30 * 3600) };
        if (ac.at >= end)
            return ERR_OK;
        if ((rc = sim_act(S, sup, a, ACT_ACCEPT, &ac)) != ERR_OK)
            return rc;
        t = ac.at;
        if (round == 0 && chance(S, 25)) { /* another department's work: transferred */
            const struct category *c = sim_category(S);
            struct act_input tr = { .category = c->code,
                                    .note = "Konu başka birimin görev alanında.",
                                    .at = later(S, t, 3600, 2 * 86400) };
            if (c->id == a->category_id)
                break;
            if (tr.at >= end)
                return ERR_OK;
            if ((rc = sim_act(S, sup, a, ACT_TRANSFER, &tr)) != ERR_OK)
                return rc;
            t = tr.at;
            continue;
        }
        break;
    }
    for (int pass = 0; pass < 2; pass++) {
        int64_t due = a->resolution_due > t ? a->resolution_due : t + 5 * 86400;
        struct act_input rs = { .response = answers[pick(S, 4)] };
        rs.at = chance(S, 870) ? later(S, t, 1800, due - t - 60) : later(S, due, 3600, 12 * 86400);
        if (rs.at >= end)
            return ERR_OK;
        if ((rc = sim_act(S, sup, a, ACT_RESPOND, &rs)) != ERR_OK)
            return rc;
        struct act_input cl = { .at = later(S, rs.at, 3600, 3 * 86400) };
        if (cl.at >= end || chance(S, 80))
            return ERR_OK; /* the answer stands; the citizen did not confirm (yet) */
        if ((rc = sim_act(S, front, a, ACT_CLOSE, &cl)) != ERR_OK)
            return rc;
        struct act_input ro = { .note = "Vatandaş sorunun devam ettiğini bildirdi.",
                                .at = later(S, cl.at, 86400, 6 * 86400) };
        if (pass == 1 || !chance(S, 30) || ro.at >= end)
            return ERR_OK;
        if ((rc = sim_act(S, front, a, ACT_REOPEN, &ro)) != ERR_OK)
            return rc;
        struct act_input ac = { .at = later(S, ro.at, 1800, 86400) };
        if (ac.at >= end)
            return ERR_OK;
        if ((rc = sim_act(S, sup, a, ACT_ACCEPT, &ac)) != ERR_OK)
            return rc;
        t = ac.at;
    }
    return ERR_OK;
}

/* An application of channel ch registered by u at t (routed at once), taken through its life;
 * *id its id. */
static int sim_app(struct sim *S, const struct user *u, const char *ch, int64_t t,
                   const struct category *c, int64_t *id)
{
    char text[512];
    struct citizen cz = { 0 };
    struct app_input in = { .kind = chance(S, 620)   ? "request"
                                    : chance(S, 700) ? "complaint"
                                                     : "information",
                            .channel = ch,
                            .text = text,
                            .category = c->code,
                            .route = true,
                            .created_at = t };
    snprintf(text, sizeof(text), openings[pick(S, 4)], c->name_tr);
    if (S->nd && chance(S, 900)) {
        struct sim_district *d = &S->dist[wpick(S, S->dist_w, S->nd)];
        in.district_id = d->id;
        if (d->nnb)
            in.neighbourhood_id = d->nbs[pick(S, d->nnb)];
    }
    if (chance(S, 300)) {
        snprintf(cz.phone, sizeof(cz.phone), "+905%02d%07d", 30 + (int)pick(S, 25),
                 (int)pick(S, 10000000));
        in.new_citizen = &cz;
    }
    struct app a;
    int rc = core_app_create(S->st, u, &in, &a, &S->ed);
    if (rc != ERR_OK)
        return rc;
    S->rows += 3 + (in.new_citizen != NULL); /* the application, "create" and "route" */
    *id = a.id;
    S->ring[S->ring_at] = a.id;
    S->ring_at = (S->ring_at + 1) % RING;
    if (S->nring < RING)
        S->nring++;
    rc = sim_lifecycle(S, u, &a);
    app_release(&a);
    return rc;
}

/* ---- calls ---- */

static int sim_event(struct sim *S, const char *ref, const char *type, const struct user *agent,
                     const char *caller, int64_t at, int64_t *contact_id)
{
    struct call_event_input in = { .call_id = ref,
                                   .type = type,
                                   .agent = agent ? agent->username : NULL,
                                   .line = "153",
                                   .queue = "genel",
                                   .caller = caller,
                                   .at = at };
    struct call_event_result res;
    int rc = core_call_event(S->st, &S->exchange, &in, at, &res, &S->ed);
    if (rc != ERR_OK)
        return rc;
    S->rows += 1 + (strcmp(type, "offered") == 0); /* the event; the call on the first */
    if (res.popped_to) {
        S->rows += 2; /* the contact and its screen pop */
        *contact_id = res.contact_id;
    }
    return ERR_OK;
}

/* One call of stream s offered at t0: its events from the exchange, and for an answered one
 * the contact closed with the stream's outcome. */
static int sim_call(struct sim *S, enum sim_stream s, int64_t t0)
{
    char ref[64], caller[24], note[300];
    int64_t contact = 0, app = 0;
    int rc;
    snprintf(ref, sizeof(ref), "sim%d-%" PRId64, S->year, ++S->seq);
    snprintf(caller, sizeof(caller), "+905%02d%07d", 30 + (int)pick(S, 25), (int)pick(S, 10000000));
    if ((rc = sim_event(S, ref, "offered", NULL, caller, t0, &contact)) != ERR_OK)
        return rc;
    if (s == SIM_ABANDONED || s == SIM_SHORT_ABANDONED) {
        /* short: within the threshold (kpi.h: under 5 s); the others from 8 s on */
        int64_t at = s == SIM_SHORT_ABANDONED ? later(S, t0, 1, 4)
                     : chance(S, 700)         ? later(S, t0, 8, 60)
                                              : later(S, t0, 61, 300);
        return sim_event(S, ref, "abandoned", NULL, NULL, at, &contact);
    }
    const struct user *agent = &S->agents[pick(S, S->nagents)];
    int64_t ans = chance(S, 800) ? later(S, t0, 2, 20) : later(S, t0, 21, 150);
    int64_t talk = s == SIM_PHONE_APP      ? 150 + pick(S, 450)
                   : s == SIM_NOT_RELEVANT ? 5 + pick(S, 40)
                                           : 40 + pick(S, 220);
    int64_t end = ans + talk;
    if ((rc = sim_event(S, ref, "answered", agent, NULL, ans, &contact)) != ERR_OK ||
        (rc = sim_event(S, ref, "ended", agent, NULL, end, &contact)) != ERR_OK)
        return rc;
    if (!contact)
        return ERR_STORE; /* an answered call always opens its contact */
    const struct category *c = sim_category(S);
    struct contact_input ci = { .at = later(S, end, 5, 90), .category = c->code };
    switch (s) {
    case SIM_INSTANT:
        ci.outcome = "instant_info";
        if (S->nkb && chance(S, 500)) {
            ci.kb_article_id = S->kb[pick(S, S->nkb)];
        } else {
            snprintf(note, sizeof(note), "Bilgi verildi: %s", c->name_tr);
            ci.note = note;
        }
        break;
    case SIM_PHONE_APP:
        if ((rc = sim_app(S, agent, "phone_153", ans + talk / 2, c, &app)) != ERR_OK)
            return rc;
        ci.outcome = "application";
        ci.application_id = app;
        break;
    case SIM_FOLLOWUP:
        ci.outcome = "followup";
        ci.application_id = S->ring[pick(S, S->nring)];
        ci.category = NULL;
        break;
    case SIM_NOT_RELEVANT:
        ci.outcome = "not_relevant";
        ci.reason = not_relevant_reasons[pick(S, 5)];
        ci.category = NULL;
        break;
    default:
        ci.outcome = "transferred_out";
        ci.institution = institutions[pick(S, 5)];
        ci.category = NULL;
        break;
    }
    struct contact out;
    if ((rc = core_contact_close(S->st, agent, contact, &ci, &out, &S->ed)) != ERR_OK)
        return rc;
    contact_release(&out);
    return ERR_OK;
}

/* ---- the year ---- */

/* Weights of the year's hours (ndays * 24 cells, Istanbul time) for stream s. */
static void cell_weights(struct sim *S, enum sim_stream s, double *w)
{
    const double *hw =
        s == SIM_APP_WEB || s == SIM_APP_MOBILE_APP || s == SIM_APP_WHATSAPP || s == SIM_APP_CIMER
            ? hour_web_w
        : s == SIM_APP_DESK || s == SIM_APP_MOBILE_DESK ? hour_desk_w
                                                        : hour_w;
    bool office = s == SIM_APP_DESK || s == SIM_APP_MOBILE_DESK;
    for (int d = 0; d < S->ndays; d++) {
        struct civil_date cd = time_civil_from_days(S->day0 + d);
        int wd = time_weekday(S->day0 + d);
        double dw = month_w[cd.month - 1] * (office ? (wd < 5 ? 1.0 : 0.0) : weekday_w[wd]);
        for (int h = 0; h < 24; h++) {
            double x = dw * hw[h];
            if (s == SIM_ABANDONED || s == SIM_SHORT_ABANDONED)
                x *= 1.0 + hw[h] / 10.0; /* the queue is longest at the peaks */
            w[d * 24 + h] = x;
        }
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds of this process (user and system): the machine may be shared. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(struct sim *S, int day, double t0, bool tty)
{
    if (!tty)
        return;
    int width = 30, fill = (day * width) / S->ndays;
    char bar[64];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    double el = now_s() - t0;
    fprintf(stderr, "\rsimulate %s [%s] %3d%%  %10" PRId64 " rows  %8.0f rows/s", S->p->name, bar,
            day * 100 / S->ndays, S->rows, el > 0 ? (double)S->rows / el : 0.0);
    fflush(stderr);
}

/* The order of the streams within an hour: applications before the follow-ups about them. */
static const enum sim_stream order[SIM__COUNT] = {
    SIM_PHONE_APP,   SIM_APP_DESK,       SIM_APP_MOBILE_DESK, SIM_APP_WEB,  SIM_APP_WHATSAPP,
    SIM_APP_CIMER,   SIM_APP_MOBILE_APP, SIM_INSTANT,         SIM_FOLLOWUP, SIM_NOT_RELEVANT,
    SIM_TRANSFERRED, SIM_ABANDONED,      SIM_SHORT_ABANDONED,
};

static int sim_one(struct sim *S, enum sim_stream s, int64_t cell_t)
{
    int64_t t = cell_t + pick(S, 3600), id;
    if (t > S->t_end - 1800) /* a call's talk and wrap-up, too, end within the year */
        t = S->t_end - 1800 - pick(S, 1800);
    if (s == SIM_FOLLOWUP && !S->nring) {
        S->pending_followups++; /* nothing to follow up yet: in a later hour */
        return ERR_OK;
    }
    int rc;
    if (s >= SIM_FIRST_APP_CHANNEL) {
        const struct user *u = &S->desk;
        rc = sim_app(S, u, sim_stream_name(s), t, sim_category(S), &id);
    } else {
        rc = sim_call(S, s, t);
    }
    if (rc == ERR_OK)
        S->done[s]++;
    return rc;
}

static int sim_run(struct sim *S, int64_t totals[SIM__COUNT], bool tty, double t0)
{
    int ncell = S->ndays * 24;
    int64_t *cells[SIM__COUNT];
    double *w = xmalloc((size_t)ncell * sizeof(double));
    for (int s = 0; s < SIM__COUNT; s++) {
        cells[s] = xmalloc((size_t)ncell * sizeof(int64_t));
        cell_weights(S, (enum sim_stream)s, w);
        sim_apportion(totals[s], w, ncell, cells[s]);
    }
    free(w);
    int rc = ERR_OK, month = -1;
    bool in_tx = false;
    int64_t batch_from = S->rows;
    for (int d = 0; d < S->ndays && rc == ERR_OK; d++) {
        struct civil_date cd = time_civil_from_days(S->day0 + d);
        if (cd.month - 1 != month)
            sim_month(S, month = cd.month - 1);
        /* all or nothing: any error ends the run, so no savepoint per core call */
        if (!in_tx && (rc = store_begin_all(S->st)) != ERR_OK)
            break;
        in_tx = true;
        for (int h = 0; h < 24 && rc == ERR_OK; h++) {
            int64_t cell_t = S->t_begin + (int64_t)(d * 24 + h) * 3600;
            for (int k = 0; k < SIM__COUNT && rc == ERR_OK; k++) {
                enum sim_stream s = order[k];
                for (int64_t i = 0; i < cells[s][d * 24 + h] && rc == ERR_OK; i++)
                    rc = sim_one(S, s, cell_t);
                if (s == SIM_FOLLOWUP && S->nring)
                    for (; S->pending_followups > 0 && rc == ERR_OK; S->pending_followups--)
                        rc = sim_one(S, s, cell_t);
            }
        }
        /* one transaction per day, or per several quiet days (at least SIM_BATCH_ROWS) */
        if (rc != ERR_OK) {
            store_rollback(S->st);
            in_tx = false;
        } else if (S->rows - batch_from >= SIM_BATCH_ROWS || d + 1 == S->ndays) {
            rc = store_commit(S->st);
            in_tx = false;
            batch_from = S->rows;
            S->days_kept = d + 1;
        }
        progress(S, d + 1, t0, tty);
    }
    if (tty)
        fputc('\n', stderr);
    for (int s = 0; s < SIM__COUNT; s++)
        free(cells[s]);
    if (rc == ERR_OK && S->pending_followups)
        rc = ERR_UNPROCESSABLE;
    return rc;
}

static int first_call(void *ctx, const struct call *c)
{
    (void)c;
    *(bool *)ctx = true;
    return 1;
}

static void sim_usage(FILE *f)
{
    fprintf(f, "usage: alo153 simulate --profile NAME [--db FILE|URL] [--scale N] [--seed S]\n"
               "                       [--year Y] [--append]\n"
               "\n"
               "Writes a year of 153 calls, contacts and applications whose totals are the\n"
               "profile's (published figures where there are any), through the same functions\n"
               "the server uses, at the simulated times. The database must be initialised\n"
               "(alo153 init) and hold nothing of that year yet.\n"
               "\n"
               "  --profile NAME  samsun-2025, kayseri-2025, kahramanmaras-2025 or istanbul\n"
               "  --scale N       1/N of the profile: every total T becomes round(T/N) and its\n"
               "                  parts add up to it exactly (default 1)\n"
               "  --seed S        random seed (default 153): the same seed, the same year\n"
               "  --year Y        the calendar year (default the profile's); it must be over\n"
               "  --append        add to a year that already has data\n");
}

static void print_totals(const struct sim *S, int64_t scale, const int64_t *totals, int64_t apps)
{
    int64_t answered = 0;
    for (int i = 0; i < SIM_ANSWERED_PARTS; i++)
        answered += totals[i];
    int64_t counted = answered + totals[SIM_ABANDONED];
    printf("profile %s (%s, %d) at 1/%" PRId64 "; published: %s\n", S->p->name, S->p->city, S->year,
           scale, S->p->source);
    printf("  calls offered        %10" PRId64 "\n", counted + totals[SIM_SHORT_ABANDONED]);
    printf("  calls answered       %10" PRId64 "  answer rate %.2f %% (short abandons "
           "excluded)\n",
           answered, counted ? 100.0 * (double)answered / (double)counted : 0.0);
    printf("  abandoned            %10" PRId64 "\n", totals[SIM_ABANDONED]);
    printf("  short abandoned      %10" PRId64 "\n", totals[SIM_SHORT_ABANDONED]);
    for (int i = 0; i < SIM_ANSWERED_PARTS; i++)
        printf("  contacts %-15s %8" PRId64 "\n", sim_stream_name((enum sim_stream)i), totals[i]);
    printf("  applications         %10" PRId64 "  (phone_153 %" PRId64, apps,
           totals[SIM_PHONE_APP]);
    for (int i = SIM_FIRST_APP_CHANNEL; i < SIM__COUNT; i++)
        printf(", %s %" PRId64, sim_stream_name((enum sim_stream)i), totals[i]);
    printf(")\n");
}

int cmd_simulate(int argc, char **argv)
{
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },    { "profile", required_argument, NULL, 'p' },
        { "scale", required_argument, NULL, 's' }, { "seed", required_argument, NULL, 'S' },
        { "year", required_argument, NULL, 'y' },  { "append", no_argument, NULL, 'a' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    const char *db = NULL, *pname = NULL;
    int64_t scale = 1, seed = 153, year = 0;
    bool append = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': pname = optarg; break;
        case 'a': append = true; break;
        case 's':
            if (!parse_i64(optarg, 1, 100000000, &scale)) {
                fprintf(stderr, "alo153 simulate: --scale must be a whole number 1..100000000\n");
                return EXIT_USAGE;
            }
            break;
        case 'S':
            if (!parse_i64(optarg, 0, INT64_MAX, &seed)) {
                fprintf(stderr, "alo153 simulate: --seed must be a whole number >= 0\n");
                return EXIT_USAGE;
            }
            break;
        case 'y':
            if (!parse_i64(optarg, 2000, 2999, &year)) {
                fprintf(stderr, "alo153 simulate: --year must be 2000..2999\n");
                return EXIT_USAGE;
            }
            break;
        case 'h': sim_usage(stdout); return 0;
        default: sim_usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alo153 simulate: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    struct sim S = { 0 };
    if (!pname || !(S.p = sim_profile_find(pname))) {
        fprintf(stderr, "alo153 simulate: --profile must be one of:");
        for (int i = 0; sim_profile_names[i]; i++)
            fprintf(stderr, " %s", sim_profile_names[i]);
        fprintf(stderr, "\n");
        return EXIT_USAGE;
    }
    if (!sim_profile_valid(S.p)) {
        fprintf(stderr, "alo153 simulate: profile %s does not add up\n", S.p->name);
        return 1;
    }
    S.year = year ? (int)year : S.p->year;
    S.day0 = time_days_from_civil(S.year, 1, 1);
    S.ndays = (int)(time_days_from_civil(S.year + 1, 1, 1) - S.day0);
    S.t_begin = S.day0 * 86400 - TIME_ISTANBUL_OFFSET;
    S.t_end = S.t_begin + (int64_t)S.ndays * 86400;
    S.rng = 0x9E3779B97F4A7C15ull ^ (uint64_t)seed * 0xBF58476D1CE4E5B9ull;
    if (!S.rng)
        S.rng = 1;
    int64_t totals[SIM__COUNT], apps;
    sim_profile_scale(S.p, scale, totals, &apps);
    if (S.t_end > time_now()) {
        fprintf(stderr, "alo153 simulate: the year %d is not over yet; simulate a past year\n",
                S.year);
        return EXIT_USAGE;
    }
    if (apps > TRACKING_SEQ_MAX) {
        fprintf(stderr,
                "alo153 simulate: %" PRId64 " applications do not fit the tracking numbers "
                "(%d a year); use --scale %" PRId64 " or more\n",
                apps, TRACKING_SEQ_MAX, scale * (apps / TRACKING_SEQ_MAX + 1));
        return EXIT_USAGE;
    }
    int rc = 1;
    if (store_open_existing(cli_db_path(db), &S.st, &S.ed) != ERR_OK) {
        fprintf(stderr, "alo153 simulate: %s\n", S.ed.message);
        return 1;
    }
    if (sim_reference(&S) != 0) {
        fprintf(stderr, "alo153 simulate: the database has no reference data (categories); "
                        "run 'alo153 init' first\n");
        goto out;
    }
    struct app_filter f = { .from = S.t_begin, .to = S.t_end };
    int64_t napps = 0;
    bool calls = false;
    if (store_app_count(S.st, &f, &napps) != ERR_OK ||
        store_call_each(S.st, S.t_begin, S.t_end, first_call, &calls) != ERR_OK) {
        fprintf(stderr, "alo153 simulate: cannot read the database\n");
        goto out;
    }
    if ((napps || calls) && !append) {
        fprintf(stderr,
                "alo153 simulate: the database already has %s of %d (%" PRId64
                " applications); refusing to mix a simulated year into it (--append to add "
                "anyway)\n",
                calls ? "calls" : "applications", S.year, napps);
        rc = 1;
        goto out;
    }
    if (store_begin(S.st) != ERR_OK || sim_users(&S) != ERR_OK || store_commit(S.st) != ERR_OK) {
        store_rollback(S.st);
        fprintf(stderr, "alo153 simulate: cannot add the simulation's users: %s\n",
                S.ed.message[0] ? S.ed.message : "store error");
        goto out;
    }
    print_totals(&S, scale, totals, apps);
    fflush(stdout);
    bool tty = isatty(STDERR_FILENO);
    double t0 = now_s(), c0 = cpu_s();
    int r = sim_run(&S, totals, tty, t0);
    double el = now_s() - t0, cpu = cpu_s() - c0;
    if (r != ERR_OK) {
        fprintf(stderr,
                "alo153 simulate: stopped: %s (the first %d days were kept; run it again on a "
                "fresh database)\n",
                S.ed.message[0] ? S.ed.message : "store error", S.days_kept);
        goto out;
    }
    printf("simulated %d days: %" PRId64 " rows written in %.1f s: %.0f rows/s (%.1f s of CPU: "
           "%.0f rows per CPU second)\n",
           S.ndays, S.rows, el, el > 0 ? (double)S.rows / el : 0.0, cpu,
           cpu > 0 ? (double)S.rows / cpu : 0.0);
    rc = 0;
out:
    for (int i = 0; i < S.nd; i++)
        free(S.dist[i].nbs);
    free(S.dist);
    free(S.dist_w);
    free(S.cats);
    free(S.topic_of);
    free(S.cat_w);
    free(S.kb);
    free(S.agents);
    store_close(S.st);
    return rc;
}
