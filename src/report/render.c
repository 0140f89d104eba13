/* The report's paragraph, text, CSV and XLSX outputs: see render.h and docs/REPORTS.md. */
#include "report/render.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <xlsxwriter.h>

#include "model/contact.h"
#include "util/str.h"
#include "util/strbuf.h"
#include "util/banned.h"

#define NB 128 /* a number's buffer */

/* clang-format off */
static const char *const months_tr[12] = { "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran",
    "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık" };
static const char *const months_en[12] = { "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December" };
/* clang-format on */

struct ymd {
    int y, m, d;
};

static bool parse_day(const char *s, struct ymd *out)
{
    return sscanf(s, "%4d-%2d-%2d", &out->y, &out->m, &out->d) == 3 && out->m >= 1 &&
           out->m <= 12 && out->d >= 1 && out->d <= 31;
}

/* the period as the paragraph's opening words and the previous year's comparison phrase */
static void period_phrases(const struct report_summary *s, enum tr_lang lang, char *open, size_t on,
                           char *prev, size_t pn)
{
    struct ymd a, b;
    char y[16];
    if (!parse_day(s->p.from, &a) || !parse_day(s->p.to, &b)) {
        str_copy(open, on, lang == TR_LANG_TR ? "Dönem içinde" : "In the period");
        str_copy(prev, pn,
                 lang == TR_LANG_TR ? "Geçen yılın aynı dönemine kıyasla"
                                    : "Compared with the same period a year earlier");
        return;
    }
    bool year = a.y == b.y && a.m == 1 && a.d == 1 && b.m == 12 && b.d == 31;
    if (lang == TR_LANG_TR) {
        if (year) {
            snprintf(y, sizeof y, "%d", a.y);
            tr_add_suffix(open, on, y, TR_LOC);
            snprintf(prev, pn, "%d yılına kıyasla", a.y - 1);
        } else {
            if (a.y == b.y)
                snprintf(open, on, "%d %s – %d %s %d döneminde", a.d, months_tr[a.m - 1], b.d,
                         months_tr[b.m - 1], b.y);
            else
                snprintf(open, on, "%d %s %d – %d %s %d döneminde", a.d, months_tr[a.m - 1], a.y,
                         b.d, months_tr[b.m - 1], b.y);
            str_copy(prev, pn, "Geçen yılın aynı dönemine kıyasla");
        }
    } else {
        if (year) {
            snprintf(open, on, "In %d", a.y);
            snprintf(prev, pn, "Compared with %d", a.y - 1);
        } else {
            if (a.y == b.y)
                snprintf(open, on, "From %d %s to %d %s %d", a.d, months_en[a.m - 1], b.d,
                         months_en[b.m - 1], b.y);
            else
                snprintf(open, on, "From %d %s %d to %d %s %d", a.d, months_en[a.m - 1], a.y, b.d,
                         months_en[b.m - 1], b.y);
            str_copy(prev, pn, "Compared with the same period a year earlier");
        }
    }
}

/* number words with a suffix: W(612695, POSS) → "612 bin 695'i" */
static const char *wsuf(char *buf, size_t n, int64_t v, enum tr_case c)
{
    char w[NB];
    tr_words(w, sizeof w, v, TR_LANG_TR);
    return tr_add_suffix(buf, n, w, c);
}

static const char *psuf(char *buf, size_t n, double share, enum tr_case c)
{
    char p[NB];
    tr_pct(p, sizeof p, share, TR_LANG_TR);
    return tr_add_suffix(buf, n, p, c);
}

/* the share rounded as it is shown (two decimals of a percent) */
static long long shown_pct(double share)
{
    return llround(share * 10000.0);
}

static int64_t forwarded_of(const struct kpi_contacts *c)
{
    return c->by_outcome[OUTCOME_APPLICATION] + c->by_outcome[OUTCOME_FOLLOWUP];
}

