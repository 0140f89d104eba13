/* The fault-injecting backend (fault_store.h): the forwarding functions are generated from
 * struct store_ops by an X macro over fault_ops.inc (tests/store/gen-fault-ops.py). */
#include "fault_store.h"

#include <stdlib.h>

#include "store/store_int.h"

struct fault_store {
    struct store base;
    struct store *inner;
    long calls;   /* counted calls since fault_store_fail_at */
    long fail_at; /* 0 = never */
    int err;
    bool fired;
    bool committed; /* an outermost commit succeeded before the fault */
    int depth;      /* store_begin nesting seen through the wrapper */
};

#define FS(st) ((struct fault_store *)(st))

/* Count a call; true when this one is to fail. */
static bool fs_trip(struct store *st)
{
    struct fault_store *fs = FS(st);
    fs->calls++;
    if (fs->fired || !fs->fail_at || fs->calls != fs->fail_at)
        return false;
    fs->fired = true;
    return true;
}

#define FS_INT(ret, name, params, args)                                                            \
    static ret fs_##name params                                                                    \
    {                                                                                              \
        if (fs_trip(st))                                                                           \
            return FS(st)->err;                                                                    \
        struct store *in = FS(st)->inner;                                                          \
        st = in;                                                                                   \
        return in->ops->name args;                                                                 \
    }
#define FS_BOOL(ret, name, params, args)                                                           \
    static ret fs_##name params                                                                    \
    {                                                                                              \
        if (fs_trip(st))                                                                           \
            return false;                                                                          \
        struct store *in = FS(st)->inner;                                                          \
        st = in;                                                                                   \
        return in->ops->name args;                                                                 \
    }
#define FS_VOID(ret, name, params, args)                                                           \
    static ret fs_##name params                                                                    \
    {                                                                                              \
        struct store *in = FS(st)->inner;                                                          \
        st = in;                                                                                   \
        in->ops->name args;                                                                        \
    }
#define FS_OWN(ret, name, params, args)
#define X(kind, ret, name, params, args) FS_##kind(ret, name, params, args)
#include "fault_ops.inc"
#undef X

static void fs_close(struct store *st)
{
    store_close(FS(st)->inner);
    free(st);
}

static int fs_tx_depth(struct store *st)
{
    struct store *in = FS(st)->inner;
    return in->ops->tx_depth(in);
}

static int fs_schema_version(struct store *st)
{
    return store_schema_version(FS(st)->inner);
}

static int fs_begin(struct store *st)
{
    if (fs_trip(st))
        return FS(st)->err;
    int rc = store_begin(FS(st)->inner);
    if (rc == ERR_OK)
        FS(st)->depth++;
    return rc;
}

static int fs_commit(struct store *st)
{
    struct fault_store *fs = FS(st);
    if (fs_trip(st)) {
        if (fs->depth == 1) { /* a failed COMMIT: the whole transaction is gone */
            store_rollback(fs->inner);
            fs->depth = 0;
        }
        return fs->err;
    }
    int rc = store_commit(fs->inner);
    if (rc == ERR_OK && fs->depth > 0 && --fs->depth == 0 && !fs->fired)
        fs->committed = true;
    else if (rc != ERR_OK && fs->depth == 1)
        fs->depth = 0; /* the backend rolled back */
    return rc;
}

static void fs_rollback(struct store *st)
{
    store_rollback(FS(st)->inner);
    if (FS(st)->depth > 0)
        FS(st)->depth--;
}

static bool fs_accepts(const char *db)
{
    (void)db;
    return false; /* never chosen by store_open */
}

static const struct store_ops fault_ops = {
    .name = "fault",
    .accepts = fs_accepts,
#define X(kind, ret, name, params, args) .name = fs_##name,
#include "fault_ops.inc"
#undef X
};

struct store *fault_store_wrap(struct store *inner)
{
    struct fault_store *fs = calloc(1, sizeof(*fs));
    if (!fs)
        abort();
    fs->base.ops = &fault_ops;
    fs->inner = inner;
    fs->err = ERR_STORE;
    return &fs->base;
}

void fault_store_fail_at(struct store *st, long n, int err)
{
    struct fault_store *fs = FS(st);
    fs->fail_at = n;
    fs->err = err;
    fs->calls = 0;
    fs->fired = false;
    fs->committed = false;
}

long fault_store_calls(const struct store *st)
{
    return ((const struct fault_store *)st)->calls;
}

bool fault_store_fired(const struct store *st)
{
    return ((const struct fault_store *)st)->fired;
}

bool fault_store_committed_before_fault(const struct store *st)
{
    return ((const struct fault_store *)st)->committed;
}

struct store *fault_store_inner(struct store *st)
{
    return FS(st)->inner;
}
