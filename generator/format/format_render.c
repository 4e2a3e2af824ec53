/* The formatter's output: a growable string, and the table that aligns one
 * run of lines (column widths by bytes, as Prisma's renderer measures). */
#include "format_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void fmt_buf_put(strbuf *b, const char *s, size_t n)
{
    if (*b->oom || n == 0)
        return;
    if (n > SIZE_MAX - b->len - 1) {
        *b->oom = true;
        return;
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1) {
            if (cap > SIZE_MAX / 2) {
                *b->oom = true;
                return;
            }
            cap *= 2;
        }
        char *p = realloc(b->p, cap);
        if (!p) {
            *b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void fmt_buf_puts(strbuf *b, const char *s)
{
    fmt_buf_put(b, s, strlen(s));
}

void fmt_buf_spaces(strbuf *b, size_t n)
{
    static const char spaces[] = "                ";
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        fmt_buf_put(b, spaces, k);
        n -= k;
    }
}

/* ---- the table of one alignment run ---- */

row *fmt_tab_row(fmt *f, bool interleaved)
{
    table *t = &f->tab;
    if (f->oom)
        return NULL;
    if (t->len == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 32;
        row *rows = cap < SIZE_MAX / sizeof *rows ? realloc(t->rows, cap * sizeof *rows) : NULL;
        if (!rows) {
            f->oom = true;
            return NULL;
        }
        t->rows = rows;
        t->cap = cap;
    }
    row *r = &t->rows[t->len++];
    memset(r, 0, sizeof *r);
    r->interleaved = interleaved;
    return r;
}

/* Sets column `idx` of the current row to the text written since `mark`;
 * skipped columns stay empty (Prisma resizes the row the same way). */
void fmt_tab_col(fmt *f, size_t idx, size_t mark)
{
    table *t = &f->tab;
    if (f->oom || t->len == 0)
        return;
    row *r = &t->rows[t->len - 1];
    for (size_t i = r->ncols; i < idx; i++)
        r->cols[i].len = 0;
    r->cols[idx].off = mark;
    r->cols[idx].len = t->text.len - mark;
    r->ncols = idx + 1;
}

void fmt_tab_suffix(fmt *f, size_t mark)
{
    table *t = &f->tab;
    if (f->oom || t->len == 0)
        return;
    row *r = &t->rows[t->len - 1];
    r->suffix.off = mark;
    r->suffix.len = t->text.len - mark;
}

/* Writes like Prisma's Renderer: indentation before the first text of a line. */
void fmt_write(fmt *f, const char *s, size_t n)
{
    if (f->out.len == 0 || f->out.p[f->out.len - 1] == '\n')
        fmt_buf_spaces(&f->out, f->indent * INDENT_WIDTH);
    fmt_buf_put(&f->out, s, n);
}

void fmt_puts(fmt *f, const char *s)
{
    fmt_write(f, s, strlen(s));
}

void fmt_end_line(fmt *f)
{
    fmt_buf_put(&f->out, "\n", 1);
}

static const char *cell_text(const fmt *f, cell c)
{
    return c.len ? f->tab.text.p + c.off : "";
}

void fmt_tab_render(fmt *f)
{
    table *t = &f->tab;
    size_t width[MAX_COLS] = { 0 };
    for (size_t i = 0; i < t->len; i++) {
        row *r = &t->rows[i];
        if (r->interleaved)
            continue;
        while (r->ncols && r->cols[r->ncols - 1].len == 0)
            r->ncols--;
        for (size_t c = 0; c < r->ncols; c++)
            if (r->cols[c].len > width[c])
                width[c] = r->cols[c].len;
    }
    for (size_t i = 0; i < t->len; i++) {
        const row *r = &t->rows[i];
        if (r->interleaved) {
            fmt_write(f, cell_text(f, r->suffix), r->suffix.len);
        } else {
            for (size_t c = 0; c < r->ncols; c++) {
                fmt_write(f, cell_text(f, r->cols[c]), r->cols[c].len);
                if (c + 1 < r->ncols) {
                    fmt_write(f, "", 0);
                    fmt_buf_spaces(&f->out, width[c] - r->cols[c].len + 1);
                }
            }
            if (r->suffix.len) {
                if (r->ncols)
                    fmt_write(f, " ", 1);
                fmt_write(f, cell_text(f, r->suffix), r->suffix.len);
            }
        }
        fmt_end_line(f);
    }
    t->len = 0;
    t->text.len = 0;
}