static void para_tr(struct strbuf *sb, const struct report_summary *s)
{
    char open[96], prev[96], a[NB], b[NB];
    period_phrases(s, TR_LANG_TR, open, sizeof open, prev, sizeof prev);
    bool centre = !s->p.scope.limited;
    bool calls = centre && s->has_calls && s->calls.offered > 0;
    if (calls) {
        int64_t ii = s->contacts.by_outcome[OUTCOME_INSTANT_INFO], fw = forwarded_of(&s->contacts);
        strbuf_addf(sb, "%s %s çağrı %s başarı oranıyla karşılandı", open,
                    tr_words(a, sizeof a, s->calls.answered, TR_LANG_TR),
                    tr_pct(b, sizeof b, s->calls.answer_rate, TR_LANG_TR));
        if (ii > 0 && fw > 0)
            strbuf_addf(sb,
                        "; bunların %s anlık bilgilendirmeyle sonuçlandı, %s ilgili birimlere "
                        "yönlendirildi",
                        wsuf(a, sizeof a, ii, TR_POSS), wsuf(b, sizeof b, fw, TR_POSS));
        else if (ii > 0)
            strbuf_addf(sb, "; bunların %s anlık bilgilendirmeyle sonuçlandı",
                        wsuf(a, sizeof a, ii, TR_POSS));
        else if (fw > 0)
            strbuf_addf(sb, "; bunların %s ilgili birimlere yönlendirildi",
                        wsuf(a, sizeof a, fw, TR_POSS));
        strbuf_adds(sb, ". ");
    }
    const struct rs_apps *ap = &s->apps;
    const char *lead = calls ? "Aynı dönemde" : open;
    if (ap->total == 0) {
        if (centre)
            strbuf_addf(sb, "%s kayıtlı başvuru alınmadı.", lead);
        else
            strbuf_addf(sb, "%s birime başvuru ulaşmadı.", lead);
    } else {
        if (centre)
            strbuf_addf(sb, "%s %s kayıtlı başvuru alındı", lead,
                        tr_words(a, sizeof a, ap->total, TR_LANG_TR));
        else
            strbuf_addf(sb, "%s birime %s başvuru ulaştı", lead,
                        tr_words(a, sizeof a, ap->total, TR_LANG_TR));
        if (ap->resolved > 0)
            strbuf_addf(sb, "; sonuçlanan %s başvurunun %s süresi içinde cevaplandı",
                        tr_words(a, sizeof a, ap->resolved, TR_LANG_TR),
                        psuf(b, sizeof b, (double)ap->resolved_in_deadline / (double)ap->resolved,
                             TR_POSS));
        strbuf_adds(sb, ".");
        if (ap->open_now > 0 && ap->overdue_now > 0)
            strbuf_addf(sb, " Bugün açık olan %s başvurunun %s süresi geçmiş durumda.",
                        tr_words(a, sizeof a, ap->open_now, TR_LANG_TR),
                        wsuf(b, sizeof b, ap->overdue_now, TR_POSS));
    }
    if (s->survey.answers > 0 && isfinite(s->survey.satisfied_share))
        strbuf_addf(sb, " Vatandaş memnuniyeti %s oldu.",
                    tr_pct(a, sizeof a, s->survey.satisfied_share, TR_LANG_TR));
    if (!s->has_previous)
        return;
    if (calls && s->previous.calls.answered > 0) {
        int64_t d = s->calls.answered - s->previous.calls.answered;
        if (d == 0) {
            strbuf_addf(sb, " %s karşılanan çağrı sayısı değişmedi", prev);
        } else {
            bool rounded = false;
            char ap_[NB];
            tr_approx(ap_, sizeof ap_, d < 0 ? -d : d, TR_LANG_TR, &rounded);
            strbuf_addf(sb, " %s çağrı sayısında %s%s %s oldu", prev, rounded ? "yaklaşık " : "",
                        tr_add_suffix(a, sizeof a, ap_, TR_LIK), d > 0 ? "artış" : "azalış");
        }
        long long r0 = shown_pct(s->previous.calls.answer_rate),
                  r1 = shown_pct(s->calls.answer_rate);
        if (r0 == r1)
            strbuf_addf(sb, ", başarı oranı %s kaldı.",
                        psuf(a, sizeof a, s->calls.answer_rate, TR_LOC));
        else
            strbuf_addf(sb, ", başarı oranı %s %s %s.",
                        psuf(a, sizeof a, s->previous.calls.answer_rate, TR_ABL),
                        psuf(b, sizeof b, s->calls.answer_rate, TR_DAT),
                        r1 > r0 ? "yükseldi" : "geriledi");
    } else if (s->previous.applications > 0) {
        int64_t p = s->previous.applications;
        if (p == ap->total)
            strbuf_addf(sb, " %s başvuru sayısı değişmedi.", prev);
        else
            strbuf_addf(sb, " %s başvuru sayısı %s %s %s.", prev, wsuf(a, sizeof a, p, TR_ABL),
                        wsuf(b, sizeof b, ap->total, TR_DAT),
                        ap->total > p ? "yükseldi" : "geriledi");
    }
}

