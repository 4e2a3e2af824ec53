/* Internals of the formatter shared by the layout engine (format.c), its
 * output and alignment table (format_render.c), Prisma's formatter additions
 * (format_fix.c) and Prisma's naming (prisma_names.c). */
#ifndef PRISMAC_FORMAT_INT_H
#define PRISMAC_FORMAT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "ast.h"

/* ---- the output (format_render.c) ---- */

/* A growable string. */
typedef struct strbuf {
    char *p;
    size_t len, cap;
    bool *oom; /* shared: the first failed allocation stops all output */
} strbuf;

void fmt_buf_put(strbuf *b, const char *s, size_t n);
void fmt_buf_puts(strbuf *b, const char *s);
void fmt_buf_spaces(strbuf *b, size_t n);

/* The table of one alignment run. */
enum { MAX_COLS = 3, INDENT_WIDTH = 2 };

typedef struct cell {
    size_t off, len; /* in table.text */
} cell;

typedef struct row {
    bool interleaved; /* verbatim text (in `suffix`), outside the columns */
    size_t ncols;
    cell cols[MAX_COLS];
    cell suffix; /* comments: never padded, never measured */
} row;

typedef struct table {
    row *rows;
    size_t len, cap;
    strbuf text; /* the cells' text */
} table;

typedef struct fmt {
    const char *s; /* the source */
    size_t n;
    strbuf out;
    size_t indent; /* levels */
    table tab;
    bool oom;
} fmt;

/* A new row of the table (NULL when out of memory); `interleaved`: verbatim
 * text outside the columns. */
row *fmt_tab_row(fmt *f, bool interleaved);
/* Sets column `idx` of the current row to the table text written since
 * `mark`; skipped columns stay empty (Prisma resizes the row the same way). */
void fmt_tab_col(fmt *f, size_t idx, size_t mark);
/* Sets the current row's suffix (a comment) to the text since `mark`. */
void fmt_tab_suffix(fmt *f, size_t mark);
/* Writes the table, padded, to the output and empties it. */
void fmt_tab_render(fmt *f);
/* Writes like Prisma's Renderer: indentation before the first text of a line. */
void fmt_write(fmt *f, const char *s, size_t n);
void fmt_puts(fmt *f, const char *s);
void fmt_end_line(fmt *f);

/* The offset of the `}` closing block `t` of `text`, or `len` when the block
 * runs to the end of the file. */
size_t psl_format_close_brace(const char *text, size_t len, const psl_top *t);

/* cruet's to_camel_case, as Prisma names a back relation field:
 * `User_Profile` -> `userProfile`. In the arena. */
char *psl_prisma_camel(psl_arena *a, const char *s);
/* cruet's to_plural: `post` -> `posts`. In the arena. */
char *psl_prisma_plural(psl_arena *a, const char *w);

#endif
