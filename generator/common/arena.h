/* A bump allocator. The syntax tree and the checked schema model live in one
 * arena each, so a whole schema is freed with one call and nothing leaks on
 * the error paths. */
#ifndef PRISMAC_ARENA_H
#define PRISMAC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct psl_arena_chunk psl_arena_chunk;

typedef struct psl_arena {
    psl_arena_chunk *head;
    size_t used; /* bytes used in head */
    size_t cap;  /* bytes available in head */
} psl_arena;

void psl_arena_init(psl_arena *a);
/* Frees every block; the arena may be reused afterwards. Accepts NULL. */
void psl_arena_release(psl_arena *a);
/* Zeroed memory; aborts the process only if malloc fails. */
void *psl_arena_alloc(psl_arena *a, size_t size);
char *psl_arena_strndup(psl_arena *a, const char *s, size_t n);
char *psl_arena_strdup(psl_arena *a, const char *s);
char *psl_arena_printf(psl_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* As psl_arena_printf, for a caller's own variadic function. */
char *psl_arena_vprintf(psl_arena *a, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

/* A growable array of pointers, allocated from an arena. */
typedef struct psl_vec {
    void **items;
    size_t len, cap;
} psl_vec;

void psl_vec_push(psl_arena *a, psl_vec *v, void *item);
/* For read-only items (names): the vector never writes through them. */
void psl_vec_push_const(psl_arena *a, psl_vec *v, const void *item);

/* A string-keyed hash map, allocated from an arena: the semantic layer uses
 * it so that name lookups and clash checks stay linear in the schema size. */
typedef struct psl_map_entry {
    const char *key;
    size_t key_len;
    void *value;
} psl_map_entry;

typedef struct psl_map {
    psl_arena *arena;
    psl_map_entry *slots;
    size_t cap, len;
} psl_map;

void psl_map_init(psl_map *m, psl_arena *a);
/* The value stored under key (len bytes), or NULL. */
void *psl_map_get(const psl_map *m, const char *key, size_t len);
/* Stores value under key unless present; returns the value already there, or NULL. */
void *psl_map_put(psl_map *m, const char *key, size_t len, void *value);

#endif
