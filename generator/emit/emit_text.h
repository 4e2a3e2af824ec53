/* Text for the generated code (emit_text.c). Everything is in the arena. */
#ifndef PRISMAC_EMIT_TEXT_H
#define PRISMAC_EMIT_TEXT_H

#include <stddef.h>

#include "arena.h"

/* A growable string in the arena. */
typedef struct emit_buf {
    psl_arena *a;
    char *s;
    size_t len, cap;
} emit_buf;

void emit_putn(emit_buf *b, const char *s, size_t n);
void emit_put(emit_buf *b, const char *s);
void emit_printf(emit_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* The text so far ("" when none). */
const char *emit_str(emit_buf *b);

/* A C string literal of `s`, or "NULL" (octal escapes keep it ASCII; no
 * trigraphs under -std=c11). */
const char *emit_c_lit(psl_arena *a, const char *s);
/* `s` made safe inside a C comment (no delimiters, no "??"). */
void emit_comment_text(emit_buf *b, const char *s, size_t n);
/* A doc comment: one line, or a " * " line per line; "" when `doc` is empty. */
const char *emit_doc_comment(psl_arena *a, const char *doc);
/* A one-line note for a trailing comment. */
const char *emit_note_text(psl_arena *a, const char *s);
/* s1 s2 s3 concatenated (hot: no printf). */
const char *emit_cat3(psl_arena *a, const char *s1, const char *s2, const char *s3);
/* A declaration: "char *name", "int32_t name". */
const char *emit_decl(psl_arena *a, const char *type, const char *name);

#endif