static void para_en(struct strbuf *sb, const struct report_summary *s)
{
    const enum tr_lang E = TR_LANG_EN;
    char open[96], prev[96], a[NB], b[NB];
    period_phrases(s, E, open, sizeof open, prev, sizeof prev);
    bool centre = !s->p.scope.limited;
    bool calls = centre && s->has_calls && s->calls.offered > 0;
    if (calls) {
        int64_t ii = s->contacts.by_outcome[OUTCOME_INSTANT_INFO], fw = forwarded_of(&s->contacts);
        strbuf_addf(sb, "%s, %s call%s answered with an answer rate of %s", open,
                    tr_int(a, sizeof a, s->calls.answered, E),
                    s->calls.answered == 1 ? " was" : "s were",
                    tr_pct(b, sizeof b, s->calls.answer_rate, E));
        if (ii > 0 && fw > 0)
            strbuf_addf(sb,
                        "; %s of them were settled with instant information and %s were "
                        "forwarded to the departments concerned",
                        tr_int(a, sizeof a, ii, E), tr_int(b, sizeof b, fw, E));
        else if (ii > 0)
            strbuf_addf(sb, "; %s of them were settled with instant information",
                        tr_int(a, sizeof a, ii, E));
        else if (fw > 0)
            strbuf_addf(sb, "; %s of them were forwarded to the departments concerned",
                        tr_int(a, sizeof a, fw, E));
        strbuf_adds(sb, ". ");
    }
    const struct rs_apps *ap = &s->apps;
    const char *lead = calls ? "In the same period" : open;
    if (ap->total == 0) {
        strbuf_addf(sb,
                    centre ? "%s, no applications were registered."
                           : "%s, the department received no applications.",
                    lead);
    } else {
        if (centre)
            strbuf_addf(sb, "%s, %s application%s registered", lead,
                        tr_int(a, sizeof a, ap->total, E), ap->total == 1 ? " was" : "s were");
        else
            strbuf_addf(sb, "%s, the department received %s application%s", lead,
                        tr_int(a, sizeof a, ap->total, E), ap->total == 1 ? "" : "s");
        if (ap->resolved > 0)
            strbuf_addf(
                sb, "; %s of the %s resolved were answered within their deadline",
                tr_pct(a, sizeof a, (double)ap->resolved_in_deadline / (double)ap->resolved, E),
                tr_int(b, sizeof b, ap->resolved, E));
        strbuf_adds(sb, ".");
        if (ap->open_now > 0 && ap->overdue_now > 0)
            strbuf_addf(sb, " Of the %s still open today, %s %s past their deadline.",
                        tr_int(a, sizeof a, ap->open_now, E),
                        tr_int(b, sizeof b, ap->overdue_now, E),
                        ap->overdue_now == 1 ? "is" : "are");
    }
    if (s->survey.answers > 0 && isfinite(s->survey.satisfied_share))
        strbuf_addf(sb, " Citizen satisfaction was %s.",
                    tr_pct(a, sizeof a, s->survey.satisfied_share, E));
    if (!s->has_previous)
        return;
    if (calls && s->previous.calls.answered > 0) {
        int64_t d = s->calls.answered - s->previous.calls.answered;
        if (d == 0) {
            strbuf_addf(sb, " %s, answered calls were unchanged", prev);
        } else {
            bool rounded = false;
            tr_approx(a, sizeof a, d < 0 ? -d : d, E, &rounded);
            strbuf_addf(sb, " %s, answered calls %s by %s%s", prev, d > 0 ? "rose" : "fell",
                        rounded ? "about " : "", a);
        }
        long long r0 = shown_pct(s->previous.calls.answer_rate),
                  r1 = shown_pct(s->calls.answer_rate);
        if (r0 == r1)
            strbuf_addf(sb, " and the answer rate stayed at %s.",
                        tr_pct(a, sizeof a, s->calls.answer_rate, E));
        else
            strbuf_addf(sb, " and the answer rate %s from %s to %s.", r1 > r0 ? "rose" : "fell",
                        tr_pct(a, sizeof a, s->previous.calls.answer_rate, E),
                        tr_pct(b, sizeof b, s->calls.answer_rate, E));
    } else if (s->previous.applications > 0) {
        int64_t p = s->previous.applications;
        if (p == ap->total)
            strbuf_addf(sb, " %s, applications were unchanged.", prev);
        else
            strbuf_addf(sb, " %s, applications %s from %s to %s.", prev,
                        ap->total > p ? "rose" : "fell", tr_int(a, sizeof a, p, E),
                        tr_int(b, sizeof b, ap->total, E));
    }
}

