/* Demo data of the contact centre: knowledge-base articles in natural Turkish, and the calls
 * and contacts of the demo period in Samsun 2025's proportions (answered 93.96 % of the
 * offered calls; of the answered, 612,695 settled as instant information for every 446,524
 * forwarded as applications), with a daily curve (Monday-morning peak, quiet nights, a snow-day
 * spike 40 days ago). Written
 * through the store directly, in batches, like a bulk import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"
#include "util/rng.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/banned.h"

static uint64_t crng = 0x2545F4914F6CDD1Dull;

static int cpick(int n)
{
    return (int)(rng_next(&crng) % (uint64_t)n);
}

/* The demo's knowledge base: always-valid articles first (the demo's past contacts were
 * answered with them), then the time-limited ones (a planned water cut and road works now, a
 * holiday timetable not yet valid, road works over), whose validity is counted in Istanbul days
 * from today: from 0 and until 0 = open-ended. Districts are names in the configured province
 * (none = the whole province; a name the province lacks is left out). */
#define DEMO_KB_ALWAYS 11
/* clang-format off */
static const struct {
    const char *title, *body, *keywords, *category;
    const char *districts[2];
    int from_days, until_days;
    struct {
        const char *name, *number;
    } phones[12];
} articles[] = {
    { "Planlı su kesintileri nereden öğrenilir?",
      "Planlı su kesintileri bir gün önceden belediyenin internet sitesinde ve SMS ile "
      "duyurulur. Arıza kaynaklı kesintilerde ekipler sahaya yönlendirilir; kesintinin "
      "tahmini bitiş saatini vatandaşa iletin.",
      "su kesinti arıza bitiş saati", "SU_KESINTI", { 0 }, 0, 0,
      { { "Su arıza (KASKİ)", "185" } } },
    { "Otobüs sefer saatleri ve bayram tarifesi",
      "Hafta içi ana hatlarda seferler 06.00-23.30 arasında 10 dakikada bir yapılır. Bayram "
      "ve resmi tatillerde pazar tarifesi uygulanır; hat bazında saatler mobil uygulamadadır.",
      "otobüs sefer tarife hat saat bayram", "ULA_OTOBUS_SEFER", { 0 }, 0, 0,
      { { 0 } } },
    { "Ulaşım kartı bakiye yükleme ve kayıp kart",
      "Kart bakiyesi dolum noktalarından ve mobil uygulamadan yüklenir. Kayıp kart için kimlikle "
      "kart merkezine başvurulur; kişiselleştirilmiş karttaki bakiye yeni karta aktarılır.",
      "kart bakiye kayıp dolum indirimli", "ULA_KART", { 0 }, 0, 0,
      { { 0 } } },
    { "Çöp toplama saatleri",
      "Evsel atıklar merkez mahallelerde her gece 22.00'den sonra, diğer mahallelerde gün "
      "aşırı toplanır. Konteyner taşması ayrıca bildirilirse başvuru açılır.",
      "çöp konteyner toplama saat", "CEV_COP_TOPLAMA", { 0 }, 0, 0,
      { { 0 } } },
    { "Elektrik arızası (belediyenin görevi değil)",
      "Elektrik kesinti ve arızaları dağıtım şirketinin 186 numaralı hattına bildirilir. "
      "Vatandaşı 186'ya yönlendirin; sokak aydınlatması da dağıtım şirketinindir.",
      "elektrik kesinti arıza 186 sokak lambası", "DIS_ELEKTRIK", { 0 }, 0, 0,
      { { "Elektrik arıza (dağıtım şirketi)", "186" } } },
    { "Doğalgaz kokusu ve acil durumlar",
      "Doğalgaz kokusunda 187 Doğalgaz Acil aranır; yangın 112'ye bildirilir. Can güvenliği "
      "söz konusuysa çağrıyı hemen 112'ye aktarın.",
      "doğalgaz koku acil 187 112 yangın", "DIS_DOGALGAZ", { 0 }, 0, 0,
      { { "Doğalgaz acil", "187" }, { "Acil çağrı (yangın, sağlık, asayiş)", "112" } } },
    { "Cenaze hizmetleri",
      "Cenaze nakli ve defin işlemleri için 7/24 cenaze hizmetleri birimi aranır; ölüm belgesi "
      "ve kimlik ile başvurulur. Taziye çadırı talebi aynı birimden karşılanır.",
      "cenaze defin nakil taziye mezarlık", "", { 0 }, 0, 0,
      { { 0 } } },
    { "Kar yağışında yol tuzlama önceliği",
      "Kar yağışında önce ana arterler, hastane ve okul yolları tuzlanır; ara sokaklar "
      "ardından açılır. Mahsur kalan hasta araç için çağrı acil olarak kaydedilir.",
      "kar buz tuzlama yol kapalı", "", { 0 }, 0, 0,
      { { 0 } } },
    { "Diğer kurumların numaraları",
      "Belediyenin görevi olmayan konularda vatandaşı ilgili kurumun hattına yönlendirin. Can "
      "ve mal güvenliğini ilgilendiren her durumda 112 aranır.",
      "kurum telefon numara yönlendirme acil polis jandarma", "DIS_DIGER", { 0 }, 0, 0,
      { { "Acil çağrı", "112" },
        { "Polis imdat", "155" },
        { "Jandarma", "156" },
        { "Orman yangını", "177" },
        { "Elektrik arıza", "186" },
        { "Doğalgaz acil", "187" },
        { "Su arıza (KASKİ)", "185" },
        { "ALO Sosyal Güvenlik (SGK)", "170" },
        { "ALO Aile ve Sosyal Hizmetler", "183" },
        { "SABİM (Sağlık Bakanlığı)", "184" },
        { "Gelir İdaresi (vergi)", "189" } } },
    { "Emlak vergisi ve çevre temizlik vergisi ödemeleri",
      "Emlak vergisi ve çevre temizlik vergisi, taşınmazın bulunduğu ilçe belediyesine yılda iki "
      "taksitte ödenir: birinci taksit Mayıs, ikinci taksit Kasım ayı sonuna kadar. Ödeme ilçe "
      "belediyesinin veznesinde, internet sitesinde ve anlaşmalı bankalarda yapılabilir; "
      "gecikmede gecikme zammı uygulanır. Gelir vergisi ve MTV soruları Gelir İdaresinindir.",
      "emlak vergi çtv taksit ödeme borç sorgulama", "", { 0 }, 0, 0,
      { { "Gelir İdaresi (vergi)", "189" } } },
    { "Su faturası ödeme ve itiraz",
      "Su faturaları KASKİ veznelerinde, anlaşmalı bankalarda ve internetten ödenir. Fazla "
      "tüketim itirazında sayaç okuma tarihi ve abone numarasıyla başvuru açılır; ekip sayacı "
      "yerinde kontrol eder.",
      "su fatura ödeme itiraz sayaç abone", "SU_FATURA", { 0 }, 0, 0,
      { { "Su arıza (KASKİ)", "185" } } },
    /* time-limited, after the DEMO_KB_ALWAYS always-valid ones */
    { "Hacılar merkezde planlı su kesintisi",
      "Ana isale hattındaki bağlantı çalışması nedeniyle Hacılar merkez mahallelerinde sular "
      "08.00-17.00 arasında kesik olacak. Kesinti süresince tankerle su verilir; basınç "
      "düşüklüğü akşam saatlerine kadar sürebilir.",
      "su yok kesinti tanker hacılar", "SU_KESINTI", { "Hacılar" }, 0, 2,
      { { "Su arıza (KASKİ)", "185" } } },
    { "Talas Mevlana caddesi yol yenileme çalışması",
      "Mevlana caddesinde asfalt yenileme yapılıyor; cadde iki hafta boyunca tek şeritten "
      "akıyor, toplu taşıma hatları güzergâh değiştirmedi. Gece çalışması 22.00'de biter.",
      "asfalt yol çalışma trafik kapalı şerit", "FEN_YOL_CUKUR", { "Talas" }, -3, 11,
      { { 0 } } },
    { "Kurban Bayramı otobüs ve tramvay tarifesi",
      "Bayram boyunca otobüs ve tramvay seferleri pazar tarifesiyle yapılır; arife günü 14.00'ten "
      "sonra ve bayramın ilk iki günü toplu taşıma ücretsizdir.",
      "bayram otobüs tramvay tarife ücretsiz arife", "ULA_OTOBUS_SEFER", { 0 }, 20, 25,
      { { 0 } } },
    { "Kocasinan Sivas caddesi kaldırım çalışması (tamamlandı)",
      "Sivas caddesindeki kaldırım ve bordür yenilemesi tamamlandı; yaya yolu açıldı.",
      "kaldırım bordür yaya çalışma", "", { "Kocasinan" }, -40, -30,
      { { 0 } } },
};
/* clang-format on */

