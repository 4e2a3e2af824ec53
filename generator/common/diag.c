#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void psl_diags_init(psl_diags *d, psl_arena *arena)
{
    memset(d, 0, sizeof *d);
    d->arena = arena;
}

#if defined(__GNUC__)
__attribute__((format(printf, 4, 0)))
#endif
static void add(psl_diags *d, psl_severity sev, psl_span span, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    psl_diag *g = psl_arena_alloc(d->arena, sizeof *g);
    g->severity = sev;
    g->span = span;
    g->seq = d->items.len;
    g->message = psl_arena_alloc(d->arena, n > 0 ? (size_t)n + 1 : 1);
    if (n > 0)
        vsnprintf(g->message, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    psl_vec_push(d->arena, &d->items, g);
    if (sev == PSL_ERROR)
        d->errors++;
    else
        d->warnings++;
}

void psl_error(psl_diags *d, psl_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, PSL_ERROR, span, fmt, ap);
    va_end(ap);
}

void psl_warning(psl_diags *d, psl_span span, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, PSL_WARNING, span, fmt, ap);
    va_end(ap);
}

/* Prints the source line holding `off`, replacing control bytes so a hostile
 * schema cannot drive the terminal, and cut to a sane width. */
static void print_excerpt(FILE *out, const char *src, size_t len, size_t off, unsigned col)
{
    if (off > len)
        off = len;
    size_t b = off, e = off;
    while (b > 0 && src[b - 1] != '\n')
        b--;
    while (e < len && src[e] != '\n' && src[e] != '\r')
        e++;
    enum { MAX_EXCERPT = 300 };
    size_t shown = e - b > MAX_EXCERPT ? MAX_EXCERPT : e - b;
    fputs("    ", out);
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)src[b + i];
        fputc(c == '\t' ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : c, out);
    }
    if (shown < e - b)
        fputs("...", out);
    fputs("\n    ", out);
    /* The caret sits under the column, counting a UTF-8 sequence as one cell. */
    for (size_t i = 0; i + 1 < col && b + i < len && i < shown; i++) {
        unsigned char c = (unsigned char)src[b + i];
        if ((c & 0xC0) != 0x80)
            fputc(' ', out);
    }
    fputs("^\n", out);
}

void psl_diags_print(const psl_diags *d, FILE *out, const psl_source *files, size_t n_files, bool color)
{
    for (size_t i = 0; i < d->items.len; i++) {
        const psl_diag *g = d->items.items[i];
        const char *kind = g->severity == PSL_ERROR ? "error" : "warning";
        const char *on = "", *off = "";
        if (color) {
            on = g->severity == PSL_ERROR ? "\033[1;31m" : "\033[1;35m";
            off = "\033[0m";
        }
        const psl_source *f = n_files ? &files[g->span.file < n_files ? g->span.file : 0] : NULL;
        fprintf(out, "%s:%u:%u: %s%s:%s %s\n", f && f->name ? f->name : "schema.prisma",
                g->span.line ? g->span.line : 1, g->span.col ? g->span.col : 1, on, kind, off, g->message);
        if (f && f->text && g->span.line)
            print_excerpt(out, f->text, f->len, g->span.start, g->span.col);
    }
}
