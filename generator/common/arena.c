#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct psl_arena_chunk {
    psl_arena_chunk *next;
    max_align_t align_[]; /* payload follows */
};

enum { ARENA_CHUNK = 64 * 1024 };

void psl_arena_init(psl_arena *a)
{
    a->head = NULL;
    a->used = a->cap = 0;
}

void psl_arena_release(psl_arena *a)
{
    if (!a)
        return;
    psl_arena_chunk *c = a->head;
    while (c) {
        psl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    psl_arena_init(a);
}

void *psl_arena_alloc(psl_arena *a, size_t size)
{
    size_t align = _Alignof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0)
        size = align;
    if (!a->head || a->cap - a->used < size) {
        size_t cap = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        psl_arena_chunk *c = malloc(sizeof *c + cap);
        if (!c) {
            fputs("prismac: out of memory\n", stderr);
            abort();
        }
        if (a->head && size > ARENA_CHUNK) {
            /* A big allocation gets its own chunk behind the current one, so
             * the free space of the current chunk is not wasted. */
            c->next = a->head->next;
            a->head->next = c;
            memset(c->align_, 0, size);
            return c->align_;
        }
        c->next = a->head;
        a->head = c;
        a->used = 0;
        a->cap = cap;
    }
    void *p = (char *)a->head->align_ + a->used;
    a->used += size;
    memset(p, 0, size);
    return p;
}

char *psl_arena_strndup(psl_arena *a, const char *s, size_t n)
{
    char *d = psl_arena_alloc(a, n + 1);
    if (n)
        memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *psl_arena_strdup(psl_arena *a, const char *s)
{
    return s ? psl_arena_strndup(a, s, strlen(s)) : NULL;
}

char *psl_arena_vprintf(psl_arena *a, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *d = NULL;
    if (n >= 0) {
        d = psl_arena_alloc(a, (size_t)n + 1);
        vsnprintf(d, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    return d ? d : psl_arena_strdup(a, "");
}

char *psl_arena_printf(psl_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *d = psl_arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

void psl_vec_push(psl_arena *a, psl_vec *v, void *item)
{
    if (v->len == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        void **items = psl_arena_alloc(a, cap * sizeof *items);
        if (v->len)
            memcpy(items, v->items, v->len * sizeof *items);
        v->items = items;
        v->cap = cap;
    }
    v->items[v->len++] = item;
}

void psl_vec_push_const(psl_arena *a, psl_vec *v, const void *item)
{
    union {
        const void *c;
        void *m;
    } u = { item };
    psl_vec_push(a, v, u.m);
}

void psl_map_init(psl_map *m, psl_arena *a)
{
    m->arena = a;
    m->slots = NULL;
    m->cap = m->len = 0;
}

static uint64_t hash_bytes(const char *k, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ull;
    }
    return h;
}

void *psl_map_get(const psl_map *m, const char *key, size_t len)
{
    if (!m->cap)
        return NULL;
    for (size_t i = hash_bytes(key, len) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        const psl_map_entry *e = &m->slots[i];
        if (!e->key)
            return NULL;
        if (e->key_len == len && memcmp(e->key, key, len) == 0)
            return e->value;
    }
}

void *psl_map_put(psl_map *m, const char *key, size_t len, void *value)
{
    void *old = psl_map_get(m, key, len);
    if (old)
        return old;
    if ((m->len + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 16;
        psl_map_entry *slots = psl_arena_alloc(m->arena, cap * sizeof *slots);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->slots[i].key)
                continue;
            size_t j = hash_bytes(m->slots[i].key, m->slots[i].key_len) & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = m->slots[i];
        }
        m->slots = slots;
        m->cap = cap;
    }
    size_t j = hash_bytes(key, len) & (m->cap - 1);
    while (m->slots[j].key)
        j = (j + 1) & (m->cap - 1);
    m->slots[j] = (psl_map_entry){ key, len, value };
    m->len++;
    return NULL;
}