char *report_paragraph(const struct report_summary *s, enum tr_lang lang)
{
    struct strbuf sb;
    strbuf_init(&sb, 0);
    if (lang == TR_LANG_EN)
        para_en(&sb, s);
    else
        para_tr(&sb, s);
    return strbuf_detach(&sb, NULL);
}

/* ---- values ---- */

/* a value for people: "1.059.219", "%93,96", "12,5"; NAN → none ("") */
static const char *value_text(char *buf, size_t n, enum rs_type t, double v, enum tr_lang lang)
{
    if (isnan(v)) {
        buf[0] = '\0';
        return buf;
    }
    switch (t) {
    case RS_INT: return tr_int(buf, n, (int64_t)llround(v), lang);
    case RS_PCT: return tr_pct(buf, n, v, lang);
    case RS_NUM:
    case RS_DAYS: return tr_num(buf, n, v, 1, lang);
    case RS_TEXT: break;
    }
    buf[0] = '\0';
    return buf;
}

/* display width: UTF-8 code points (Turkish letters are one column each) */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void pad(FILE *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fputc(' ', f);
}

/* the key figures of the summary (text and the XLSX summary sheet) */
struct figure {
    const char *tr, *en;
    enum rs_type type;
    double v;
};

#define MAX_FIGURES 32

static size_t figures(const struct report_summary *s, struct figure *f)
{
    size_t n = 0;
#define FIG(t, e, ty, val)                                                                         \
    f[n++] = (struct figure)                                                                       \
    {                                                                                              \
        t, e, ty, (double)(val)                                                                    \
    }
    if (!s->p.scope.limited && s->has_calls) {
        const struct kpi_calls *c = &s->calls;
        FIG("Gelen çağrı", "Calls offered", RS_INT, c->offered);
        FIG("Karşılanan çağrı", "Calls answered", RS_INT, c->answered);
        FIG("Kaçan çağrı", "Calls abandoned", RS_INT, c->abandoned);
        FIG("Başarı oranı", "Answer rate", RS_PCT, c->answer_rate);
        FIG("Hizmet seviyesi", "Service level", RS_PCT, c->service_level);
        FIG("Ortalama bekleme (sn)", "Average wait (s)", RS_NUM, c->asa_s);
        FIG("Ortalama görüşme süresi (sn)", "Average handle time (s)", RS_NUM, c->aht_s);
        FIG("En uzun bekleme (sn)", "Longest wait (s)", RS_INT, c->max_wait_s);
        FIG("Görüşme", "Contacts", RS_INT, s->contacts.total);
        FIG("Anlık bilgilendirme", "Instant information", RS_INT,
            s->contacts.by_outcome[OUTCOME_INSTANT_INFO]);
        FIG("Birimlere yönlendirilen", "Forwarded to departments", RS_INT,
            forwarded_of(&s->contacts));
    }
    const struct rs_apps *a = &s->apps;
    FIG("Kayıtlı başvuru", "Applications", RS_INT, a->total);
    FIG("Sonuçlanan başvuru", "Resolved", RS_INT, a->resolved);
    FIG("Süresinde sonuçlanan", "Resolved in deadline", RS_INT, a->resolved_in_deadline);
    FIG("Süresinde sonuçlanma oranı", "In-deadline share", RS_PCT,
        a->resolved > 0 ? (double)a->resolved_in_deadline / (double)a->resolved : NAN);
    FIG("Bugün açık", "Open today", RS_INT, a->open_now);
    FIG("Süresi geçmiş (bugün)", "Overdue today", RS_INT, a->overdue_now);
    FIG("Merkeze iade edilen", "Returned to the centre", RS_INT, a->returned);
    FIG("Birim değiştiren", "Transferred", RS_INT, a->transferred);
    FIG("Yeniden açılan", "Reopened", RS_INT, a->reopened);
    FIG("Çözüm süresi, medyan (iş günü)", "Resolution, median (working days)", RS_DAYS,
        a->resolution_median_wd);
    FIG("Çözüm süresi, %90'lık dilim (iş günü)", "Resolution, 90th percentile (working days)",
        RS_DAYS, a->resolution_p90_wd);
    FIG("Anket yanıtı", "Survey answers", RS_INT, s->survey.answers);
    FIG("Memnuniyet oranı", "Satisfaction", RS_PCT,
        s->survey.answers > 0 ? s->survey.satisfied_share : NAN);
#undef FIG
    return n;
}

