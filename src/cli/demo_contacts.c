/* Demo data of the contact centre: knowledge-base articles in natural Turkish, and the calls
 * and contacts of the demo period in Samsun 2025's proportions (answered 93.96 % of the
 * offered calls; of the answered, 612,695 settled as instant information for every 446,524
 * forwarded as applications), with a daily curve (Monday-morning peak, quiet nights). Written
 * through the store directly, in batches, like a bulk import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static uint64_t crng = 0x2545F4914F6CDD1Dull;

static int cpick(int n)
{
    crng ^= crng << 13;
    crng ^= crng >> 7;
    crng ^= crng << 17;
    return (int)(crng % (uint64_t)n);
}

static const struct {
    const char *title, *body, *keywords, *category;
} articles[] = {
    { "Planlı su kesintileri nereden öğrenilir?",
      "Planlı su kesintileri bir gün önceden belediyenin internet sitesinde ve SMS ile "
      "duyurulur. Arıza kaynaklı kesintilerde ekipler sahaya yönlendirilir; kesintinin "
      "tahmini bitiş saatini vatandaşa iletin.",
      "su kesinti arıza bitiş saati", "SU_ARIZA" },
    { "Otobüs sefer saatleri ve bayram tarifesi",
      "Hafta içi ana hatlarda seferler 06.00-23.30 arasında 10 dakikada bir yapılır. Bayram "
      "ve resmi tatillerde pazar tarifesi uygulanır; hat bazında saatler mobil uygulamadadır.",
      "otobüs sefer tarife hat saat bayram", "ULA_OTOBUS_SEFER" },
    { "Ulaşım kartı bakiye yükleme ve kayıp kart",
      "Kart bakiyesi dolum noktalarından ve mobil uygulamadan yüklenir. Kayıp kart için kimlikle "
      "kart merkezine başvurulur; kişiselleştirilmiş karttaki bakiye yeni karta aktarılır.",
      "kart bakiye kayıp dolum indirimli", "" },
    { "Çöp toplama saatleri",
      "Evsel atıklar merkez mahallelerde her gece 22.00'den sonra, diğer mahallelerde gün "
      "aşırı toplanır. Konteyner taşması ayrıca bildirilirse başvuru açılır.",
      "çöp konteyner toplama saat", "CEV_COP_TOPLAMA" },
    { "Elektrik arızası (belediyenin görevi değil)",
      "Elektrik kesinti ve arızaları dağıtım şirketinin 186 numaralı hattına bildirilir. "
      "Vatandaşı 186'ya yönlendirin; sokak aydınlatması da dağıtım şirketinindir.",
      "elektrik kesinti arıza 186 sokak lambası", "" },
    { "Doğalgaz kokusu ve acil durumlar",
      "Doğalgaz kokusunda 187 Doğalgaz Acil aranır; yangın 112'ye bildirilir. Can güvenliği "
      "söz konusuysa çağrıyı hemen 112'ye aktarın.",
      "doğalgaz koku acil 187 112 yangın", "" },
    { "Cenaze hizmetleri",
      "Cenaze nakli ve defin işlemleri için 7/24 cenaze hizmetleri birimi aranır; ölüm belgesi "
      "ve kimlik ile başvurulur. Taziye çadırı talebi aynı birimden karşılanır.",
      "cenaze defin nakil taziye mezarlık", "" },
    { "Kar yağışında yol tuzlama önceliği",
      "Kar yağışında önce ana arterler, hastane ve okul yolları tuzlanır; ara sokaklar "
      "ardından açılır. Mahsur kalan hasta araç için çağrı acil olarak kaydedilir.",
      "kar buz tuzlama yol kapalı", "" },
};

static int demo_articles(struct store *st, int64_t now, int64_t *ids)
{
    int n = (int)(sizeof(articles) / sizeof(articles[0]));
    for (int i = 0; i < n; i++) {
        struct kb_article a = { .title = (char *)articles[i].title,
                                .body = (char *)articles[i].body,
                                .keywords = (char *)articles[i].keywords,
                                .active = true,
                                .created_at = now - 200 * 86400,
                                .updated_at = now - 200 * 86400 };
        str_copy(a.category, sizeof(a.category), articles[i].category);
        if (store_kb_save(st, &a) != ERR_OK)
            return -1;
        ids[i] = a.id;
    }
    return n;
}

/* Hourly weights of a weekday (Europe/Istanbul): quiet nights, a morning peak. */
static const int hour_weight[24] = { 1,  1,  1,  1,  1,  2,  4, 8, 14, 18, 17, 15,
                                     13, 14, 14, 13, 12, 11, 9, 8, 6,  4,  3,  2 };

