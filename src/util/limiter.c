#include "util/limiter.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/str.h"
#include "util/xmalloc.h"
#include "util/banned.h"

struct entry {
    char key[LIMITER_KEY_MAX];
    uint64_t hash;
    int64_t window;   /* limiter_take: the window counted */
    int count;        /* events in window, or failures */
    int64_t last_ms;  /* backoff: the last failure */
    int64_t until_ms; /* backoff: may try again from */
    int chain;        /* next entry in the bucket, -1 = end */
    int older, newer; /* the LRU list, -1 = end */
    bool used;
};

struct limiter {
    pthread_mutex_t lock;
    struct entry *e;
    size_t cap, used;
    int *bucket; /* nbuckets heads, -1 = empty */
    size_t nbuckets;
    int oldest, newest;
    int free_head; /* unused entries chained through .chain */
};

static uint64_t hash_key(const char *k)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ULL;
    return h;
}

struct limiter *limiter_new(size_t capacity)
{
    struct limiter *l = xcalloc(1, sizeof(*l));
    if (capacity < 16)
        capacity = 16;
    l->cap = capacity;
    l->e = xcalloc(capacity, sizeof(*l->e));
    for (l->nbuckets = 16; l->nbuckets < 2 * capacity; l->nbuckets *= 2)
        ;
    l->bucket = xmalloc(l->nbuckets * sizeof(*l->bucket));
    for (size_t i = 0; i < l->nbuckets; i++)
        l->bucket[i] = -1;
    for (size_t i = 0; i < capacity; i++)
        l->e[i].chain = i + 1 < capacity ? (int)i + 1 : -1;
    l->free_head = 0;
    l->oldest = l->newest = -1;
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

void limiter_free(struct limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l->bucket);
    free(l->e);
    free(l);
}

static void lru_unlink(struct limiter *l, int i)
{
    struct entry *x = &l->e[i];
    if (x->older >= 0)
        l->e[x->older].newer = x->newer;
    else
        l->oldest = x->newer;
    if (x->newer >= 0)
        l->e[x->newer].older = x->older;
    else
        l->newest = x->older;
}

static void lru_push(struct limiter *l, int i)
{
    l->e[i].older = l->newest;
    l->e[i].newer = -1;
    if (l->newest >= 0)
        l->e[l->newest].newer = i;
    else
        l->oldest = i;
    l->newest = i;
}

/* Take entry i out of the table and back to the free list. */
static void forget(struct limiter *l, int i)
{
    struct entry *x = &l->e[i];
    int *p = &l->bucket[x->hash & (l->nbuckets - 1)];
    while (*p != i)
        p = &l->e[*p].chain;
    *p = x->chain;
    lru_unlink(l, i);
    memset(x, 0, sizeof(*x));
    x->chain = l->free_head;
    l->free_head = i;
    l->used--;
}

/* key's entry (made fresh when absent and create, forgetting the least recently used entry
 * when all are in use), marked most recently used; -1 when absent and !create. */
static int find(struct limiter *l, const char *key, bool create)
{
    char k[LIMITER_KEY_MAX];
    str_copy(k, sizeof(k), key);
    uint64_t h = hash_key(k);
    for (int i = l->bucket[h & (l->nbuckets - 1)]; i >= 0; i = l->e[i].chain)
        if (l->e[i].hash == h && strcmp(l->e[i].key, k) == 0) {
            lru_unlink(l, i);
            lru_push(l, i);
            return i;
        }
    if (!create)
        return -1;
    if (l->free_head < 0)
        forget(l, l->oldest);
    int i = l->free_head;
    struct entry *x = &l->e[i];
    l->free_head = x->chain;
    memcpy(x->key, k, sizeof(k));
    x->hash = h;
    x->used = true;
    x->chain = l->bucket[h & (l->nbuckets - 1)];
    l->bucket[h & (l->nbuckets - 1)] = i;
    lru_push(l, i);
    l->used++;
    return i;
}

bool limiter_take(struct limiter *l, const char *key, int64_t window, int limit)
{
    pthread_mutex_lock(&l->lock);
    struct entry *x = &l->e[find(l, key, true)];
    if (x->window != window) {
        x->window = window;
        x->count = 0;
    }
    bool ok = x->count < limit;
    if (ok)
        x->count++;
    pthread_mutex_unlock(&l->lock);
    return ok;
}

void limiter_give_back(struct limiter *l, const char *key, int64_t window)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, key, false);
    if (i >= 0 && l->e[i].window == window && l->e[i].count > 0)
        l->e[i].count--;
    pthread_mutex_unlock(&l->lock);
}

int64_t limiter_wait(struct limiter *l, const char *key, int64_t now_ms)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, key, false);
    int64_t w = i >= 0 && l->e[i].until_ms > now_ms ? l->e[i].until_ms - now_ms : 0;
    pthread_mutex_unlock(&l->lock);
    return w;
}

int64_t limiter_fail(struct limiter *l, const char *key, int64_t now_ms,
                     const struct limiter_backoff *b)
{
    pthread_mutex_lock(&l->lock);
    struct entry *x = &l->e[find(l, key, true)];
    if (x->count && now_ms - x->last_ms >= b->forget_ms)
        x->count = 0;
    if (x->count < 1 << 20)
        x->count++;
    x->last_ms = now_ms;
    int64_t wait = 0;
    if (x->count > b->free_failures) {
        int shift = x->count - b->free_failures - 1;
        wait = b->max_ms;
        if (shift < 40 && (b->base_ms << shift) < b->max_ms)
            wait = b->base_ms << shift;
        x->until_ms = now_ms + wait;
    }
    pthread_mutex_unlock(&l->lock);
    return wait;
}

void limiter_clear(struct limiter *l, const char *key)
{
    pthread_mutex_lock(&l->lock);
    int i = find(l, key, false);
    if (i >= 0)
        forget(l, i);
    pthread_mutex_unlock(&l->lock);
}

size_t limiter_size(struct limiter *l)
{
    pthread_mutex_lock(&l->lock);
    size_t n = l->used;
    pthread_mutex_unlock(&l->lock);
    return n;
}

int64_t limiter_clock_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
