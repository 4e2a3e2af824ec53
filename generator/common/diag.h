/* Diagnostics: errors and warnings with a source position, printed gcc-style. */
#ifndef PRISMAC_DIAG_H
#define PRISMAC_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"

/* A range of the schema text. Lines and columns are 1-based; columns count
 * bytes. `start`/`end` are byte offsets into the file, end exclusive.
 * `file` says which file of a multi-file schema: its index in the schema's
 * list of sources (psl_source.file; 0 for a single file). */
typedef struct psl_span {
    size_t start, end;
    unsigned line, col;
    unsigned file;
} psl_span;

/* The source of one schema file. `text` need not be NUL-terminated. `file`
 * is its index among the files of the schema: every span the parser makes
 * from it carries that index (psl_span.file), and diagnostics find the
 * file's name and text by it. */
typedef struct psl_source {
    const char *name; /* the path, as given */
    const char *text;
    size_t len;
    unsigned file;
} psl_source;

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
 * FILE and the excerpt come from files[span.file] (`n_files` of them); a
 * span naming no file is printed against files[0]. */
void psl_diags_print(const psl_diags *d, FILE *out, const psl_source *files, size_t n_files, bool color);

#endif