static bool has_labels(const struct rs_table *t)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (t->rows[r].label && t->rows[r].label[0])
            return true;
    return false;
}

#define DASH "—"

static void wrap(FILE *f, const char *text, size_t cols)
{
    size_t col = 0;
    const char *p = text;
    while (*p) {
        const char *sp = strchr(p, ' ');
        size_t len = sp ? (size_t)(sp - p) : strlen(p);
        char word[512];
        size_t wl = len < sizeof word - 1 ? len : sizeof word - 1;
        memcpy(word, p, wl);
        word[wl] = '\0';
        size_t ww = width(word);
        if (col > 0 && col + 1 + ww > cols) {
            fputc('\n', f);
            col = 0;
        } else if (col > 0) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, len, f);
        col += ww;
        p += len;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

static void write_table_text(FILE *f, const struct rs_table *t, enum tr_lang lang)
{
    bool tr = lang == TR_LANG_TR, lab = has_labels(t);
    const char *title = tr ? t->title_tr : t->title_en;
    char v[NB];
    size_t ncols = t->ncols > RS_MAXCOLS ? RS_MAXCOLS : t->ncols;
    size_t wk = width(tr ? t->keycol.tr : t->keycol.en), wl = width(tr ? "Adı" : "Name");
    size_t wv[RS_MAXCOLS];
    for (size_t c = 0; c < ncols; c++)
        wv[c] = width(tr ? t->cols[c].tr : t->cols[c].en);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct rs_row *row = &t->rows[r];
        if (width(row->key ? row->key : "") > wk)
            wk = width(row->key ? row->key : "");
        if (lab && row->label && width(row->label) > wl)
            wl = width(row->label);
        for (size_t c = 0; c < ncols; c++) {
            value_text(v, sizeof v, t->cols[c].type, row->v[c], lang);
            size_t w = v[0] ? width(v) : 1;
            if (w > wv[c])
                wv[c] = w;
        }
    }
    fprintf(f, "\n%s\n", title);
    for (size_t i = width(title); i > 0; i--)
        fputc('-', f);
    fputc('\n', f);
    const char *kh = tr ? t->keycol.tr : t->keycol.en;
    fputs(kh, f);
    pad(f, wk - width(kh));
    if (lab) {
        const char *lh = tr ? "Adı" : "Name";
        fprintf(f, "  %s", lh);
        pad(f, wl - width(lh));
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *h = tr ? t->cols[c].tr : t->cols[c].en;
        fputs("  ", f);
        pad(f, wv[c] - width(h));
        fputs(h, f);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct rs_row *row = &t->rows[r];
        const char *k = row->key ? row->key : "";
        fputs(k, f);
        pad(f, wk - width(k));
        if (lab) {
            const char *l = row->label ? row->label : "";
            fprintf(f, "  %s", l);
            pad(f, wl - width(l));
        }
        for (size_t c = 0; c < ncols; c++) {
            value_text(v, sizeof v, t->cols[c].type, row->v[c], lang);
            const char *out = v[0] ? v : DASH;
            fputs("  ", f);
            pad(f, wv[c] - width(out));
            fputs(out, f);
        }
        fputc('\n', f);
    }
    if (t->nrows == 0)
        fprintf(f, "%s\n", tr ? "(kayıt yok)" : "(no rows)");
}

