/* bench/kpi_gen: fill an alo153 database (made by `alo153 init`) with a year of calls through
 * the store functions, so that the KPI rollups are kept exactly as in production.
 *   kpi_gen DB YEAR CALLS [AGENTS]
 * CALLS spread over YEAR's days (Istanbul), 08:00-20:00 weighted to the late morning; 88%
 * answered (wait 0-60 s, talk 30-330 s, a contact closed 0-60 s after the call with an
 * outcome), the rest abandoned after 1-90 s. Three queues, two lines, AGENTS agents (40).
 * One transaction per day. Prints the seconds it took. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"
#include "util/timeutil.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;
static int64_t pick(int64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (int64_t)(rng % (uint64_t)n);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: kpi_gen DB YEAR CALLS [AGENTS]\n");
        return 2;
    }
    int year = atoi(argv[2]);
    long long total = atoll(argv[3]);
    int nagents = argc > 4 ? atoi(argv[4]) : 40;
    struct store *st = NULL;
    struct err_detail ed = { 0 };
    if (store_open_existing(argv[1], &st, &ed) != ERR_OK) {
        fprintf(stderr, "kpi_gen: %s\n", ed.message);
        return 1;
    }
    int64_t *agents = calloc((size_t)nagents, sizeof(*agents));
    for (int i = 0; i < nagents; i++) {
        struct user u = { .role = ROLE_AGENT, .created_at = 1700000000 };
        snprintf(u.username, sizeof(u.username), "kpi.agent%02d", i);
        snprintf(u.full_name, sizeof(u.full_name), "Çağrı Temsilcisi %02d", i);
        if (store_user_by_name(st, u.username, &u, NULL, 0) != ERR_OK &&
            store_user_create(st, &u, "!", &ed) != ERR_OK) {
            fprintf(stderr, "kpi_gen: user: %s\n", ed.message);
            return 1;
        }
        agents[i] = u.id;
    }
    static const char *const queues[] = { "genel", "zabita", "su" };
    static const enum contact_outcome outcomes[] = { OUTCOME_INSTANT_INFO, OUTCOME_INSTANT_INFO,
                                                     OUTCOME_INSTANT_INFO, OUTCOME_APPLICATION,
                                                     OUTCOME_FOLLOWUP,     OUTCOME_NOT_RELEVANT };
    int64_t d0 = time_days_from_civil(year, 1, 1), d1 = time_days_from_civil(year + 1, 1, 1);
    int64_t ndays = d1 - d0;
    double t0 = seconds();
    long long made = 0;
    for (int64_t d = d0; d < d1; d++) {
        long long today = total * (d - d0 + 1) / ndays - total * (d - d0) / ndays;
        int64_t midnight = d * 86400 - TIME_ISTANBUL_OFFSET;
        if (store_begin(st) != ERR_OK)
            return 1;
        for (long long i = 0; i < today; i++, made++) {
            /* 08:00-20:00, more in the late morning: the max of two uniform picks folded */
            int64_t s = 8 * 3600 + (pick(12 * 3600) + pick(12 * 3600)) / 2;
            struct call c = { .offered_at = midnight + s };
            snprintf(c.ref, sizeof(c.ref), "kpi-%lld", made);
            snprintf(c.queue, sizeof(c.queue), "%s", queues[pick(3)]);
            snprintf(c.line, sizeof(c.line), "%s", pick(10) ? "153" : "phone_alt");
            if (pick(100) < 88) {
                c.agent_id = agents[pick(nagents)];
                c.answered_at = c.offered_at + pick(61);
                c.ended_at = c.answered_at + 30 + pick(301);
            } else {
                c.abandoned_at = c.ended_at = c.offered_at + 1 + pick(90);
            }
            if (store_call_save(st, &c) != ERR_OK) {
                fprintf(stderr, "kpi_gen: call_save failed\n");
                return 1;
            }
            if (c.answered_at) {
                struct contact k = { .user_id = c.agent_id,
                                     .call_id = c.id,
                                     .started_at = c.offered_at,
                                     .answered_at = c.answered_at,
                                     .ended_at = c.ended_at + pick(61),
                                     .outcome = outcomes[pick(6)] };
                snprintf(k.channel, sizeof(k.channel), "%s",
                         strcmp(c.line, "phone_alt") == 0 ? "phone_alt" : "phone_153");
                if (store_contact_create(st, &k) != ERR_OK) {
                    fprintf(stderr, "kpi_gen: contact_create failed\n");
                    return 1;
                }
            }
        }
        if (store_commit(st) != ERR_OK)
            return 1;
    }
    printf("%lld calls in %.1f s\n", made, seconds() - t0);
    free(agents);
    store_close(st);
    return 0;
}
