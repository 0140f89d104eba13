/* alo153 train / alo153 eval: the routing model from the corpus plus the corrections people
 * made in the database (core/learn.h), promoted only past the gate when one is given, and its
 * measurement on a held-out file. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"
#include "core/learn.h"
#include "core/reference.h"
#include "nlp/classifier.h"
#include "nlp/modelfile.h"
#include "report/report.h"
#include "store/store.h"
#include "util/parse.h"
#include "util/str.h"
#include "util/timeutil.h"
#include "util/xmalloc.h"
#include "util/banned.h"

struct corpus {
    struct cls_example *ex;
    char **owned; /* strings to free */
    char **style; /* optional third column, parallel to ex */
    size_t n, cap, nowned;
};

static char *own(struct corpus *c, const char *s)
{
    char *p = xstrdup(s);
    c->owned = xrealloc(c->owned, (c->nowned + 1) * sizeof(char *));
    c->owned[c->nowned++] = p;
    return p;
}

static void corpus_add(struct corpus *c, const char *text, const char *label, const char *style)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->ex = xrealloc(c->ex, c->cap * sizeof(*c->ex));
        c->style = xrealloc(c->style, c->cap * sizeof(char *));
    }
    c->ex[c->n].text = own(c, text);
    c->ex[c->n].label = own(c, label);
    c->style[c->n] = style ? own(c, style) : NULL;
    c->n++;
}

static void corpus_free(struct corpus *c)
{
    for (size_t i = 0; i < c->nowned; i++)
        free(c->owned[i]);
    free(c->owned);
    free(c->ex);
    free(c->style);
}

/* Read "text<TAB>label[<TAB>style]" lines; returns lines read or -1. */
static long corpus_read(struct corpus *c, const char *path)
{
    FILE *f = fopen(path, "r");
    char *line = NULL;
    size_t cap = 0;
    long n = 0;
    if (!f)
        return -1;
    while (getline(&line, &cap, f) > 0) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab || tab == line || line[0] == '#')
            continue;
        *tab = '\0';
        char *label = tab + 1, *style = strchr(label, '\t');
        if (style)
            *style++ = '\0';
        if (!*label)
            continue;
        corpus_add(c, line, label, style);
        n++;
    }
    free(line);
    fclose(f);
    return n;
}

static int read_dir(struct corpus *c, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    if (!d)
        return -1;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".tsv") == 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            corpus_read(c, path);
        }
    }
    closedir(d);
    return 0;
}