int report_write_text(FILE *f, const struct report_summary *s, enum tr_lang lang)
{
    bool tr = lang == TR_LANG_TR;
    char *para = report_paragraph(s, lang);
    char v[NB];
    fprintf(f, "%s %s – %s\n\n", tr ? "ALO 153 raporu" : "ALO 153 report", s->p.from, s->p.to);
    wrap(f, para, 100);
    free(para);
    struct figure fig[MAX_FIGURES];
    size_t nf = figures(s, fig), w = 0;
    for (size_t i = 0; i < nf; i++)
        if (width(tr ? fig[i].tr : fig[i].en) > w)
            w = width(tr ? fig[i].tr : fig[i].en);
    const char *kf = tr ? "Temel göstergeler" : "Key figures";
    fprintf(f, "\n%s\n", kf);
    for (size_t i = width(kf); i > 0; i--)
        fputc('-', f);
    fputc('\n', f);
    size_t wv = 1; /* values right-aligned */
    for (size_t i = 0; i < nf; i++)
        if (width(value_text(v, sizeof v, fig[i].type, fig[i].v, lang)) > wv)
            wv = width(v);
    for (size_t i = 0; i < nf; i++) {
        const char *name = tr ? fig[i].tr : fig[i].en;
        value_text(v, sizeof v, fig[i].type, fig[i].v, lang);
        const char *out = v[0] ? v : DASH;
        fputs(name, f);
        pad(f, w - width(name) + 2 + wv - width(out));
        fprintf(f, "%s\n", out);
    }
    for (size_t i = 0; i < s->ntables; i++)
        write_table_text(f, &s->tables[i], lang);
    return ferror(f) ? ERR_IO : ERR_OK;
}

/* ---- CSV ---- */

static void csv_field(FILE *f, const char *s, bool text)
{
    if (!s)
        s = "";
    bool formula = text && s[0] && strchr("=+-@\t\r", s[0]);
    bool quote = formula || strpbrk(s, ";\"\r\n") != NULL || s[0] == ' ' ||
                 (s[0] && s[strlen(s) - 1] == ' ');
    if (!quote) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* a value for spreadsheets: no grouping, up to two decimals, shares in percent points */
static const char *csv_value(char *buf, size_t n, enum rs_type t, double v, enum tr_lang lang)
{
    if (!isfinite(v)) {
        buf[0] = '\0';
        return buf;
    }
    if (t == RS_INT) {
        snprintf(buf, n, "%lld", (long long)llround(v));
        return buf;
    }
    snprintf(buf, n, "%.2f", t == RS_PCT ? v * 100.0 : v);
    char *dot = strchr(buf, '.');
    if (dot) {
        size_t l = strlen(buf);
        while (l > 0 && buf[l - 1] == '0')
            buf[--l] = '\0';
        if (buf[l - 1] == '.')
            buf[--l] = '\0';
        else if (lang == TR_LANG_TR)
            *dot = ',';
    }
    if (strcmp(buf, "-0") == 0)
        str_copy(buf, n, "0");
    return buf;
}

int report_write_csv(FILE *f, const struct rs_table *t, enum tr_lang lang)
{
    bool tr = lang == TR_LANG_TR, lab = has_labels(t);
    size_t ncols = t->ncols > RS_MAXCOLS ? RS_MAXCOLS : t->ncols;
    char v[NB], h[256];
    fputs("\xEF\xBB\xBF", f);
    csv_field(f, tr ? t->keycol.tr : t->keycol.en, true);
    if (lab) {
        fputc(';', f);
        csv_field(f, tr ? "Adı" : "Name", true);
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *name = tr ? t->cols[c].tr : t->cols[c].en;
        if (t->cols[c].type == RS_PCT)
            snprintf(h, sizeof h, "%s (%%)", name);
        else
            str_copy(h, sizeof h, name);
        fputc(';', f);
        csv_field(f, h, true);
    }
    fputs("\r\n", f);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct rs_row *row = &t->rows[r];
        csv_field(f, row->key, true);
        if (lab) {
            fputc(';', f);
            csv_field(f, row->label, true);
        }
        for (size_t c = 0; c < ncols; c++) {
            fputc(';', f);
            fputs(csv_value(v, sizeof v, t->cols[c].type, row->v[c], lang), f);
        }
        fputs("\r\n", f);
    }
    return ferror(f) ? ERR_IO : ERR_OK;
}

