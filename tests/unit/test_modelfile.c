/* The models folder (src/nlp/modelfile.c): save-and-repoint, the current pointer (and bad
 * ones), and the watch that notices a repointed current, loads it once, and reports a model
 * that does not load without retrying it. */
#include <setjmp.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "nlp/modelfile.h"
#include "nlp/turkish.h"

static const struct cls_example train_set[] = {
    { "sokakta çukur var", "YOL" },
    { "yolda büyük çukur oluştu", "YOL" },
    { "çöpler alınmadı", "COP" },
    { "çöp toplanmadı kokuyor", "COP" },
};

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Give dir/current a modification time of its own (a second apart) so the watch sees it. */
static void touch_later(const char *dir, int seconds)
{
    char cur[512];
    snprintf(cur, sizeof(cur), "%s/current", dir);
    struct timespec ts[2] = { { .tv_sec = 1000000000 + seconds },
                              { .tv_sec = 1000000000 + seconds } };
    assert_int_equal(utimensat(AT_FDCWD, cur, ts, 0), 0);
}

static void test_save_current_and_watch(void **state)
{
    (void)state;
    char dir[] = "/tmp/alo153-models-XXXXXX", sub[512], path[1024], cur[1024], name[128], err[256];
    assert_non_null(mkdtemp(dir));
    snprintf(sub, sizeof(sub), "%s/models", dir); /* made by save */
    struct cls_model *m = cls_train(train_set, 4, &(struct cls_train_opts){ .min_df = 1 }, err,
                                    sizeof(err)),
                     *got = NULL;
    assert_non_null(m);

    struct modelfile_watch w;
    assert_true(modelfile_watch_init(&w, sub));
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), 0);
    assert_int_equal(modelfile_current_path(sub, cur, sizeof(cur)), -1); /* none yet */

    assert_int_equal(modelfile_save_current(m, sub, "a.model", path, sizeof(path)), 0);
    assert_int_equal(modelfile_current_path(sub, cur, sizeof(cur)), 0);
    assert_string_equal(cur, path);
    touch_later(sub, 1);
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), 1);
    assert_non_null(got);
    assert_string_equal(name, "a.model");
    assert_int_equal(cls_num_labels(got), 2);
    cls_free(got);
    /* unchanged: nothing loaded again */
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), 0);
    assert_null(got);

    /* repointed at a second file */
    assert_int_equal(modelfile_save_current(m, sub, "b.model", path, sizeof(path)), 0);
    touch_later(sub, 2);
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), 1);
    assert_string_equal(name, "b.model");
    cls_free(got);

    /* pointed at a missing file: -1 once, then not tried again until current changes */
    snprintf(cur, sizeof(cur), "%s/current", sub);
    write_file(cur, "gone.model\n");
    touch_later(sub, 3);
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), -1);
    assert_null(got);
    assert_non_null(strstr(err, "gone.model"));
    assert_int_equal(modelfile_watch_poll(&w, &got, name, sizeof(name), err, sizeof(err)), 0);

    /* a path-like or empty name is refused */
    write_file(cur, "../etc/passwd\n");
    assert_int_equal(modelfile_current_path(sub, path, sizeof(path)), -1);
    write_file(cur, "\n");
    assert_int_equal(modelfile_current_path(sub, path, sizeof(path)), -1);
    assert_int_equal(modelfile_set_current(sub, "/somewhere/else/c.model"), 0);
    assert_int_equal(modelfile_current_path(sub, path, sizeof(path)), 0);
    snprintf(cur, sizeof(cur), "%s/c.model", sub);
    assert_string_equal(path, cur);

    cls_free(m);
    nlp_thread_cleanup();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_dir(void **state)
{
    (void)state;
    unsetenv("ALO153_MODELS");
    assert_string_equal(modelfile_dir(NULL), "models");
    setenv("ALO153_MODELS", "/srv/m", 1);
    assert_string_equal(modelfile_dir(""), "/srv/m");
    assert_string_equal(modelfile_dir("given"), "given");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_save_current_and_watch),
        cmocka_unit_test(test_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