static int from_db(void *ctx, const char *text, const char *category)
{
    corpus_add(ctx, text, category, NULL);
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

struct gate_opts {
    const char *file; /* the frozen test file; NULL: no gate */
    double tol;       /* tolerance, fraction */
    bool schedule;    /* the scheduled run: a gate is required, one run at a time */
};
static int train_gated(struct cls_model *m, const char *models, const char *ts,
                       const struct gate_opts *g, size_t examples, size_t corrections);
static int train_lock(const char *models);

/* ---------------------------------------------------------------- calibration */

static const char *dept_of(const char *label);

/* Top probability of each example with a known label and words, and whether the top category and
 * its department are right. */
struct confs {
    size_t n;
    double *conf;
    bool *cat_ok, *dept_ok;
};

static void confs_free(struct confs *cf)
{
    free(cf->conf);
    free(cf->cat_ok);
    free(cf->dept_ok);
    memset(cf, 0, sizeof(*cf));
}

static void confs_collect(const struct cls_model *m, const struct corpus *c, struct confs *cf)
{
    struct cls_suggestion s[1];
    size_t cap = c->n ? c->n : 1;
    cf->n = 0;
    cf->conf = xmalloc(cap * sizeof(double));
    cf->cat_ok = xmalloc(cap * sizeof(bool));
    cf->dept_ok = xmalloc(cap * sizeof(bool));
    for (size_t i = 0; i < c->n; i++) {
        const char *gd = dept_of(c->ex[i].label);
        if (!gd || cls_predict(m, c->ex[i].text, s, 1) != 1)
            continue;
        const char *pd = dept_of(s[0].label);
        cf->conf[cf->n] = s[0].p;
        cf->cat_ok[cf->n] = strcmp(s[0].label, c->ex[i].label) == 0;
        cf->dept_ok[cf->n] = pd && strcmp(pd, gd) == 0;
        cf->n++;
    }
}

/* Fit the temperature on the dev file (category labels) and choose the abstention threshold:
 * the lowest at which the department is right for `target` of the texts above it. */
static int calibrate(struct cls_model *m, const char *file, double target)
{
    struct corpus dev = { 0 };
    if (corpus_read(&dev, file) < 0) {
        fprintf(stderr, "alo153 train: cannot read the dev file %s\n", file);
        return -1;
    }
    size_t nl = cls_num_labels(m), n = 0;
    double *z = xmalloc((dev.n ? dev.n : 1) * nl * sizeof(double));
    uint32_t *gold = xmalloc((dev.n ? dev.n : 1) * sizeof(uint32_t));
    for (size_t i = 0; i < dev.n; i++) {
        size_t g;
        for (g = 0; g < nl; g++)
            if (strcmp(cls_label(m, g), dev.ex[i].label) == 0)
                break;
        if (g < nl && cls_logits(m, dev.ex[i].text, z + n * nl) > 0)
            gold[n++] = (uint32_t)g;
    }
    int rc = -1;
    if (n < 50) {
        fprintf(stderr, "alo153 train: only %zu usable lines in %s; not calibrated\n", n, file);
        goto out;
    }
    struct confs before = { 0 }, after = { 0 };
    confs_collect(m, &dev, &before);
    double t = cls_fit_temperature(z, gold, n, nl);
    cls_set_calibration(m, t, 0);
    confs_collect(m, &dev, &after);
    double thr = cls_choose_threshold(after.conf, after.dept_ok, after.n, target);
    cls_set_calibration(m, t, thr);
    size_t cov = 0;
    for (size_t i = 0; i < after.n; i++)
        cov += after.conf[i] >= thr;
    printf("calibrate: %zu dev lines of %s: temperature %.3f, ECE %.4f -> %.4f; threshold %.2f "
           "(department right for >= %.0f %% above it), coverage %.1f %%\n",
           n, file, t, cls_ece(before.conf, before.cat_ok, before.n, 10, NULL),
           cls_ece(after.conf, after.cat_ok, after.n, 10, NULL), thr, 100 * target,
           100.0 * (double)cov / (double)after.n);
    confs_free(&before);
    confs_free(&after);
    rc = 0;
out:
    free(z);
    free(gold);
    corpus_free(&dev);
    return rc;
}

/* Long on purpose: option parsing, reading the corpora, training and saving are one sequence with
 * one cleanup path. */
int cmd_train(int argc, char **argv)
{
    static const struct option opts[] = { { "db", required_argument, NULL, 'd' },
                                          { "corpus", required_argument, NULL, 'c' },
                                          { "models", required_argument, NULL, 'm' },
                                          { "no-db", no_argument, NULL, 'n' },
                                          { "c", required_argument, NULL, 'C' },
                                          { "gate", required_argument, NULL, 'g' },
                                          { "tolerance", required_argument, NULL, 't' },
                                          { "schedule", no_argument, NULL, 's' },
                                          { "calibrate", required_argument, NULL, 'k' },
                                          { "no-calibrate", no_argument, NULL, 'K' },
                                          { "target", required_argument, NULL, 'T' },
                                          { "features", required_argument, NULL, 'f' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *db = NULL, *corpus_dir = "data/corpus", *models = NULL;
    bool use_db = true, calib = true;
    const char *dev = NULL;
    double cparam = 0, target = 0.98;
    unsigned features = 0;
    struct gate_opts gate = { .file = getenv("ALO153_GATE") };
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'd': db = optarg; break;
        case 'c': corpus_dir = optarg; break;
        case 'm': models = optarg; break;
        case 'n': use_db = false; break;
        case 'C':
            if (!parse_double(optarg, 1e-4, 1e4, &cparam)) {
                fprintf(stderr, "alo153 train: --c must be a positive number\n");
                return EXIT_USAGE;
            }
            break;
        case 'g': gate.file = optarg; break;
        case 't':
            if (!parse_double(optarg, 0, 100, &gate.tol)) {
                fprintf(stderr, "alo153 train: --tolerance must be 0..100 (percentage points)\n");
                return EXIT_USAGE;
            }
            gate.tol /= 100;
            break;
        case 's': gate.schedule = true; break;
        case 'k': dev = optarg; break;
        case 'K': calib = false; break;
        case 'f':
            features = CLS_F_GIVEN;
            for (char *tok = optarg, *next; tok; tok = next) {
                next = strchr(tok, ',');
                if (next)
                    *next++ = '\0';
                if (strcmp(tok, "colloquial") == 0)
                    features |= CLS_F_COLLOQUIAL;
                else if (strcmp(tok, "char25") == 0)
                    features |= CLS_F_CHAR25;
                else if (strcmp(tok, "svm") == 0)
                    features |= CLS_F_SVM;
                else if (strcmp(tok, "plain") != 0) {
                    fprintf(stderr, "alo153 train: unknown feature '%s'\n", tok);
                    return EXIT_USAGE;
                }
            }
            break;
        case 'T':
            if (!parse_double(optarg, 0.5, 1.0, &target)) {
                fprintf(stderr, "alo153 train: --target must be 0.5..1\n");
                return EXIT_USAGE;
            }
            break;
        case 'h':
            printf(
                "usage: alo153 train [--db FILE | --no-db] [--corpus DIR] [--models DIR] [--c C]\n"
                "                    [--gate FILE.tsv [--tolerance PP]] [--schedule]\n"
                "                    [--calibrate DEV.tsv | --no-calibrate] [--target 0.98]\n"
                "                    [--features plain|colloquial,char25,svm]\n"
                "Trains the routing model on every .tsv in the corpus folder (default\n"
                "data/corpus; lines 'text<TAB>CATEGORY') plus the corrections recorded in\n"
                "the database (the last final category of each returned, transferred or\n"
                "re-routed application), writes MODELS/route-<time>.model and points\n"
                "MODELS/current at it (default folder: models, or ALO153_MODELS).\n"
                "The probabilities are calibrated on a dev file never trained on (default\n"
                "data/eval/heldout.tsv when it exists): a softmax temperature, and the\n"
                "abstention threshold at which the department is right for --target of the\n"
                "texts above it.\n"
                "With --gate (or ALO153_GATE) the new model is promoted only if its\n"
                "department top-1, overall and on the 'decoy' lines of the file, is not\n"
                "worse than the current model's (by more than --tolerance points, default\n"
                "0); otherwise it is kept as MODELS/rejected-<time>.model. The figures go\n"
                "to MODEL.gate. --schedule is the nightly run (cron/systemd timer): a gate\n"
                "is required and a second run at the same time exits without training.\n"
                "A running server picks the new model up without a restart.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "alo153 train: unexpected argument '%s'\n", argv[optind]);
        return EXIT_USAGE;
    }
    models = modelfile_dir(models);
    if (gate.schedule && !gate.file) {
        fprintf(stderr, "alo153 train: --schedule needs --gate FILE (or ALO153_GATE)\n");
        return EXIT_USAGE;
    }
    int lock = -1;
    if (gate.schedule && (lock = train_lock(models)) < 0)
        return lock == -2 ? 0 : 1;
    struct corpus c = { 0 };
    int rc = 1;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (read_dir(&c, corpus_dir) < 0)
        fprintf(stderr, "alo153 train: no corpus folder %s (training on the database only)\n",
                corpus_dir);
    size_t from_corpus = c.n;
    if (use_db) {
        struct err_detail ed = { 0 };
        struct store *st = NULL;
        if (store_open_existing(cli_db_path(db), &st, &ed) == ERR_OK) {
            /* corrections, not every closed application: what the model routed itself and
             * nobody checked would teach it its own guesses (issue 13) */
            store_correction_training_each(st, from_db, &c);
            store_close(st);
        } else if (db) {
            fprintf(stderr, "alo153 train: %s\n", ed.message);
            goto out;
        }
    }
    printf("train: %zu examples (%zu from the corpus, %zu corrections)\n", c.n, from_corpus,
           c.n - from_corpus);
    char err[256], path[4096], ts[32], name[64];
    struct cls_train_opts topts = { .c = cparam, .features = features };
    struct cls_model *m = cls_train(c.ex, c.n, &topts, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "alo153 train: %s\n", err);
        goto out;
    }
    double secs = seconds_since(&t0);
    struct stat dsb;
    bool dev_given = dev != NULL;
    if (!dev && calib && stat("data/eval/heldout.tsv", &dsb) == 0)
        dev = "data/eval/heldout.tsv";
    if (calib && dev && calibrate(m, dev, target) != 0) {
        if (dev_given) {
            cls_free(m);
            goto out;
        }
        /* the default dev file does not fit this corpus (e.g. a small one of a few
         * categories): the model stays uncalibrated, with the old threshold */
        fprintf(stderr, "alo153 train: the model is not calibrated\n");
    }
    char stamp[TIME_RFC3339_LEN];
    time_format(time_now(), stamp);
    /* 2026-11-23T19:59:00Z → 20261123T195900Z */
    size_t j = 0;
    for (const char *p = stamp; *p && j + 1 < sizeof(ts); p++)
        if (*p != '-' && *p != ':')
            ts[j++] = *p;
    ts[j] = '\0';
    snprintf(name, sizeof(name), "route-%s.model", ts);
    if (gate.file) {
        rc = train_gated(m, models, ts, &gate, c.n, c.n - from_corpus);
        cls_free(m);
        goto out;
    }
    if (modelfile_save_current(m, models, name, path, sizeof(path)) != 0) {
        fprintf(stderr, "alo153 train: cannot write %s/%s\n", models, name);
        cls_free(m);
        goto out;
    }
    struct stat sb;
    stat(path, &sb);
    printf("train: %zu labels, %zu features, %.1f s; wrote %s (%.1f MB), now current\n",
           cls_num_labels(m), cls_num_features(m), secs, path, (double)sb.st_size / 1e6);
    cls_free(m);
    rc = 0;
out:
    corpus_free(&c);
    if (lock >= 0)
        close(lock); /* releases the flock */
    return rc;
}

/* ---------------------------------------------------------------- eval */

static const char *dept_of(const char *label)
{
    const struct ref_category *c = ref_category_find(label);
    if (c)
        return c->department;
    const struct ref_department *d = ref_department_find(label);
    return d && !d->parent ? d->code : NULL;
}

static bool is_category(const char *label)
{
    return ref_category_find(label) != NULL;
}

struct miss_ctx {
    const struct corpus *c;
};

static void print_miss(void *ctx, size_t i, const struct cls_suggestion *top)
{
    const struct corpus *c = ((struct miss_ctx *)ctx)->c;
    printf("miss\t%s\t%s→%s (%.2f)\t%s\n", c->style[i] ? c->style[i] : "-", c->ex[i].label,
           top[0].label, top[0].p, c->ex[i].text);
}

/* The text report of alo153 eval. */
static void print_eval(const struct report_eval *e, const char *model, const char *file,
                       double secs, bool warm)
{
    size_t nd = e->ndepartments;
    printf("eval: %s on %s\n", model, file);
    printf("examples            %zu (%zu skipped: unknown label or no words)\n", e->n, e->skipped);
    printf("department top-1    %.2f %%\n", 100.0 * (double)e->top1 / (double)e->n);
    printf("department top-3    %.2f %%\n", 100.0 * (double)e->top3 / (double)e->n);
    if (e->cat_n)
        printf("category top-1      %.2f %%  (%zu examples)\n",
               100.0 * (double)e->cat1 / (double)e->cat_n, e->cat_n);
    printf("department macro-F1 %.4f\n", e->macro_f1);
    printf("time per text       %.1f µs (features + prediction, one thread%s)\n",
           secs * 1e6 / (double)(e->n + e->skipped),
           warm ? ", warm, CPU time, mean of --repeat passes" : "");
    if (e->by_style.nrows) {
        printf("\nby style            n     top-1     top-3\n");
        for (size_t si = 0; si < e->by_style.nrows; si++) {
            const struct report_row *r = &e->by_style.rows[si];
            printf("  %-14s %5lld  %7.2f %%  %7.2f %%\n", r->key, (long long)r->v[0],
                   100.0 * (double)r->v[1] / (double)r->v[0],
                   100.0 * (double)r->v[2] / (double)r->v[0]);
        }
    }
    printf("\nconfusion (rows: true department, columns: predicted)\n%-10s", "");
    for (size_t d = 0; d < nd; d++)
        printf(" %4.4s", e->departments[d]);
    printf("\n");
    for (size_t g = 0; g < nd; g++) {
        printf("%-10s", e->departments[g]);
        for (size_t p = 0; p < nd; p++)
            printf(" %4zu", e->confusion[g * nd + p]);
        printf("\n");
    }
}

/* Calibration and abstention on the eval file: ECE, the reliability table and accuracy against
 * coverage (only texts whose top probability reaches the threshold are decided). */
static void print_calibration(const struct cls_model *m, const struct corpus *c)
{
    struct confs cf = { 0 };
    struct cls_bin bins[10];
    confs_collect(m, c, &cf);
    if (!cf.n) {
        confs_free(&cf);
        return;
    }
    double thr = cls_threshold(m);
    printf("\ncalibration         %s, temperature %.3f, threshold %.2f\n",
           cls_temperature(m) > 0 ? "calibrated" : "uncalibrated", cls_temperature(m), thr);
    double ece_cat = cls_ece(cf.conf, cf.cat_ok, cf.n, 10, bins);
    printf("ECE (category)      %.4f\n", ece_cat);
    printf("ECE (department)    %.4f\n", cls_ece(cf.conf, cf.dept_ok, cf.n, 10, NULL));
    printf("\nreliability (top probability, category right)\n  bin          n   confidence  "
           "accuracy\n");
    for (int b = 0; b < 10; b++)
        if (bins[b].n)
            printf("  %.1f-%.1f  %5zu   %8.3f   %8.3f\n", b / 10.0, (b + 1) / 10.0, bins[b].n,
                   bins[b].confidence, bins[b].accuracy);
    printf("\naccuracy against coverage (decided: top probability >= threshold)\n"
           "  threshold  coverage  department  category\n");
    double ts[] = { 0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, thr };
    for (size_t k = 0; k < sizeof(ts) / sizeof(ts[0]); k++) {
        if (k + 1 == sizeof(ts) / sizeof(ts[0]) && thr <= 0)
            break;
        size_t cnt = 0, dok = 0, cok = 0;
        for (size_t i = 0; i < cf.n; i++)
            if (cf.conf[i] >= ts[k]) {
                cnt++;
                dok += cf.dept_ok[i];
                cok += cf.cat_ok[i];
            }
        printf("  %-9.2f %7.2f %%  %8.2f %%  %6.2f %%%s\n", ts[k],
               100.0 * (double)cnt / (double)cf.n, cnt ? 100.0 * (double)dok / (double)cnt : 0,
               cnt ? 100.0 * (double)cok / (double)cnt : 0,
               k + 1 == sizeof(ts) / sizeof(ts[0]) ? "  (the model's threshold)" : "");
    }
    confs_free(&cf);
}

/* Long on purpose: option parsing, then report_eval and its text rendering, in the order the report
 * prints. */
int cmd_eval(int argc, char **argv)
{
    static const struct option opts[] = {
        { "model", required_argument, NULL, 'm' }, { "models", required_argument, NULL, 'M' },
        { "errors", no_argument, NULL, 'e' },      { "repeat", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    const char *model = NULL, *models = NULL;
    bool show_errors = false;
    int64_t repeat = 0;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 'm': model = optarg; break;
        case 'M': models = optarg; break;
        case 'e': show_errors = true; break;
        case 'r':
            if (!parse_i64(optarg, 1, 1000, &repeat)) {
                fprintf(stderr, "alo153 eval: --repeat must be 1..1000\n");
                return EXIT_USAGE;
            }
            break;
        case 'h':
            printf("usage: alo153 eval FILE.tsv [--model FILE | --models DIR] [--errors] [--repeat "
                   "N]\n"
                   "Lines 'text<TAB>LABEL[<TAB>STYLE]', LABEL a category or a department code.\n"
                   "Prints top-1/top-3 department accuracy, category accuracy, macro-F1 over\n"
                   "departments, the confusion matrix, accuracy per STYLE when given, the\n"
                   "calibration (ECE, reliability) and accuracy against coverage.\n");
            return 0;
        default: return EXIT_USAGE;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: alo153 eval FILE.tsv [--model FILE]\n");
        return EXIT_USAGE;
    }
    char err[512], cur[4096];
    if (!model) {
        if (modelfile_current_path(modelfile_dir(models), cur, sizeof(cur)) != 0) {
            fprintf(stderr, "alo153 eval: no current model in %s; run alo153 train\n",
                    modelfile_dir(models));
            return 1;
        }
        model = cur;
    }
    struct cls_model *m = cls_load(model, err, sizeof(err));
    if (!m) {
        fprintf(stderr, "alo153 eval: %s\n", err);
        return 1;
    }
    struct corpus c = { 0 };
    struct report_eval *ev = NULL;
    int rc = 1;
    if (corpus_read(&c, argv[optind]) < 0) {
        fprintf(stderr, "alo153 eval: cannot read %s\n", argv[optind]);
        goto out;
    }
    /* departments: the top-level ones of the reference municipality, in table order */
    const char *depts[64];
    size_t nd = 0;
    for (size_t i = 0; i < ref_departments_len && nd < 64; i++)
        if (!ref_departments[i].parent)
            depts[nd++] = ref_departments[i].code;
    struct miss_ctx mc = { .c = &c };
    struct report_eval_input in = { .m = m,
                                    .ex = c.ex,
                                    .style = (const char *const *)c.style,
                                    .n = c.n,
                                    .departments = depts,
                                    .ndepartments = nd,
                                    .department_of = dept_of,
                                    .is_category = is_category,
                                    .on_miss = show_errors ? print_miss : NULL,
                                    .ctx = &mc };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int erc = report_eval(&in, &ev, NULL);
    double secs = seconds_since(&t0);
    if (repeat) {
        /* warm: time classification alone over the file, repeat times, in CPU time of this
         * thread (the machine may be shared: wall time would count other processes) */
        struct cls_suggestion s[3];
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        for (int64_t r = 0; r < repeat; r++)
            for (size_t i = 0; i < c.n; i++)
                cls_predict(m, c.ex[i].text, s, 3);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        secs = ((double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9) /
               (double)repeat;
    }
    if (erc != ERR_OK) {
        fprintf(stderr, "alo153 eval: no usable examples in %s\n", argv[optind]);
        goto out;
    }
    print_eval(ev, model, argv[optind], secs, repeat != 0);
    print_calibration(m, &c);
    rc = 0;
out:
    report_eval_free(ev);
    corpus_free(&c);
    cls_free(m);
    return rc;
}

/* ---------------------------------------------------------------- the promotion gate (issue 13) */

/* One scheduled run at a time: an exclusive flock on MODELS/.train.lock (the models folder is
 * what all servers and runs share, also on PostgreSQL). The descriptor, -2 when another run
 * holds it, -1 on error. */
static int train_lock(const char *models)
{
    char path[4096];
    if (mkdir(models, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "alo153 train: cannot create %s\n", models);
        return -1;
    }
    snprintf(path, sizeof(path), "%s/.train.lock", models);
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) {
        fprintf(stderr, "alo153 train: cannot open %s\n", path);
        return -1;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        close(fd);
        printf("train: another scheduled training is running; nothing to do\n");
        return -2;
    }
    return fd;
}

/* Department top-1 of m on the gate file: overall and on the lines of style "decoy". */
static int gate_measure(struct cls_model *m, struct corpus *g, long *n, double *top1,
                        long *decoys_n, double *decoys)
{
    const char *depts[64];
    size_t nd = 0;
    struct report_eval *ev = NULL;
    for (size_t i = 0; i < ref_departments_len && nd < 64; i++)
        if (!ref_departments[i].parent)
            depts[nd++] = ref_departments[i].code;
    struct report_eval_input in = { .m = m,
                                    .ex = g->ex,
                                    .style = (const char *const *)g->style,
                                    .n = g->n,
                                    .departments = depts,
                                    .ndepartments = nd,
                                    .department_of = dept_of,
                                    .is_category = is_category };
    if (report_eval(&in, &ev, NULL) != ERR_OK)
        return -1;
    *n = (long)ev->n;
    *top1 = ev->n ? (double)ev->top1 / (double)ev->n : 0;
    *decoys_n = 0;
    *decoys = 0;
    for (size_t i = 0; i < ev->by_style.nrows; i++) {
        const struct report_row *r = &ev->by_style.rows[i];
        if (strcmp(r->key, "decoy") == 0 && r->v[0]) {
            *decoys_n = (long)r->v[0];
            *decoys = (double)r->v[1] / (double)r->v[0];
        }
    }
    report_eval_free(ev);
    return 0;
}

/* Measure the candidate m and the current model on the gate file, keep m as route-TS.model
 * and point current at it when it passes, else keep it as rejected-TS.model; the figures go
 * to the model's .gate file. 0 either way (a rejection is the gate working), 1 on errors. */
static int train_gated(struct cls_model *m, const char *models, const char *ts,
                       const struct gate_opts *go, size_t examples, size_t corrections)
{
    struct learn_gate g = { .examples = (long)examples, .corrections = (long)corrections };
    struct corpus test = { 0 };
    char cur[4096], path[4096], gpath[4200], err[256];
    int rc = 1;
    if (corpus_read(&test, go->file) < 0 || !test.n) {
        fprintf(stderr, "alo153 train: cannot read the gate file %s\n", go->file);
        goto out;
    }
    str_copy(g.file, sizeof(g.file), go->file);
    time_format(time_now(), g.at);
    if (gate_measure(m, &test, &g.n, &g.top1, &g.decoys_n, &g.decoys) != 0) {
        fprintf(stderr, "alo153 train: no usable line in the gate file %s\n", go->file);
        goto out;
    }
    if (modelfile_current_path(models, cur, sizeof(cur)) == 0) {
        struct cls_model *now = cls_load(cur, err, sizeof(err));
        long n2, d2;
        if (!now || gate_measure(now, &test, &n2, &g.against_top1, &d2, &g.against_decoys)) {
            fprintf(stderr, "alo153 train: the current model %s cannot be measured: %s\n", cur,
                    now ? "no usable line" : err);
            cls_free(now);
            goto out;
        }
        cls_free(now);
        const char *slash = strrchr(cur, '/');
        str_copy(g.against, sizeof(g.against), slash ? slash + 1 : cur);
    }
    bool pass = learn_gate_decide(&g, go->tol);
    snprintf(path, sizeof(path), "%s/%s-%s.model", models, pass ? "route" : "rejected", ts);
    snprintf(gpath, sizeof(gpath), "%s.gate", path);
    if ((mkdir(models, 0755) != 0 && errno != EEXIST) || !cls_save(m, path) ||
        learn_gate_write(gpath, &g) != 0 || (pass && modelfile_set_current(models, path) != 0)) {
        fprintf(stderr, "alo153 train: cannot write %s\n", path);
        goto out;
    }
    printf("gate: %s on %s (%ld lines, %ld decoys): candidate %.2f %% / decoys %.2f %%", go->file,
           g.against[0] ? g.against : "no current model", g.n, g.decoys_n, 100 * g.top1,
           100 * g.decoys);
    if (g.against[0])
        printf(", current %.2f %% / decoys %.2f %%", 100 * g.against_top1, 100 * g.against_decoys);
    printf("\ngate: %s: %s; wrote %s%s\n", g.verdict, g.reason, path, pass ? ", now current" : "");
    rc = 0;
out:
    corpus_free(&test);
    return rc;
}