/* ---- XLSX ---- */

struct xfmt {
    lxw_format *head, *title, *wrap, *num[RS_TEXT + 1];
};

static lxw_format *num_format(lxw_workbook *wb, const char *fmt)
{
    lxw_format *f = workbook_add_format(wb);
    format_set_num_format(f, fmt);
    return f;
}

/* title's first max characters, []:*?/\\' replaced by spaces, into out (at most 31 × 4 bytes) */
static void sheet_base(char *out, size_t n, const char *title, size_t max)
{
    size_t o = 0, chars = 0;
    for (const char *p = title; *p && o + 1 < n; p++) {
        unsigned char ch = (unsigned char)*p;
        if ((ch & 0xC0) != 0x80 && ++chars > max)
            break;
        out[o++] = strchr("[]:*?/\\'", ch) ? ' ' : (char)ch;
    }
    out[o] = '\0';
}

/* A sheet name Excel accepts: no []:*?/\\', at most 31 characters, unique (case-insensitive:
 * strcasecmp folds ASCII only, good enough for our titles); a repeated name gets " 2", " 3". */
static void sheet_name(char *out, size_t n, const char *title, char used[][128], size_t nused)
{
    char base[128], cand[140];
    const char *t = title && *title ? title : "Sheet";
    sheet_base(base, sizeof base, t, 31);
    str_copy(out, n, base);
    for (int k = 2; k < 100; k++) {
        bool dup = false;
        for (size_t i = 0; i < nused; i++)
            if (strcasecmp(used[i], out) == 0)
                dup = true;
        if (!dup)
            return;
        sheet_base(base, sizeof base, t, 28); /* room for " 99" */
        snprintf(cand, sizeof cand, "%s %d", base, k);
        str_copy(out, n, cand);
    }
}

static double col_width(size_t chars)
{
    double w = (double)chars + 2.0;
    return w < 8 ? 8 : w > 60 ? 60 : w;
}

static void write_table_sheet(lxw_worksheet *ws, const struct rs_table *t, enum tr_lang lang,
                              const struct xfmt *xf)
{
    bool tr = lang == TR_LANG_TR, lab = has_labels(t);
    size_t ncols = t->ncols > RS_MAXCOLS ? RS_MAXCOLS : t->ncols;
    lxw_col_t c0 = lab ? 2 : 1;
    size_t wk = width(tr ? t->keycol.tr : t->keycol.en), wl = 6;
    worksheet_write_string(ws, 0, 0, tr ? t->keycol.tr : t->keycol.en, xf->head);
    if (lab)
        worksheet_write_string(ws, 0, 1, tr ? "Adı" : "Name", xf->head);
    for (size_t c = 0; c < ncols; c++)
        worksheet_write_string(ws, 0, (lxw_col_t)(c0 + c), tr ? t->cols[c].tr : t->cols[c].en,
                               xf->head);
    for (size_t r = 0; r < t->nrows; r++) {
        const struct rs_row *row = &t->rows[r];
        lxw_row_t xr = (lxw_row_t)(r + 1);
        worksheet_write_string(ws, xr, 0, row->key ? row->key : "", NULL);
        if (row->key && width(row->key) > wk)
            wk = width(row->key);
        if (lab && row->label) {
            worksheet_write_string(ws, xr, 1, row->label, NULL);
            if (width(row->label) > wl)
                wl = width(row->label);
        }
        for (size_t c = 0; c < ncols; c++)
            if (isfinite(row->v[c]))
                worksheet_write_number(ws, xr, (lxw_col_t)(c0 + c), row->v[c],
                                       xf->num[t->cols[c].type]);
    }
    worksheet_set_column(ws, 0, 0, col_width(wk), NULL);
    if (lab)
        worksheet_set_column(ws, 1, 1, col_width(wl), NULL);
    for (size_t c = 0; c < ncols; c++) {
        size_t w = width(tr ? t->cols[c].tr : t->cols[c].en);
        worksheet_set_column(ws, (lxw_col_t)(c0 + c), (lxw_col_t)(c0 + c),
                             col_width(w < 12 ? 12 : w), NULL);
    }
    worksheet_freeze_panes(ws, 1, 0);
}

