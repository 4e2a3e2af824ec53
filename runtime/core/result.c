/* Results: a returned record or list and everything it points to (strings,
 * included relations) live in one chain of blocks, freed by prisma_free(). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

enum { RESULT_MAGIC = 0x50524d41, BLOCK_SIZE = 8 * 1024 };

typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

/* Sits right before the root object. */
struct result_arena {
    uint32_t magic;
    block *blocks; /* further blocks; the first one holds this header */
    block *current;
    void **owned;
    size_t n_owned, cap_owned;
};

#define ALIGN(n) (((n) + _Alignof(max_align_t) - 1) & ~(size_t)(_Alignof(max_align_t) - 1))

result_arena *result_new(size_t first_size, void **root)
{
    return result_new_room(first_size, 0, root);
}

result_arena *result_new_room(size_t first_size, size_t room, void **root)
{
    size_t hdr = ALIGN(sizeof(result_arena));
    size_t cap = hdr + ALIGN(first_size) + ALIGN(room);
    block *b = malloc(sizeof *b + cap);
    if (!b)
        return NULL;
    b->next = NULL;
    b->cap = cap;
    b->used = hdr;
    result_arena *a = (result_arena *)(void *)b->data;
    memset(a, 0, sizeof *a);
    a->magic = RESULT_MAGIC;
    a->current = b;
    *root = result_alloc(a, first_size);
    return a;
}

void *result_alloc(result_arena *a, size_t size)
{
    size = ALIGN(size ? size : 1);
    block *b = a->current;
    if (b->cap - b->used < size) {
        size_t cap = size > BLOCK_SIZE ? size : BLOCK_SIZE;
        block *nb = malloc(sizeof *nb + cap);
        if (!nb)
            return NULL;
        nb->used = 0;
        nb->cap = cap;
        nb->next = a->blocks;
        a->blocks = nb;
        a->current = nb;
        b = nb;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    memset(p, 0, size);
    return p;
}

char *result_alloc_text(result_arena *a, size_t n)
{
    block *b = a->current;
    char *d;
    if (b->cap - b->used >= n) {
        /* Strings need no alignment beyond a byte: pack them. */
        d = (char *)b->data + b->used;
        b->used += n;
    } else {
        /* A new block; the zeroing is the only waste. */
        d = result_alloc(a, n);
        if (!d)
            return NULL;
    }
    /* Keep the next allocation aligned. */
    a->current->used = ALIGN(a->current->used);
    if (a->current->used > a->current->cap)
        a->current->used = a->current->cap;
    return d;
}

char *result_strdup(result_arena *a, const char *s, size_t len)
{
    char *d = result_alloc_text(a, len + 1);
    if (!d)
        return NULL;
    if (len)
        memcpy(d, s, len);
    d[len] = '\0';
    return d;
}

int result_own(result_arena *a, void *p)
{
    if (a->n_owned == a->cap_owned) {
        size_t cap = a->cap_owned ? a->cap_owned * 2 : 4;
        void **o = realloc(a->owned, cap * sizeof *o);
        if (!o)
            return -1;
        a->owned = o;
        a->cap_owned = cap;
    }
    a->owned[a->n_owned++] = p;
    return 0;
}

result_arena *result_arena_of(void *root)
{
    return (result_arena *)(void *)((char *)root - ALIGN(sizeof(result_arena)));
}

void result_reset(void *root, size_t root_size)
{
    result_arena *a = result_arena_of(root);
    for (size_t i = 0; i < a->n_owned; i++)
        free(a->owned[i]);
    a->n_owned = 0;
    block *b = a->blocks;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    a->blocks = NULL;
    block *first = (block *)(void *)((char *)a - offsetof(block, data));
    a->current = first;
    first->used = ALIGN(sizeof(result_arena)) + ALIGN(root_size);
    memset(root, 0, root_size);
}

void result_free_root(void *root)
{
    if (!root)
        return;
    result_arena *a = result_arena_of(root);
    if (a->magic != RESULT_MAGIC)
        abort(); /* not something libprisma returned: freeing it would corrupt the heap */
    a->magic = 0;
    for (size_t i = 0; i < a->n_owned; i++)
        free(a->owned[i]);
    free(a->owned);
    block *b = a->blocks;
    while (b) {
        block *next = b->next;
        free(b);
        b = next;
    }
    /* The first block holds the header itself. */
    free((char *)a - offsetof(block, data));
}

void prisma_free(void *record_or_list)
{
    result_free_root(record_or_list);
}
