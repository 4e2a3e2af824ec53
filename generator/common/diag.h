/* Diagnostics: errors and warnings with a source position, printed gcc-style. */
#ifndef PRISMAC_DIAG_H
#define PRISMAC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"

/* A range of the schema text. Lines and columns are 1-based; columns count
 * bytes. `start`/`end` are byte offsets, end exclusive. */
typedef struct psl_span {
    size_t start, end;
    unsigned line, col;
} psl_span;

typedef enum psl_severity { PSL_ERROR, PSL_WARNING } psl_severity;

typedef struct psl_diag {
    psl_severity severity;
    psl_span span;
    char *message;
    size_t seq; /* order of discovery, for a stable sort */
} psl_diag;

typedef struct psl_diags {
    psl_arena *arena;
    psl_vec items; /* psl_diag* */
    size_t errors, warnings;
} psl_diags;

void psl_diags_init(psl_diags *d, psl_arena *arena);
void psl_error(psl_diags *d, psl_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void psl_warning(psl_diags *d, psl_span span, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prints each diagnostic, in the order found (Prisma's order), as
 *   FILE:LINE:COL: error: MESSAGE
 *   <source line>
 *   <caret>
 * `src` may be NULL (no source excerpt). */
void psl_diags_print(psl_diags *d, FILE *out, const char *filename, const char *src, size_t src_len,
                     bool color);

#endif