static void write_summary_sheet(lxw_worksheet *ws, const struct report_summary *s,
                                enum tr_lang lang, const struct xfmt *xf)
{
    bool tr = lang == TR_LANG_TR;
    char title[128];
    snprintf(title, sizeof title, "%s %s – %s", tr ? "ALO 153 raporu" : "ALO 153 report", s->p.from,
             s->p.to);
    worksheet_write_string(ws, 0, 0, title, xf->title);
    char *para = report_paragraph(s, lang);
    worksheet_merge_range(ws, 2, 0, 2, 1, para, xf->wrap);
    worksheet_set_row(ws, 2, 15.0 * (double)(1 + strlen(para) / 90), NULL);
    free(para);
    worksheet_write_string(ws, 4, 0, tr ? "Gösterge" : "Figure", xf->head);
    worksheet_write_string(ws, 4, 1, tr ? "Değer" : "Value", xf->head);
    struct figure fig[MAX_FIGURES];
    size_t nf = figures(s, fig);
    for (size_t i = 0; i < nf; i++) {
        lxw_row_t r = (lxw_row_t)(5 + i);
        worksheet_write_string(ws, r, 0, tr ? fig[i].tr : fig[i].en, NULL);
        if (isfinite(fig[i].v))
            worksheet_write_number(ws, r, 1, fig[i].v, xf->num[fig[i].type]);
    }
    worksheet_set_column(ws, 0, 0, 45, NULL);
    worksheet_set_column(ws, 1, 1, 60, NULL);
}

int report_write_xlsx(const char *path, const struct report_summary *s, enum tr_lang lang,
                      const char *only_table, struct err_detail *ed)
{
    bool found = false;
    for (size_t i = 0; only_table && i < s->ntables; i++)
        found = found || strcmp(s->tables[i].name, only_table) == 0;
    if (only_table && !found)
        return err_set(ed, ERR_NOT_FOUND, "table", "no table called '%s'", only_table);
    lxw_workbook *wb = workbook_new(path);
    if (!wb)
        return err_set(ed, ERR_IO, NULL, "cannot create %s", path);
    struct xfmt xf;
    xf.head = workbook_add_format(wb);
    format_set_bold(xf.head);
    format_set_bottom(xf.head, LXW_BORDER_THIN);
    xf.title = workbook_add_format(wb);
    format_set_bold(xf.title);
    format_set_font_size(xf.title, 14);
    xf.wrap = workbook_add_format(wb);
    format_set_text_wrap(xf.wrap);
    format_set_align(xf.wrap, LXW_ALIGN_VERTICAL_TOP);
    xf.num[RS_INT] = num_format(wb, "#,##0");
    xf.num[RS_PCT] = num_format(wb, "0.00%");
    xf.num[RS_NUM] = num_format(wb, "0.0");
    xf.num[RS_DAYS] = num_format(wb, "0.0");
    xf.num[RS_TEXT] = NULL;
    bool tr = lang == TR_LANG_TR;
    char used[64][128];
    size_t nused = 0;
    char name[128];
    if (!only_table) {
        str_copy(used[nused++], sizeof used[0], tr ? "Özet" : "Summary");
        lxw_worksheet *ws = workbook_add_worksheet(wb, used[0]);
        if (ws)
            write_summary_sheet(ws, s, lang, &xf);
    }
    for (size_t i = 0; i < s->ntables && nused < 64; i++) {
        const struct rs_table *t = &s->tables[i];
        if (only_table && strcmp(t->name, only_table) != 0)
            continue;
        sheet_name(name, sizeof name, tr ? t->title_tr : t->title_en, used, nused);
        str_copy(used[nused++], sizeof used[0], name);
        lxw_worksheet *ws = workbook_add_worksheet(wb, name);
        if (!ws) {
            workbook_close(wb);
            return err_set(ed, ERR_INTERNAL, NULL, "sheet name '%s' refused", name);
        }
        write_table_sheet(ws, t, lang, &xf);
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return err_set(ed, ERR_IO, NULL, "cannot write %s: %s", path, lxw_strerror(e));
    return ERR_OK;
}
