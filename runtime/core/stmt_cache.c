/* The statement cache of a connection: query shape -> prepared statement.
 *
 * Entries live in a slot array (a slot's number never changes while it is in
 * use), found through an open-addressing index of slot numbers, and kept on a
 * list from most to least recently used. When the cache is full, adding a
 * shape first finalizes the least recently used entry that nothing pins: a
 * batch pins the statements it has prepared until its pipeline has run, a
 * stream the statement it is reading. So a statement is never finalized
 * while something still holds it, and the cache stays bounded (beyond its
 * limit only by what is pinned at once). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define NO_SLOT UINT32_MAX /* an enumerator cannot hold it in ISO C (clang -Wpedantic) */

/* The index position of slot s's shape, or of the empty place where it would go. */
static size_t index_pos(const stmt_cache *sc, uint64_t hash, const uint8_t *key, size_t n)
{
    size_t mask = sc->index_cap - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        uint32_t s = sc->index[i];
        if (s == NO_SLOT)
            return i;
        const stmt_entry *e = &sc->slots[s];
        if (e->hash == hash && e->key_len == n && memcmp(e->key, key, n) == 0)
            return i;
    }
}

/* ---- the recency list ---- */

static void unlink_slot(stmt_cache *sc, uint32_t s)
{
    stmt_entry *e = &sc->slots[s];
    if (e->prev != NO_SLOT)
        sc->slots[e->prev].next = e->next;
    else
        sc->newest = e->next;
    if (e->next != NO_SLOT)
        sc->slots[e->next].prev = e->prev;
    else
        sc->oldest = e->prev;
}

static void push_newest(stmt_cache *sc, uint32_t s)
{
    stmt_entry *e = &sc->slots[s];
    e->prev = NO_SLOT;
    e->next = sc->newest;
    if (sc->newest != NO_SLOT)
        sc->slots[sc->newest].prev = s;
    sc->newest = s;
    if (sc->oldest == NO_SLOT)
        sc->oldest = s;
}

/* ---- lookups ---- */

stmt_entry *stmt_cache_get(prisma_conn *c, uint64_t hash, const uint8_t *key, size_t n, uint32_t *slot)
{
    stmt_cache *sc = &c->cache;
    if (!sc->len)
        return NULL;
    uint32_t s = sc->index[index_pos(sc, hash, key, n)];
    if (s == NO_SLOT)
        return NULL;
    if (sc->newest != s) {
        unlink_slot(sc, s);
        push_newest(sc, s);
    }
    *slot = s;
    return &sc->slots[s];
}

/* Removes the index entry at position i, moving later entries of its probe
 * run back (no tombstones). */
static void index_remove(stmt_cache *sc, size_t i)
{
    size_t mask = sc->index_cap - 1;
    sc->index[i] = NO_SLOT;
    for (size_t j = (i + 1) & mask; sc->index[j] != NO_SLOT; j = (j + 1) & mask) {
        uint32_t s = sc->index[j];
        size_t home = sc->slots[s].hash & mask;
        /* Move s back to i when i lies on its probe path, from home to j. */
        if (((j - home) & mask) >= ((j - i) & mask)) {
            sc->index[i] = s;
            sc->index[j] = NO_SLOT;
            i = j;
        }
    }
}

static void free_entry(prisma_conn *c, stmt_entry *e)
{
    c->backend->finalize(c, e->stmt);
    free(e->key);
    free(e->sql);
    e->key = NULL;
    e->sql = NULL;
    e->stmt = NULL;
}

/* Finalizes the least recently used entry nothing pins; false when every entry is pinned. */
static bool evict_one(prisma_conn *c)
{
    stmt_cache *sc = &c->cache;
    uint32_t s = sc->oldest;
    while (s != NO_SLOT && sc->slots[s].pins)
        s = sc->slots[s].prev;
    if (s == NO_SLOT)
        return false;
    stmt_entry *e = &sc->slots[s];
    index_remove(sc, index_pos(sc, e->hash, e->key, e->key_len));
    unlink_slot(sc, s);
    free_entry(c, e);
    e->next = sc->free_slots;
    sc->free_slots = s;
    sc->len--;
    return true;
}

static bool grow_index(stmt_cache *sc, size_t cap)
{
    uint32_t *index = malloc(cap * sizeof *index);
    if (!index)
        return false;
    memset(index, 0xff, cap * sizeof *index); /* NO_SLOT everywhere */
    for (size_t i = 0; i < sc->index_cap; i++) {
        uint32_t s = sc->index[i];
        if (s == NO_SLOT)
            continue;
        size_t j = sc->slots[s].hash & (cap - 1);
        while (index[j] != NO_SLOT)
            j = (j + 1) & (cap - 1);
        index[j] = s;
    }
    free(sc->index);
    sc->index = index;
    sc->index_cap = cap;
    return true;
}

stmt_entry *stmt_cache_put(prisma_conn *c, uint64_t hash, const uint8_t *key, size_t n, void *stmt, const char *sql,
                           uint32_t *slot)
{
    stmt_cache *sc = &c->cache;
    if (!sc->index_cap)
        sc->newest = sc->oldest = sc->free_slots = NO_SLOT;
    size_t limit = c->cache_limit ? c->cache_limit : STMT_CACHE_LIMIT;
    while (sc->len >= limit && evict_one(c)) {
    }
    /* The index stays at most half full. */
    if ((sc->len + 1) * 2 > sc->index_cap && !grow_index(sc, sc->index_cap ? sc->index_cap * 2 : 64))
        return NULL;
    if (sc->free_slots == NO_SLOT && sc->n_slots == sc->slots_cap) {
        size_t cap = sc->slots_cap ? sc->slots_cap * 2 : 32;
        stmt_entry *slots = realloc(sc->slots, cap * sizeof *slots);
        if (!slots)
            return NULL;
        sc->slots = slots;
        sc->slots_cap = cap;
    }
    uint8_t *k = malloc(n ? n : 1);
    char *text = strdup(sql ? sql : "");
    if (!k || !text) {
        free(k);
        free(text);
        return NULL;
    }
    memcpy(k, key, n);
    uint32_t s;
    if (sc->free_slots != NO_SLOT) {
        s = sc->free_slots;
        sc->free_slots = sc->slots[s].next;
    } else {
        s = (uint32_t)sc->n_slots++;
    }
    sc->slots[s] = (stmt_entry){ .hash = hash, .key = k, .key_len = n, .stmt = stmt, .sql = text };
    sc->index[index_pos(sc, hash, k, n)] = s;
    push_newest(sc, s);
    sc->len++;
    *slot = s;
    return &sc->slots[s];
}

void stmt_cache_pin(prisma_conn *c, uint32_t slot)
{
    c->cache.slots[slot].pins++;
}

void stmt_cache_unpin(prisma_conn *c, uint32_t slot)
{
    if (c->cache.slots[slot].pins)
        c->cache.slots[slot].pins--;
}

size_t stmt_cache_len(const prisma_conn *c)
{
    return c->cache.len;
}

void conn_cache_clear(prisma_conn *c)
{
    stmt_cache *sc = &c->cache;
    for (uint32_t s = sc->newest; sc->len && s != NO_SLOT; s = sc->slots[s].next)
        free_entry(c, &sc->slots[s]);
    free(sc->slots);
    free(sc->index);
    memset(sc, 0, sizeof *sc);
}

void conn_close(prisma_conn *c)
{
    if (!c)
        return;
    c->closing = true;
    conn_cache_clear(c);
    c->backend->close(c);
}
