/* The leaf of libprisma: strings, errors as values, bound values, dates,
 * clocks and ids. Every stage uses it; it uses nothing of theirs. */
#ifndef PRISMA_BASE_H
#define PRISMA_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "prisma/model.h"
#include "prisma/prisma.h"

/* ---- growable strings ---- */
typedef struct strbuf {
    char *data;
    size_t len, cap;
    bool oom;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_putn(strbuf *b, const char *s, size_t n);
void sb_puts(strbuf *b, const char *s);
void sb_putc(strbuf *b, char c);
void sb_printf(strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* "ident" with embedded quotes doubled. */
void sb_ident(strbuf *b, const char *ident);

/* malloc of an array of n elements of `size` bytes; NULL when n * size
 * does not fit in a size_t (a hostile length must not wrap to a small block). */
static inline void *malloc_array(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    size_t bytes = n * size;
    return malloc(bytes ? bytes : 1);
}

/* a + b, or SIZE_MAX when that overflows (then any allocation of it fails). */
static inline size_t add_sat(size_t a, size_t b) { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

/* ---- errors ---- */
typedef struct prisma_err {
    char code[16];    /* Prisma code: "P2002"; "" when none */
    char db_code[32]; /* SQLSTATE or SQLite extended code */
    char message[1024];
    char db_message[512]; /* the database's own words, for raw-query errors */
    /* The model of the failed model call (Prisma's meta.modelName): the one
     * whose statement the database refused, else the call's; NULL for raw SQL
     * and transaction calls. Points into the generated descriptors. */
    const char *model;
} prisma_err;

void err_set(prisma_err *e, const char *code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void err_clear(prisma_err *e);
/* Out of memory: prismac's own code (Prisma has none), the same everywhere
 * an allocation fails (docs/runtime.md). */
#define ERR_OOM_CODE "P9000"
#define ERR_OOM_MESSAGE "Out of memory: an allocation failed, and the call was not completed."
void err_oom(prisma_err *e);
/* "T.a, T.b" or "a, \"b\"" -> "(`a`, `b`)": a column list in Prisma's words. */
void err_field_list(const char *list, char *out, size_t cap);

/* ---- values bound to statements ---- */
/* V_ARRAY: a scalar list bound as one parameter (backends with scalar
 * lists): `items` holds `len` values of one kind, none V_NULL or V_ARRAY. */
typedef enum value_kind { V_NULL, V_INT, V_DOUBLE, V_TEXT, V_BLOB, V_BOOL, V_DATETIME, V_ARRAY } value_kind;
typedef struct prisma_value {
    uint8_t kind;
    int64_t i;
    double d;
    union {
        const char *s;                     /* TEXT, BLOB */
        const struct prisma_value *items;  /* ARRAY */
    };
    size_t len;
} prisma_value;

/* ---- ids ---- */
void id_uuid4(char out[37]);
void id_uuid7(char out[37]);
void id_cuid(char out[32]);
void id_cuid2(char out[32]);
void id_nanoid(char *out, int len);
void id_ulid(char out[27]);
int64_t clock_now_ms(void);  /* wall clock: DateTime values */
int64_t clock_mono_ms(void); /* monotonic: timeouts and elapsed times */

/* DateTime text <-> ms since epoch, UTC. */
int dt_parse(const char *s, size_t len, int64_t *ms);
void dt_format(int64_t ms, char out[32], bool iso); /* iso: 2024-01-02T03:04:05.678Z; else PG text */

#endif