static int64_t call_time(int64_t now)
{
    for (;;) {
        int day = cpick(180);
        int64_t d = time_istanbul_day(now) - 180 + day;
        int wd = (int)((d + 3) % 7); /* 0 = Monday */
        int h = cpick(24);
        int w = hour_weight[h] * (wd == 0 ? 3 : wd >= 5 ? 1 : 2);
        if (cpick(54) < w) {
            int64_t t = d * 86400 - TIME_ISTANBUL_OFFSET + h * 3600 + cpick(3600);
            if (t < now - 600)
                return t;
        }
    }
}

/* One call and its contact (outcome o, article or application), answered unless abandoned. */
static int demo_call(struct store *st, int seq, int64_t offered, bool abandoned, int64_t agent,
                     enum contact_outcome o, int64_t ref_id)
{
    struct call k = { .offered_at = offered };
    snprintf(k.ref, sizeof(k.ref), "demo-%d", seq);
    str_copy(k.line, sizeof(k.line), "153");
    str_copy(k.queue, sizeof(k.queue), "genel");
    int wait = cpick(10) < 8 ? cpick(20) : 20 + cpick(90);
    if (abandoned) {
        k.abandoned_at = k.ended_at = offered + (cpick(3) == 0 ? 1 + cpick(4) : 5 + cpick(80));
        return store_call_save(st, &k);
    }
    k.agent_id = agent;
    k.answered_at = offered + wait;
    k.ended_at = k.answered_at + 45 + cpick(240);
    int rc = store_call_save(st, &k);
    if (rc != ERR_OK)
        return rc;
    struct contact c = { .user_id = agent,
                         .call_id = k.id,
                         .started_at = offered,
                         .answered_at = k.answered_at,
                         .outcome = o,
                         .ended_at = k.ended_at + 10 + cpick(50) };
    str_copy(c.channel, sizeof(c.channel), "phone_153");
    if (o == OUTCOME_INSTANT_INFO)
        c.kb_article_id = ref_id;
    else if (o == OUTCOME_APPLICATION)
        c.application_id = ref_id;
    else
        str_copy(c.reason, sizeof(c.reason), cpick(2) ? "wrong_number" : "silent");
    if (o == OUTCOME_INSTANT_INFO && !ref_id)
        c.note = "Bilgi verildi";
    return store_contact_create(st, &c);
}

int cli_demo_contacts(struct store *st, int64_t agent, int64_t desk, int64_t now)
{
    int64_t kb[16];
    int nkb, seq = 0, calls = 0, rc = ERR_OK;
    struct app_filter f = { .limit = 500 };
    str_copy(f.channel, sizeof(f.channel), "phone_153");
    if (store_begin(st) != ERR_OK || (nkb = demo_articles(st, now, kb)) < 0) {
        store_rollback(st);
        return -1;
    }
    /* every phone application came from a call: answered, closed as "application" */
    for (;;) {
        struct app *as = NULL;
        size_t n = 0;
        int64_t next = 0;
        if ((rc = store_app_list(st, &f, &as, &n, &next, NULL)) != ERR_OK)
            break;
        for (size_t i = 0; i < n && rc == ERR_OK; i++) {
            int64_t off = as[i].created_at - 300 - cpick(200);
            rc = demo_call(st, ++seq, off, false, agent, OUTCOME_APPLICATION, as[i].id);
            /* 612,695 instant answers for 446,524 forwarded: 1.372 per application */
            int extra = 1 + (cpick(1000) < 372);
            for (int j = 0; j < extra && rc == ERR_OK; j++)
                rc = demo_call(st, ++seq, call_time(now), false, agent, OUTCOME_INSTANT_INFO,
                               cpick(10) < 7 ? kb[cpick(nkb)] : 0);
            /* 93.96 % answered: 6.04 of every 93.96 calls abandoned */
            int answered = 1 + extra;
            for (int j = 0; j < answered && rc == ERR_OK; j++)
                if (cpick(9396) < 604)
                    rc = demo_call(st, ++seq, call_time(now), true, 0, OUTCOME_NONE, 0);
            if (rc == ERR_OK && cpick(100) < 3) /* wrong numbers and silent lines */
                rc = demo_call(st, ++seq, call_time(now), false, agent, OUTCOME_NOT_RELEVANT, 0);
            calls += answered;
        }
        for (size_t i = 0; i < n; i++)
            app_release(&as[i]);
        free(as);
        if (rc != ERR_OK || !next)
            break;
        f.after = next;
    }
    /* a few walk-ins at the Beyaz Masa desk */
    for (int i = 0; rc == ERR_OK && i < calls / 10; i++) {
        struct contact c = { .user_id = desk, .outcome = OUTCOME_INSTANT_INFO };
        c.started_at = c.answered_at = call_time(now);
        c.ended_at = c.started_at + 300;
        c.kb_article_id = kb[cpick(nkb)];
        str_copy(c.channel, sizeof(c.channel), "desk");
        rc = store_contact_create(st, &c);
    }
    if (rc == ERR_OK && (rc = store_commit(st)) == ERR_OK) {
        printf("demo: %d calls, %d knowledge-base articles\n", seq, nkb);
        return 0;
    }
    store_rollback(st);
    return -1;
}