struct district_find {
    const char *name;
    int64_t id;
};

static int district_find_fn(void *ctx, int64_t id, const char *name, const char *province)
{
    struct district_find *f = ctx;
    (void)province;
    if (strcmp(name, f->name) == 0)
        f->id = id;
    return 0;
}

/* Every demo article saved; ids[] gets their ids. Returns how many of them, at the front, are
 * always valid (the ones the demo's past contacts may be answered with), or -1. */
static int demo_articles(struct store *st, int64_t now, int64_t *ids)
{
    int n = (int)(sizeof(articles) / sizeof(articles[0]));
    int64_t today = time_istanbul_day(now) * 86400 - TIME_ISTANBUL_OFFSET;
    for (int i = 0; i < n; i++) {
        int64_t districts[2];
        struct kb_phone phones[12];
        struct kb_article a = { .title = (char *)articles[i].title,
                                .body = (char *)articles[i].body,
                                .keywords = (char *)articles[i].keywords,
                                .active = true,
                                .created_at = now - 200 * 86400,
                                .updated_at = now - 200 * 86400,
                                .districts = districts,
                                .phones = phones };
        if (articles[i].from_days || articles[i].until_days) {
            a.created_at = a.updated_at = today + (articles[i].from_days - 5) * 86400;
            a.valid_from = today + articles[i].from_days * 86400;
            a.valid_until = today + articles[i].until_days * 86400;
        }
        for (int d = 0; d < 2 && articles[i].districts[d]; d++) {
            struct district_find f = { articles[i].districts[d], 0 };
            if (store_district_each(st, district_find_fn, &f) != ERR_OK)
                return -1;
            if (f.id)
                districts[a.ndistricts++] = f.id;
        }
        for (int p = 0; p < 12 && articles[i].phones[p].name; p++) {
            str_copy(phones[p].name, sizeof(phones[p].name), articles[i].phones[p].name);
            str_copy(phones[p].number, sizeof(phones[p].number), articles[i].phones[p].number);
            a.nphones++;
        }
        str_copy(a.category, sizeof(a.category), articles[i].category);
        if (store_kb_save(st, &a) != ERR_OK)
            return -1;
        ids[i] = a.id;
    }
    return DEMO_KB_ALWAYS;
}

/* Hourly weights of a weekday (Europe/Istanbul): quiet nights, a morning peak. */
static const int hour_weight[24] = { 1,  1,  1,  1,  1,  2,  4, 8, 14, 18, 17, 15,
                                     13, 14, 14, 13, 12, 11, 9, 8, 6,  4,  3,  2 };

/* The demo's snow day, 40 days ago: about one call in 40 lands on it (4.5 times a usual
 * day's calls), so every KPI screen shows the spike a snowfall gives a 153 centre. */
#define DEMO_SNOW_DAYS_AGO 40

static int64_t call_time(int64_t now)
{
    for (;;) {
        int day = cpick(40) == 0 ? 180 - DEMO_SNOW_DAYS_AGO : cpick(180);
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
    _Static_assert(sizeof(articles) / sizeof(articles[0]) <= 16, "kb[] holds every demo article");
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
        printf("demo: %d calls, %d knowledge-base articles\n", seq,
               (int)(sizeof(articles) / sizeof(articles[0])));
        return 0;
    }
    store_rollback(st);
    return -1;
}
