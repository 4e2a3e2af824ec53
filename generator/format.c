/* Prisma's canonical schema layout, rendered from the syntax tree.
 *
 * This follows prisma-engines' psl/schema-ast/src/reformat.rs and its table
 * renderer. The lines of a block go into a table whose columns (name, type,
 * attributes; or key, `= value`) are padded to the widest cell, by bytes as
 * Prisma does. Whole-line and trailing comments are row suffixes that take no
 * part in the widths; invalid lines are interleaved rows written verbatim. An
 * empty line flushes the table, so each run of lines between empty lines is
 * aligned on its own. Block attributes are collected, sorted and written in a
 * table of their own after one empty line, each with the comment right above
 * it. Where Prisma's output depends on how its PEG grammar hands out newlines
 * (a block's `}` does not own the newline after it, a type alias neither),
 * the same grouping is rebuilt here from the source. */
#include "format.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- a growable string ---- */

typedef struct strbuf {
    char *p;
    size_t len, cap;
    bool *oom; /* shared: the first failed allocation stops all output */
} strbuf;

static void sb_put(strbuf *b, const char *s, size_t n)
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

static void sb_puts(strbuf *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

static void sb_spaces(strbuf *b, size_t n)
{
    static const char spaces[] = "                ";
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        sb_put(b, spaces, k);
        n -= k;
    }
}

/* ---- the table of one alignment run ---- */

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

static row *tab_row(fmt *f, bool interleaved)
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
static void tab_col(fmt *f, size_t idx, size_t mark)
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

static void tab_suffix(fmt *f, size_t mark)
{
    table *t = &f->tab;
    if (f->oom || t->len == 0)
        return;
    row *r = &t->rows[t->len - 1];
    r->suffix.off = mark;
    r->suffix.len = t->text.len - mark;
}

/* Writes like Prisma's Renderer: indentation before the first text of a line. */
static void r_write(fmt *f, const char *s, size_t n)
{
    if (f->out.len == 0 || f->out.p[f->out.len - 1] == '\n')
        sb_spaces(&f->out, f->indent * INDENT_WIDTH);
    sb_put(&f->out, s, n);
}

static void r_puts(fmt *f, const char *s)
{
    r_write(f, s, strlen(s));
}

static void r_end_line(fmt *f)
{
    sb_put(&f->out, "\n", 1);
}

static const char *cell_text(const fmt *f, cell c)
{
    return c.len ? f->tab.text.p + c.off : "";
}

static void tab_render(fmt *f)
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
            r_write(f, cell_text(f, r->suffix), r->suffix.len);
        } else {
            for (size_t c = 0; c < r->ncols; c++) {
                r_write(f, cell_text(f, r->cols[c]), r->cols[c].len);
                if (c + 1 < r->ncols) {
                    r_write(f, "", 0);
                    sb_spaces(&f->out, width[c] - r->cols[c].len + 1);
                }
            }
            if (r->suffix.len) {
                if (r->ncols)
                    r_write(f, " ", 1);
                r_write(f, cell_text(f, r->suffix), r->suffix.len);
            }
        }
        r_end_line(f);
    }
    t->len = 0;
    t->text.len = 0;
}

/* ---- the source ---- */

/* Bytes of the Unicode space separator (Zs, not ASCII space) at `p`, or 0;
 * the lexer skips these like blanks. */
static size_t zs_len(const fmt *f, size_t p)
{
    const unsigned char *s = (const unsigned char *)f->s + p;
    size_t left = f->n - p;
    if (left >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (left >= 3) {
        if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
            return 3;
        if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xAF))
            return 3;
        if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
            return 3;
        if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
            return 3;
    }
    return 0;
}

static size_t skip_blank(const fmt *f, size_t p)
{
    while (p < f->n) {
        size_t k;
        if (f->s[p] == ' ' || f->s[p] == '\t')
            p++;
        else if ((k = zs_len(f, p)) != 0)
            p += k;
        else
            break;
    }
    return p;
}

static bool is_newline(char c)
{
    return c == '\n' || c == '\r';
}

/* The end of the line holding `p` (its newline, or the end of the source). */
static size_t line_end(const fmt *f, size_t p)
{
    while (p < f->n && !is_newline(f->s[p]))
        p++;
    return p;
}

static size_t skip_newline(const fmt *f, size_t p)
{
    if (p < f->n && f->s[p] == '\r') {
        p++;
        if (p < f->n && f->s[p] == '\n')
            p++;
    } else if (p < f->n && f->s[p] == '\n') {
        p++;
    }
    return p;
}

static bool source_has(const fmt *f, size_t p, const char *lit, size_t n)
{
    return p <= f->n && n <= f->n - p && memcmp(f->s + p, lit, n) == 0;
}

/* Drops trailing blanks and newlines from [start, end). */
static size_t trim_end(const fmt *f, size_t start, size_t end)
{
    while (end > start && (f->s[end - 1] == ' ' || f->s[end - 1] == '\t' || is_newline(f->s[end - 1])))
        end--;
    return end;
}

/* The offset just past a block line and its newline. */
static size_t line_after(const fmt *f, const psl_line *l)
{
    size_t p = l->span.end;
    if (l->kind == PSL_LINE_EMPTY)
        return p; /* the span is the newline itself */
    if (l->trailing) {
        size_t q = skip_blank(f, p), tl = strlen(l->trailing);
        if (source_has(f, q, l->trailing, tl))
            p = q + tl; /* a block comment may span lines */
    }
    return skip_newline(f, line_end(f, p));
}

/* A block's closing line. The syntax tree keeps its comment but not where
 * the `}` is: it is the first thing after the block's last line. */
typedef struct close_info {
    bool closed;    /* false: the block runs to the end of the file */
    bool newline;   /* a newline ends the line (Prisma gives it to the top level) */
    bool garbage;   /* other text follows the `}` (invalid, kept on that line) */
    size_t brace;   /* closed: the offset of the `}` */
    size_t after;   /* garbage: where it starts */
    size_t end;     /* the end of the line's text (`}`, its comment, or the garbage) */
} close_info;

static close_info find_close(const fmt *f, const psl_top *t)
{
    close_info c;
    memset(&c, 0, sizeof c);
    size_t p = t->n_lines ? line_after(f, &t->lines[t->n_lines - 1])
                          : skip_newline(f, line_end(f, t->name_span.end));
    p = skip_blank(f, p);
    if (p >= f->n || f->s[p] != '}') {
        c.end = f->n;
        return c;
    }
    c.closed = true;
    c.brace = p;
    c.end = p + 1;
    size_t q = skip_blank(f, p + 1);
    if (t->close_trailing) {
        c.end = q + strlen(t->close_trailing); /* a block comment may span lines */
    } else if (q < f->n && !is_newline(f->s[q])) {
        /* The parser reports it and keeps it in the block's span only. */
        c.garbage = true;
        c.after = q;
        c.end = trim_end(f, q, t->span.end);
        return c;
    }
    size_t e = skip_blank(f, c.end);
    c.newline = e < f->n && is_newline(f->s[e]);
    return c;
}

/* The verbatim text of an invalid block line: to the end of its line, as
 * Prisma's catch-all rule takes it. Lines the parser reclassified as invalid
 * (a field in a datasource, ...) end their span before their trailing
 * comment, which may span lines. */
static size_t invalid_end(const fmt *f, const psl_line *l)
{
    size_t p = l->span.end;
    if (l->trailing) {
        size_t q = skip_blank(f, p), tl = strlen(l->trailing);
        if (source_has(f, q, l->trailing, tl))
            p = q + tl;
    }
    return trim_end(f, l->span.start, line_end(f, p));
}

/* ---- expressions ---- */

static void put_expr(strbuf *b, const psl_expr *e);

static void put_args(strbuf *b, const psl_args *a)
{
    if (!a->present)
        return;
    sb_put(b, "(", 1);
    for (size_t i = 0; i < a->len; i++) {
        const psl_arg *arg = &a->items[i];
        if (i)
            sb_put(b, ", ", 2);
        if (arg->name) {
            sb_puts(b, arg->name);
            sb_put(b, ": ", 2); /* an empty `name:` argument keeps the space, as in Prisma */
        }
        if (arg->value)
            put_expr(b, arg->value);
    }
    sb_put(b, ")", 1);
}

/* Recursion is bounded: the parser rejects nesting beyond PSL_MAX_NESTING. */
static void put_expr(strbuf *b, const psl_expr *e)
{
    switch (e->kind) {
    case PSL_EXPR_STRING:
        sb_puts(b, e->raw); /* as written: escapes stay as they were */
        break;
    case PSL_EXPR_NUMBER:
    case PSL_EXPR_CONSTANT:
        sb_puts(b, e->text);
        break;
    case PSL_EXPR_FUNCTION:
        sb_puts(b, e->text);
        put_args(b, &e->args);
        break;
    case PSL_EXPR_ARRAY:
        sb_put(b, "[", 1);
        for (size_t i = 0; i < e->len; i++) {
            if (i)
                sb_put(b, ", ", 2);
            put_expr(b, e->items[i]);
        }
        sb_put(b, "]", 1);
        break;
    }
}

static void put_attr(strbuf *b, const psl_attribute *a)
{
    sb_puts(b, a->block ? "@@" : "@");
    sb_puts(b, a->name);
    put_args(b, &a->args);
}

/* Prisma's type forms; the legacy `T!` and `[T]` come out as `T` and `T[]`. */
static void put_type(strbuf *b, const psl_field_type *t)
{
    sb_puts(b, t->name);
    if (t->unsupported) {
        sb_put(b, "(", 1);
        sb_puts(b, t->unsupported_text);
        sb_put(b, ")", 1);
    }
    switch (t->form) {
    case PSL_TYPE_OPTIONAL:
        sb_put(b, "?", 1);
        break;
    case PSL_TYPE_LIST:
    case PSL_TYPE_LEGACY_LIST:
        sb_put(b, "[]", 2);
        break;
    case PSL_TYPE_OPTIONAL_LIST:
        sb_put(b, "[]?", 3);
        break;
    case PSL_TYPE_REQUIRED:
    case PSL_TYPE_BANG:
        break;
    }
}

/* ---- attribute order ---- */

typedef struct ordered {
    size_t rank, seq;
    size_t comment_from, comment_to; /* block attributes: the comment lines above */
} ordered;

static size_t attr_rank(const char *name)
{
    static const char *const order[] = {
        "id", "unique", "default", "updatedAt", "index", "fulltext", "map", "relation", "ignore",
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (strcmp(name, order[i]) == 0)
            return i;
    return SIZE_MAX; /* others keep their order, after the known ones */
}

static int cmp_ordered(const void *pa, const void *pb)
{
    const ordered *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq; /* a stable sort */
}

/* ---- comments ---- */

/* Bytes of the Unicode White_Space character at s[i] (Rust's str::trim set), or 0. */
static size_t ws_at(const char *str, size_t i, size_t end)
{
    const unsigned char *s = (const unsigned char *)str + i;
    size_t left = end - i;
    if (left >= 1 && (s[0] == ' ' || (s[0] >= 0x09 && s[0] <= 0x0D)))
        return 1;
    if (left >= 2 && s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2;
    if (left >= 3) {
        if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
            return 3;
        if (s[0] == 0xE2 && s[1] == 0x80 && (s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
            return 3;
        if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
            return 3;
        if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
            return 3;
    }
    return 0;
}

static size_t ws_before(const char *s, size_t start, size_t end)
{
    for (size_t k = 1; k <= 3 && k <= end - start; k++)
        if (ws_at(s, end - k, end) == k)
            return k;
    return 0;
}

static void comment_row(fmt *f, const char *a, size_t na, const char *b, size_t nb)
{
    if (!tab_row(f, false))
        return;
    size_t m = f->tab.text.len;
    sb_put(&f->tab.text, a, na);
    sb_put(&f->tab.text, b, nb);
    tab_suffix(f, m);
}

/* A block comment in Prisma's canonical shape: a `/` `**` line, one ` * `
 * line per non-empty line of text (a leading `*` dropped), and the closing
 * ` *` `/` line. */
static void block_comment_rows(fmt *f, const char *text, size_t len)
{
    comment_row(f, "/**", 3, "", 0);
    size_t p = 2, end = len >= 4 ? len - 2 : 2;
    while (p < end) {
        size_t e = p;
        while (e < end && text[e] != '\n')
            e++;
        size_t a = p, z = e, k;
        while (a < z && (k = ws_at(text, a, z)) != 0)
            a += k;
        while (z > a && (k = ws_before(text, a, z)) != 0)
            z -= k;
        if (a < z && text[a] == '*') {
            a++;
            while (a < z && (k = ws_at(text, a, z)) != 0)
                a += k;
        }
        if (a < z)
            comment_row(f, " * ", 3, text + a, z - a);
        p = e + 1;
    }
    comment_row(f, " */", 3, "", 0);
}

/* A whole-line comment: `//` and `///` ones verbatim, block comments canonical. */
static void comment_rows(fmt *f, const char *text)
{
    size_t len = strlen(text);
    if (len >= 2 && text[0] == '/' && text[1] == '*')
        block_comment_rows(f, text, len);
    else
        comment_row(f, text, len, "", 0);
}

/* ---- block contents ---- */

static void field_row(fmt *f, const psl_line *l, bool is_enum)
{
    strbuf *b = &f->tab.text;
    if (!tab_row(f, false))
        return;
    size_t m = b->len;
    sb_puts(b, l->name);
    tab_col(f, 0, m);
    if (is_enum) {
        /* Enum values keep their attributes' order. Prisma's renderer glues
         * them together without a space; a space keeps them readable. */
        if (l->n_attrs) {
            m = b->len;
            for (size_t i = 0; i < l->n_attrs; i++) {
                if (i)
                    sb_put(b, " ", 1);
                put_attr(b, &l->attrs[i]);
            }
            tab_col(f, 1, m);
        }
    } else {
        if (l->type.name) {
            m = b->len;
            put_type(b, &l->type);
            tab_col(f, 1, m);
        }
        if (l->n_attrs) {
            ordered *ord = malloc(l->n_attrs * sizeof *ord);
            if (!ord) {
                f->oom = true;
                return;
            }
            for (size_t i = 0; i < l->n_attrs; i++) {
                ord[i].rank = attr_rank(l->attrs[i].name);
                ord[i].seq = i;
            }
            qsort(ord, l->n_attrs, sizeof *ord, cmp_ordered);
            m = b->len;
            for (size_t i = 0; i < l->n_attrs; i++) {
                if (i)
                    sb_put(b, " ", 1);
                put_attr(b, &l->attrs[ord[i].seq]);
            }
            free(ord);
            tab_col(f, 2, m);
        }
    }
    if (l->trailing) {
        m = b->len;
        sb_puts(b, l->trailing);
        tab_suffix(f, m);
    }
}

static void key_value_row(fmt *f, const psl_line *l)
{
    strbuf *b = &f->tab.text;
    if (!tab_row(f, false))
        return;
    size_t m = b->len;
    sb_puts(b, l->name);
    tab_col(f, 0, m);
    m = b->len;
    /* Prisma drops the `=` of a key without a value; it is kept so that the
     * line still reads as the same (invalid) key-value line. */
    sb_puts(b, l->value ? "= " : "=");
    if (l->value)
        put_expr(b, l->value);
    tab_col(f, 1, m);
    if (l->trailing) {
        m = b->len;
        sb_puts(b, l->trailing);
        tab_suffix(f, m);
    }
}

static void block_attribute_row(fmt *f, const psl_line *l)
{
    strbuf *b = &f->tab.text;
    if (!tab_row(f, false))
        return;
    size_t m = b->len;
    put_attr(b, &l->attrs[0]);
    tab_col(f, 0, m);
    if (l->trailing) {
        m = b->len;
        sb_puts(b, l->trailing);
        tab_suffix(f, m);
    }
}

static void invalid_row(fmt *f, const psl_line *l)
{
    if (!tab_row(f, true))
        return;
    size_t end = invalid_end(f, l);
    size_t m = f->tab.text.len;
    sb_put(&f->tab.text, f->s + l->span.start, end - l->span.start);
    tab_suffix(f, m);
}

/* Starts a new alignment run after an empty line, which is kept as one. */
static void new_run(fmt *f)
{
    tab_render(f);
    tab_row(f, false);
}

/* reformat_block_contents: empty lines at the start and end of a block go;
 * a run of empty lines becomes one and restarts the alignment; block
 * attributes move to the end, sorted, with the comment lines right above. */
static void block_contents(fmt *f, const psl_top *t)
{
    const psl_line *L = t->lines;
    size_t n = t->n_lines, i = 0, n_attrs = 0;
    bool is_enum = t->kind == PSL_TOP_ENUM;
    bool has_pending = false;
    size_t pending_from = 0, pending_to = 0;
    /* Whether a row is out yet. Prisma would start the block with an empty
     * line when only attributes came before the empty line, and drop that
     * empty line again on the next run; it is not written, to be idempotent. */
    bool started = false;
    ordered *attrs = n ? malloc(n * sizeof *attrs) : NULL;
    if (n && !attrs) {
        f->oom = true;
        return;
    }

    while (i < n && L[i].kind == PSL_LINE_EMPTY)
        i++;
    for (;;) {
        bool ate_empty = false;
        while (i < n && L[i].kind == PSL_LINE_EMPTY) {
            i++;
            ate_empty = true;
        }
        /* Empty lines before an attribute or a comment are decided there. */
        if (ate_empty && started && i < n && L[i].kind != PSL_LINE_ATTRIBUTE &&
            L[i].kind != PSL_LINE_COMMENT)
            new_run(f);
        if (i >= n)
            break;

        const psl_line *l = &L[i];
        switch (l->kind) {
        case PSL_LINE_COMMENT: {
            size_t j = i;
            while (j < n && L[j].kind == PSL_LINE_COMMENT)
                j++;
            if (j < n && L[j].kind == PSL_LINE_ATTRIBUTE) {
                /* It documents the attribute: it moves with it. */
                has_pending = true;
                pending_from = i;
                pending_to = j;
            } else {
                if (ate_empty && started)
                    new_run(f);
                for (size_t k = i; k < j; k++)
                    comment_rows(f, L[k].text);
                started = true;
            }
            i = j;
            continue;
        }
        case PSL_LINE_FIELD:
            field_row(f, l, is_enum);
            started = true;
            break;
        case PSL_LINE_KEY_VALUE:
            key_value_row(f, l);
            started = true;
            break;
        case PSL_LINE_ATTRIBUTE:
            attrs[n_attrs].rank = attr_rank(l->attrs[0].name);
            attrs[n_attrs].seq = i;
            attrs[n_attrs].comment_from = has_pending ? pending_from : 0;
            attrs[n_attrs].comment_to = has_pending ? pending_to : 0;
            n_attrs++;
            has_pending = false;
            break;
        case PSL_LINE_INVALID:
            invalid_row(f, l);
            started = true;
            break;
        case PSL_LINE_EMPTY:
            break;
        }
        i++;
    }

    tab_render(f);
    if (n_attrs) {
        tab_row(f, false); /* the empty line between fields and attributes */
        qsort(attrs, n_attrs, sizeof *attrs, cmp_ordered);
        for (size_t k = 0; k < n_attrs; k++) {
            for (size_t c = attrs[k].comment_from; c < attrs[k].comment_to; c++)
                comment_rows(f, L[c].text);
            block_attribute_row(f, &L[attrs[k].seq]);
        }
        tab_render(f);
    }
    free(attrs);
}

static const char *block_keyword(psl_top_kind kind)
{
    switch (kind) {
    case PSL_TOP_MODEL:
        return "model";
    case PSL_TOP_VIEW:
        return "view";
    case PSL_TOP_TYPE:
        return "type";
    case PSL_TOP_ENUM:
        return "enum";
    case PSL_TOP_DATASOURCE:
        return "datasource";
    case PSL_TOP_GENERATOR:
        return "generator";
    default:
        return "";
    }
}

static void render_block(fmt *f, const psl_top *t, const close_info *c)
{
    r_puts(f, block_keyword(t->kind));
    r_puts(f, " ");
    r_puts(f, t->name);
    r_puts(f, " {");
    /* Prisma drops what follows `{` on its line; keeping it loses nothing
     * and reads back the same. */
    if (t->header_trailing) {
        r_puts(f, " ");
        r_puts(f, t->header_trailing);
    }
    r_end_line(f);
    f->indent++;
    block_contents(f, t);
    f->indent--;
    /* An unclosed block stays unclosed: adding the `}` is not a format. */
    if (c->closed) {
        r_puts(f, "}");
        if (t->close_trailing) {
            /* Prisma would move it to a line of its own, and then the next
             * run would add an empty line above it; it stays on the `}`. */
            const char *ct = t->close_trailing;
            size_t n = strlen(ct);
            while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
                n--;
            r_puts(f, " ");
            r_write(f, ct, n);
        } else if (c->garbage) {
            /* Invalid text after the `}` stays there, verbatim: on a line of
             * its own it could parse as something else (`}model B {`). */
            r_puts(f, " ");
            r_write(f, f->s + c->after, c->end - c->after);
        }
        r_end_line(f);
    }
}

/* ---- the top level ---- */

typedef enum item_kind {
    ITEM_EMPTY,   /* a run of newlines: at most one empty line */
    ITEM_BLOCK,   /* model, view, composite type, enum, datasource, generator */
    ITEM_COMMENT,
    ITEM_LINE,    /* verbatim, then a newline: invalid lines, unknown keywords */
    ITEM_VERBATIM /* verbatim, no newline of its own: type alias, arbitrary block */
} item_kind;

typedef struct item {
    item_kind kind;
    const psl_top *top;
    size_t start, end; /* LINE, VERBATIM: the source text */
    close_info close;  /* BLOCK */
} item;

/* Whether a type alias line carries a trailing comment (outside strings). */
static bool has_comment(const fmt *f, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++) {
        if (f->s[i] == '"') {
            for (i++; i < end && f->s[i] != '"'; i++)
                if (f->s[i] == '\\')
                    i++;
        } else if (f->s[i] == '/' && i + 1 < end && (f->s[i + 1] == '/' || f->s[i + 1] == '*')) {
            return true;
        }
    }
    return false;
}

static void push_item(item *items, size_t *n, item it)
{
    items[(*n)++] = it;
}

/* Lays the tops out as Prisma's grammar sees them: a block's `}`, a type
 * alias and an arbitrary block do not own the newline that ends them, so it
 * joins the empty lines that follow; comments and invalid lines own theirs. */
static size_t build_items(const fmt *f, const psl_ast *ast, item *items)
{
    size_t n = 0;
    for (size_t i = 0; i < ast->n_tops; i++) {
        const psl_top *t = &ast->tops[i];
        item it;
        memset(&it, 0, sizeof it);
        it.top = t;
        switch (t->kind) {
        case PSL_TOP_EMPTY:
            it.kind = ITEM_EMPTY;
            push_item(items, &n, it);
            break;
        case PSL_TOP_COMMENT:
            it.kind = ITEM_COMMENT;
            push_item(items, &n, it);
            break;
        case PSL_TOP_INVALID:
            it.kind = ITEM_LINE;
            it.start = t->span.start;
            it.end = t->span.end; /* from its first non-blank byte to its end */
            push_item(items, &n, it);
            break;
        case PSL_TOP_MODEL:
        case PSL_TOP_VIEW:
        case PSL_TOP_TYPE:
        case PSL_TOP_ENUM:
        case PSL_TOP_DATASOURCE:
        case PSL_TOP_GENERATOR:
            it.kind = ITEM_BLOCK;
            it.close = find_close(f, t);
            push_item(items, &n, it);
            if (it.close.closed && !t->close_trailing && !it.close.garbage && it.close.newline) {
                it.kind = ITEM_EMPTY;
                push_item(items, &n, it);
            }
            break;
        case PSL_TOP_TYPE_ALIAS: {
            bool is_type = t->keyword_span.end - t->keyword_span.start == 4 &&
                           source_has(f, t->keyword_span.start, "type", 4);
            it.start = t->span.start;
            it.end = trim_end(f, t->span.start, t->span.end);
            bool comment = has_comment(f, it.start, it.end);
            bool newline = t->span.end > it.end;
            /* `type A = B` is Prisma's type_alias; any other keyword makes
             * the line a catch-all, which owns its newline. */
            it.kind = is_type && !comment ? ITEM_VERBATIM : ITEM_LINE;
            push_item(items, &n, it);
            if (it.kind == ITEM_VERBATIM && newline) {
                it.kind = ITEM_EMPTY;
                push_item(items, &n, it);
            }
            break;
        }
        case PSL_TOP_ARBITRARY_BLOCK: {
            close_info c = find_close(f, t);
            it.start = t->span.start;
            it.end = trim_end(f, it.start, c.closed ? c.end : f->n);
            /* `name {` is Prisma's arbitrary_block, verbatim up to `}`;
             * `word name {` is a run of catch-all lines. */
            bool arbitrary = t->keyword_span.end == 0;
            it.kind = arbitrary && c.closed && !t->close_trailing && !c.garbage ? ITEM_VERBATIM : ITEM_LINE;
            push_item(items, &n, it);
            if (it.kind == ITEM_VERBATIM && c.newline) {
                it.kind = ITEM_EMPTY;
                push_item(items, &n, it);
            }
            break;
        }
        }
    }
    return n;
}


char *psl_format(const psl_ast *ast, const psl_source *src, size_t *out_len)
{
    fmt f;
    memset(&f, 0, sizeof f);
    f.s = src->text;
    f.n = src->len;
    f.out.oom = &f.oom;
    f.tab.text.oom = &f.oom;

    size_t cap = ast->n_tops * 2;
    item *items = cap ? malloc(cap * sizeof *items) : NULL;
    if (cap && !items)
        return NULL;
    size_t n = cap ? build_items(&f, ast, items) : 0;

    size_t i = 0;
    while (i < n && items[i].kind == ITEM_EMPTY)
        i++; /* empty lines at the start go */
    while (i < n && !f.oom) {
        const item *it = &items[i];
        switch (it->kind) {
        case ITEM_EMPTY: {
            size_t j = i;
            while (j < n && items[j].kind == ITEM_EMPTY)
                j++;
            if (j < n) /* empty lines at the end go */
                r_end_line(&f);
            i = j;
            continue;
        }
        case ITEM_BLOCK:
            render_block(&f, it->top, &it->close);
            break;
        case ITEM_COMMENT:
            comment_rows(&f, it->top->text);
            tab_render(&f);
            break;
        case ITEM_LINE:
            r_write(&f, f.s + it->start, it->end - it->start);
            r_end_line(&f);
            break;
        case ITEM_VERBATIM:
            r_write(&f, f.s + it->start, it->end - it->start);
            break;
        }
        i++;
    }

    /* Text after the last top, which only a parser that gave up could
     * leave, is kept verbatim. */
    size_t tail = ast->n_tops ? ast->tops[ast->n_tops - 1].span.end : 0;
    for (tail = skip_blank(&f, tail); tail < f.n && is_newline(f.s[tail]);)
        tail = skip_blank(&f, tail + 1);
    if (tail < f.n) {
        if (f.out.len && f.out.p[f.out.len - 1] != '\n')
            r_end_line(&f);
        r_write(&f, f.s + tail, trim_end(&f, tail, f.n) - tail);
    }

    /* Every schema ends with a newline. */
    if (f.out.len == 0 || f.out.p[f.out.len - 1] != '\n')
        r_end_line(&f);

    free(items);
    free(f.tab.rows);
    free(f.tab.text.p);
    if (f.oom) {
        free(f.out.p);
        return NULL;
    }
    if (out_len)
        *out_len = f.out.len;
    return f.out.p;
}

/* ---- the relation pieces Prisma's formatter adds ----
 *
 * prisma-engines' psl-core reformat.rs: when the schema's parser database has
 * no errors, every 1:1 and 1:n ("inline") relation that misses its back field,
 * its forward field, its scalar (foreign key) fields or @relation arguments
 * gets them, as text inserted into the source ("missing bits"); the result
 * is then laid out like any schema. The relations are inferred here the way
 * Prisma's parser database does it (relations.rs, ingest_relation), because
 * the checked model keeps only the relations that have both sides. */

/* A relation field and what its @relation says. */
typedef struct rel_field {
    psl_field *f;
    const psl_attribute *attr;     /* @relation, or NULL */
    const char *name;              /* the relation name, or NULL */
    const psl_expr *fields, *refs; /* the `fields:` / `references:` arrays, or NULL */
} rel_field;

typedef struct inline_rel {
    bool one_to_one;
    psl_model *a, *b;            /* the referencing model (foreign key), the referenced one */
    const rel_field *fwd, *back; /* the fields on a and on b; NULL when missing */
} inline_rel;

typedef struct bit {
    size_t pos, seq;
    const char *text;
} bit;

typedef struct magic {
    const psl_schema *s;
    const fmt *src;
    psl_arena arena;
    rel_field *rf; /* model by model, in order */
    size_t n_rf;
    size_t *first; /* per model: its first entry in rf (and n_rf at the end) */
    inline_rel *rels;
    size_t n_rels;
    psl_vec bits; /* bit* */
} magic;

/* The scalar field of `m` called `name` (Prisma's scalar fields: any field
 * that is not a relation), or NULL. */
static const psl_field *scalar_field(const psl_model *m, const char *name)
{
    const psl_field *f = psl_model_field(m, name);
    return f && f->kind != PSL_FIELD_RELATION ? f : NULL;
}

/* Whether a `fields:` / `references:` value names scalar fields of `m`;
 * otherwise Prisma's parser database reports an error. */
static bool names_fields(const psl_expr *e, const psl_model *m)
{
    if (!e || e->kind != PSL_EXPR_ARRAY)
        return false;
    for (size_t i = 0; i < e->len; i++)
        if (e->items[i]->kind != PSL_EXPR_CONSTANT || !scalar_field(m, e->items[i]->text))
            return false;
    return true;
}

static bool read_rel_field(rel_field *r, psl_field *f)
{
    memset(r, 0, sizeof *r);
    r->f = f;
    const psl_line *l = f->ast;
    for (size_t i = 0; i < l->n_attrs && !r->attr; i++)
        if (strcmp(l->attrs[i].name, "relation") == 0)
            r->attr = &l->attrs[i];
    if (!r->attr)
        return true;
    for (size_t i = 0; i < r->attr->args.len; i++) {
        const psl_arg *arg = &r->attr->args.items[i];
        const char *key = arg->name ? arg->name : i == 0 ? "name" : "";
        if (strcmp(key, "name") == 0) {
            if (!arg->value || arg->value->kind != PSL_EXPR_STRING)
                return false;
            r->name = arg->value->text;
        } else if (strcmp(key, "fields") == 0) {
            if (!names_fields(arg->value, f->model))
                return false;
            r->fields = arg->value;
        } else if (strcmp(key, "references") == 0) {
            if (!names_fields(arg->value, f->type_model))
                return false;
            r->refs = arg->value;
        }
    }
    return true;
}

/* What Prisma requires before it adds anything: a schema that parses, whose
 * names are unique and whose types and relation arguments resolve. The
 * checks the validator does later (a missing opposite field, ...) do not
 * matter. */
static bool magic_applies(magic *M)
{
    const psl_schema *s = M->s;
    psl_diags d;
    psl_diags_init(&d, &M->arena);
    if (!psl_parse(&s->source, &M->arena, &d) || d.errors)
        return false;
    size_t named = 0;
    for (size_t i = 0; i < s->ast->n_tops; i++) {
        psl_top_kind k = s->ast->tops[i].kind;
        named += k == PSL_TOP_MODEL || k == PSL_TOP_VIEW || k == PSL_TOP_TYPE || k == PSL_TOP_ENUM;
    }
    if (named != s->n_models + s->n_composites + s->n_enums)
        return false;
    for (size_t i = 0; i < s->n_models + s->n_composites; i++) {
        const psl_model *m = i < s->n_models ? s->models[i] : s->composites[i - s->n_models];
        size_t lines = 0;
        for (size_t k = 0; k < m->ast->n_lines; k++) {
            const psl_line *l = &m->ast->lines[k];
            if (l->kind != PSL_LINE_FIELD)
                continue;
            if (!l->type.name || l->legacy_colon ||
                (l->type.form != PSL_TYPE_REQUIRED && l->type.form != PSL_TYPE_OPTIONAL &&
                 l->type.form != PSL_TYPE_LIST))
                return false;
            lines++;
        }
        if (lines != m->n_fields)
            return false; /* a duplicate field */
        for (size_t k = 0; k < m->n_fields; k++)
            if (m->fields[k]->kind == PSL_FIELD_UNSUPPORTED && !m->fields[k]->ast->type.unsupported)
                return false; /* an unknown type */
    }
    return true;
}

/* Prisma's relation_evidence: the first relation field of the other model
 * that points back with the same relation name. */
static const rel_field *opposite(const magic *M, const rel_field *r)
{
    size_t t = r->f->type_model->index;
    for (size_t i = M->first[t]; i < M->first[t + 1]; i++) {
        const rel_field *o = &M->rf[i];
        if (o == r || o->f->type_model != r->f->model)
            continue;
        if (o->name ? r->name && strcmp(o->name, r->name) == 0 : !r->name)
            return o;
    }
    return NULL;
}

/* [model, field] > [other model, other field]: Prisma's tie-break. */
static bool sorts_after(const psl_field *x, const psl_field *y)
{
    int c = strcmp(x->model->name, y->model->name);
    return c ? c > 0 : strcmp(x->name, y->name) > 0;
}

/* Whether `fields` are exactly (in order) a unique index of `m` (not its
 * primary key): then a relation with no back field is 1:1. */
static bool fields_are_unique(const psl_model *m, const psl_expr *fields)
{
    for (size_t i = 0; i < m->n_indexes; i++) {
        const psl_index *ix = m->indexes[i];
        if (ix->kind != PSL_INDEX_UNIQUE || ix->n_fields != fields->len)
            continue;
        size_t k = 0;
        while (k < ix->n_fields && ix->fields[k].field == scalar_field(m, fields->items[k]->text))
            k++;
        if (k == ix->n_fields)
            return true;
    }
    return false;
}

/* ingest_relation: one relation per pair of fields, seen from the side
 * that holds the foreign key; many-to-many relations are not inline. */
static void ingest(magic *M, const rel_field *r)
{
    const rel_field *o = opposite(M, r);
    psl_arity ar = r->f->arity;
    inline_rel rel = { false, r->f->model, r->f->type_model, r, o };
    if (o) {
        psl_arity oa = o->f->arity;
        if (ar == PSL_LIST && oa == PSL_LIST)
            return;
        if (ar == PSL_REQUIRED && oa == PSL_OPTIONAL) {
            rel.one_to_one = true;
        } else if (ar == PSL_REQUIRED && oa == PSL_REQUIRED) {
            if (sorts_after(r->f, o->f))
                return;
            rel.one_to_one = true;
        } else if (ar == PSL_OPTIONAL && oa == PSL_REQUIRED) {
            return; /* the other side holds it */
        } else if (ar == PSL_OPTIONAL && oa == PSL_OPTIONAL) {
            if (!r->fields && (o->fields || sorts_after(r->f, o->f)))
                return;
            rel.one_to_one = true;
        } else if (ar == PSL_LIST) {
            return; /* 1:n, seen from the list side */
        }
    } else if (ar == PSL_LIST) {
        /* Only the list side: the foreign key goes on the other model. */
        rel.a = r->f->type_model;
        rel.b = r->f->model;
        rel.fwd = NULL;
        rel.back = r;
    } else {
        rel.one_to_one = r->fields && fields_are_unique(r->f->model, r->fields);
    }
    M->rels[M->n_rels++] = rel;
}

static void add_bit(magic *M, size_t pos, const char *text)
{
    bit *b = psl_arena_alloc(&M->arena, sizeof *b);
    b->pos = pos;
    b->seq = M->bits.len; /* equal positions keep Prisma's order */
    b->text = text;
    psl_vec_push(&M->arena, &M->bits, b);
}

/* Where Prisma inserts a field: right before the model's `}`. */
static size_t model_end(const magic *M, const psl_model *m)
{
    return find_close(M->src, m->ast).brace;
}

/* ---- names, as Prisma makes them (cruet's camel case and plural) ---- */

static bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
/* Non-ASCII bytes count as letters (of no case). */
static bool is_alnum(unsigned char c) { return is_upper(c) || is_lower(c) || is_digit(c) || c >= 0x80; }
static char to_upper(unsigned char c) { return (char)(is_lower(c) ? c - 'a' + 'A' : c); }
static char to_lower(unsigned char c) { return (char)(is_upper(c) ? c - 'A' + 'a' : c); }

/* cruet's to_camel_case: words start at a separator (any non-alphanumeric),
 * after a digit and at a lower-to-upper change; the first word is lowercase,
 * the others capitalised. `User_Profile` -> `userProfile`. */
static char *camel_words(psl_arena *a, const char *s)
{
    size_t n = strlen(s), o = 0;
    while (n && !is_alnum((unsigned char)s[n - 1]))
        n--;
    char *out = psl_arena_alloc(a, n + 1);
    bool new_word = false, found = false;
    unsigned char last = ' ';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!is_alnum(c)) {
            new_word = found;
        } else if (is_digit(c)) {
            found = new_word = true;
            out[o++] = (char)c;
        } else if (new_word || (is_lower(last) && is_upper(c))) {
            found = true;
            new_word = false;
            out[o++] = to_upper(c);
        } else {
            found = true;
            last = c;
            out[o++] = to_lower(c);
        }
    }
    out[o] = '\0';
    return out;
}

static bool ends_with(const char *w, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(w + n - k, suffix, k) == 0;
}

/* Whether `w` ends with one of `stems` followed by one of `tails`; *cut is
 * the length of the matched tail. */
static bool ends_with_stem(const char *w, size_t n, const char *const *stems, const char *const *tails, size_t *cut)
{
    for (const char *const *t = tails; *t; t++) {
        size_t k = strlen(*t);
        if (!ends_with(w, n, *t))
            continue;
        for (const char *const *s = stems; *s; s++)
            if (ends_with(w, n - k, *s)) {
                *cut = k;
                return true;
            }
    }
    return false;
}

static bool in_set(unsigned char c, const char *set)
{
    return c && strchr(set, c) != NULL;
}

/* cruet's to_plural: its uncountable words, special cases and suffix rules,
 * the last rule first (each rule keeps a stem and appends its ending). */
static char *plural(psl_arena *a, const char *w)
{
    static const char *const uncountable[] = {
        "accommodation", "adulthood", "advertising", "advice", "aggression", "aid", "air", "aircraft", "alcohol",
        "anger", "applause", "arithmetic", "assistance", "athletics", "bacon", "baggage", "beef", "biology",
        "blood", "botany", "bread", "butter", "carbon", "cardboard", "cash", "chalk", "chaos", "chess",
        "crossroads", "countryside", "dancing", "deer", "dignity", "dirt", "dust", "economics", "education",
        "electricity", "engineering", "enjoyment", "envy", "equipment", "ethics", "evidence", "evolution", "fame",
        "fiction", "flour", "flu", "food", "fuel", "fun", "furniture", "gallows", "garbage", "garlic", "genetics",
        "gold", "golf", "gossip", "grammar", "gratitude", "grief", "guilt", "gymnastics", "happiness", "hardware",
        "harm", "hate", "hatred", "health", "heat", "help", "homework", "honesty", "honey", "hospitality",
        "housework", "humour", "hunger", "hydrogen", "ice", "importance", "inflation", "information", "innocence",
        "iron", "irony", "jam", "jewelry", "judo", "karate", "knowledge", "lack", "laughter", "lava", "leather",
        "leisure", "lightning", "linguine", "linguini", "linguistics", "literature", "litter", "livestock",
        "logic", "loneliness", "luck", "luggage", "macaroni", "machinery", "magic", "management", "mankind",
        "marble", "mathematics", "mayonnaise", "measles", "methane", "milk", "money", "mud", "music", "mumps",
        "nature", "news", "nitrogen", "nonsense", "nurture", "nutrition", "obedience", "obesity", "oxygen", "pasta",
        "patience", "physics", "poetry", "pollution", "poverty", "pride", "psychology", "publicity", "punctuation",
        "quartz", "racism", "relaxation", "reliability", "research", "respect", "revenge", "rice", "rubbish",
        "rum", "safety", "scenery", "seafood", "seaside", "series", "shame", "sheep", "shopping", "sleep",
        "smoke", "smoking", "snow", "soap", "software", "soil", "spaghetti", "species", "steam", "stuff",
        "stupidity", "sunshine", "symmetry", "tennis", "thirst", "thunder", "timber", "traffic", "transportation",
        "trust", "underwear", "unemployment", "unity", "validity", "veal", "vegetation", "vegetarianism",
        "vengeance", "violence", "vitality", "warmth", "wealth", "weather", "welfare", "wheat", "wildlife",
        "wisdom", "yoga", "zinc", "zoology",
    };
    static const char *const special[][2] = {
        { "ox", "oxen" },   { "man", "men" },       { "woman", "women" }, { "die", "dice" },
        { "yes", "yeses" }, { "foot", "feet" },     { "eave", "eaves" },  { "goose", "geese" },
        { "tooth", "teeth" }, { "quiz", "quizzes" },
    };
    static const char *const sibilant[] = { "x", "ch", "ss", "sh", "zz", NULL };
    static const char *const matrix[] = { "matr", "cod", "mur", "sil", "vert", "ind", "append", NULL };
    static const char *const ix_ex[] = { "ix", "ex", NULL };
    static const char *const ml[] = { "m", "l", NULL };
    static const char *const ice_ouse[] = { "ice", "ouse", NULL };
    static const char *const hero[] = { "her", "at", "gr", NULL };
    static const char *const o_tail[] = { "o", NULL };
    static const char *const life[] = { "kni", "wi", "li", NULL };
    static const char *const fe[] = { "fe", NULL };
    static const char *const leaf[] = { "ar", "l", "ea", "eo", "oa", "hoo", NULL };
    static const char *const f_tail[] = { "f", NULL };
    static const char *const datum[] = { "agend", "addend", "millenni", "dat", "extrem", "bacteri", "desiderat",
                                         "strat", "candelabr", "errat", "ov", "symposi", "curricul", "automat",
                                         "quor", NULL };
    static const char *const a_um[] = { "a", "um", NULL };
    static const char *const criterion[] = { "apheli", "hyperbat", "periheli", "asyndet", "noumen", "phenomen",
                                             "criteri", "organ", "prolegomen", "hedr", "automat", NULL };
    static const char *const a_on[] = { "a", "on", NULL };
    static const char *const seraph[] = { "seraph", "cherub", NULL };
    static const char *const im_none[] = { "im", "", NULL };
    static const char *const alumna[] = { "alumn", "alg", "vertebr", NULL };
    static const char *const a_ae[] = { "a", "ae", NULL };
    static const char *const alumnus[] = { "alumn", "syllab", "octop", "vir", "radi", "nucle", "fung", "cact",
                                           "stimul", "termin", "bacill", "foc", "uter", "loc", "strat", NULL };
    static const char *const us_i[] = { "us", "i", NULL };
    static const char *const axis[] = { "ax", "test", NULL };
    static const char *const is_tail[] = { "is", NULL };
    static const char *const emu[] = { "emu", "enu", NULL };
    static const char *const s_none[] = { "s", "", NULL };
    static const char *const es_tail[] = { "es", NULL };
    static const char *const none[] = { "", NULL };

    for (size_t i = 0; i < sizeof uncountable / sizeof uncountable[0]; i++)
        if (strcmp(w, uncountable[i]) == 0)
            return psl_arena_strdup(a, w);
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        if (strcmp(w, special[i][0]) == 0)
            return psl_arena_strdup(a, special[i][1]);

    size_t n = strlen(w), cut = 0;
    const unsigned char *u = (const unsigned char *)w;
    /* The byte before a suffix of k bytes (0: none). */
#define BEFORE(k) (n > (k) ? u[n - (k) - 1] : 0)
    const char *end = "s";
    if (ends_with(w, n, "eaux"))
        end = "";
    else if (ends_with(w, n, "children"))
        cut = 3, end = "ren";
    else if (ends_with(w, n, "child"))
        end = "ren";
    else if (ends_with(w, n, "person") || ends_with(w, n, "people"))
        cut = 4, end = "ople";
    else if (ends_with_stem(w, n, ml, ice_ouse, &cut))
        end = "ice";
    else if (ends_with_stem(w, n, matrix, ix_ex, &cut))
        end = "ices";
    else if (ends_with_stem(w, n, sibilant, none, &cut))
        end = "es";
    else if (ends_with_stem(w, n, sibilant, es_tail, &cut))
        cut = 0, end = "";
    else if (ends_with(w, n, "ey") && n >= 5 && in_set(BEFORE(2), "ln") && in_set(BEFORE(3), "ieo") &&
             !in_set(BEFORE(4), "ch"))
        cut = 2, end = "ies";
    else if (ends_with(w, n, "y") && ((n >= 2 && !in_set(BEFORE(1), "aeiouy")) || ends_with(w, n, "quy")))
        cut = 1, end = "ies";
    else if (ends_with_stem(w, n, leaf, f_tail, &cut))
        end = "ves";
    else if (ends_with_stem(w, n, life, fe, &cut))
        end = "ves";
    else if (ends_with(w, n, "sis"))
        cut = 3, end = "ses";
    else if (ends_with_stem(w, n, criterion, a_on, &cut) || ends_with_stem(w, n, datum, a_um, &cut))
        end = "a";
    else if (ends_with_stem(w, n, hero, o_tail, &cut))
        end = "oes";
    else if (ends_with_stem(w, n, seraph, im_none, &cut))
        end = "im";
    else if (ends_with_stem(w, n, alumna, a_ae, &cut))
        end = "ae";
    else if (ends_with_stem(w, n, alumnus, us_i, &cut))
        end = "i";
    else if (ends_with(w, n, "ias") ? BEFORE(3) != 'l' && n >= 4
             : ends_with(w, n, "las") ? in_set(BEFORE(3), "aeiou")
             : ends_with(w, n, "as") ? in_set(BEFORE(2), "emjzr")
             : ends_with(w, n, "am") && in_set(BEFORE(2), "iu"))
        end = "";
    else if (ends_with_stem(w, n, emu, s_none, &cut))
        end = "s";
    else if (ends_with(w, n, "alias") || ends_with(w, n, "tlas") || ends_with(w, n, "gas") ||
             ends_with(w, n, "ris") || (ends_with(w, n, "us") && n >= 3 && !in_set(BEFORE(2), "aou")))
        end = "es";
    else if (ends_with_stem(w, n, axis, is_tail, &cut))
        end = "es";
    else if (ends_with(w, n, "ese") && n >= 4 && !in_set(BEFORE(3), "aeiou"))
        end = "";
    else if (ends_with(w, n, "s"))
        cut = 1;
#undef BEFORE
    return psl_arena_printf(a, "%.*s%s", (int)(n - cut), w, end);
}

/* ---- the missing bits ---- */

typedef struct inferred {
    const char *name;
    psl_arity arity;
    const psl_field *blueprint; /* the referenced field */
} inferred;

/* The first unique criterion of `m` (its primary key, then its unique
 * indexes); `strict`: only one without optional or Unsupported fields. */
static const psl_index *unique_criterion(const psl_model *m, bool strict)
{
    for (size_t i = 0; i <= m->n_indexes; i++) {
        const psl_index *ix = i == 0 ? m->primary_key : m->indexes[i - 1];
        if (!ix || (i > 0 && ix->kind != PSL_INDEX_UNIQUE))
            continue;
        bool ok = true;
        for (size_t k = 0; k < ix->n_fields && strict; k++)
            if (ix->fields[k].field->arity == PSL_OPTIONAL || ix->fields[k].field->kind == PSL_FIELD_UNSUPPORTED)
                ok = false;
        if (ok)
            return ix;
    }
    return NULL;
}

/* infer_missing_referencing_scalar_fields: one per field of the referenced
 * model's first unique criterion, named `blogId` after the model and field. */
static size_t infer_fields(magic *M, const inline_rel *r, inferred **out)
{
    const psl_index *ix = unique_criterion(r->b, false);
    size_t n = ix ? ix->n_fields : 0;
    *out = psl_arena_alloc(&M->arena, (n + 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        const psl_field *bp = ix->fields[i].field;
        char *name = psl_arena_printf(&M->arena, "%s%s", r->b->name, bp->name);
        name[0] = to_lower((unsigned char)name[0]);
        name[strlen(r->b->name)] = to_upper((unsigned char)bp->name[0]);
        const psl_field *existing = scalar_field(r->a, name);
        (*out)[i].name = name;
        (*out)[i].arity = existing ? existing->arity : r->fwd ? r->fwd->f->arity : PSL_OPTIONAL;
        (*out)[i].blueprint = bp;
    }
    return n;
}

static const char *arity_text(psl_arity a)
{
    return a == PSL_OPTIONAL ? "?" : a == PSL_LIST ? "[]" : "";
}

/* `fields: [blogId]` */
static const char *fields_arg(magic *M, const inline_rel *r)
{
    inferred *inf;
    size_t n = infer_fields(M, r, &inf);
    char *s = psl_arena_strdup(&M->arena, "fields: [");
    for (size_t i = 0; i < n; i++)
        s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", inf[i].name);
    return psl_arena_printf(&M->arena, "%s]", s);
}

/* `references: [id]`: as written, or the first strict unique criterion. */
static const char *references_arg(magic *M, const inline_rel *r)
{
    char *s = psl_arena_strdup(&M->arena, "references: [");
    if (r->fwd && r->fwd->refs) {
        for (size_t i = 0; i < r->fwd->refs->len; i++)
            s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", r->fwd->refs->items[i]->text);
    } else {
        const psl_index *ix = unique_criterion(r->b, true);
        for (size_t i = 0; ix && i < ix->n_fields; i++)
            s = psl_arena_printf(&M->arena, "%s%s%s", s, i ? ", " : "", ix->fields[i].field->name);
    }
    return psl_arena_printf(&M->arena, "%s]", s);
}

/* The native type attribute of a field (`@db.VarChar(20)`), as written. */
static const psl_attribute *native_attr(const magic *M, const psl_field *f)
{
    const psl_datasource *ds = M->s->datasource;
    if (!ds || !ds->name)
        return NULL;
    size_t n = strlen(ds->name);
    for (size_t i = 0; i < f->ast->n_attrs; i++) {
        const char *name = f->ast->attrs[i].name;
        if (strncmp(name, ds->name, n) == 0 && name[n] == '.')
            return &f->ast->attrs[i];
    }
    return NULL;
}

/* push_missing_relation_fields and push_missing_scalar_fields. */
static void missing_fields(magic *M, const inline_rel *r)
{
    if (!r->back) {
        const char *name = camel_words(&M->arena, r->a->name);
        if (!r->one_to_one)
            name = plural(&M->arena, name);
        add_bit(M, model_end(M, r->b),
                psl_arena_printf(&M->arena, "%s %s%s %s\n", name, r->a->name, r->one_to_one ? "?" : "[]",
                                 r->a->is_ignored ? "@ignore" : ""));
    }
    inferred *inf;
    size_t n = infer_fields(M, r, &inf);
    if (!r->fwd) {
        /* Optional when one of its scalar fields is. */
        psl_arity arity = PSL_REQUIRED;
        for (size_t i = 0; i < n; i++)
            if (inf[i].arity == PSL_OPTIONAL)
                arity = PSL_OPTIONAL;
        add_bit(M, model_end(M, r->a),
                psl_arena_printf(&M->arena, "%s %s%s @relation(%s, %s)\n", camel_words(&M->arena, r->b->name),
                                 r->b->name, arity_text(arity), fields_arg(M, r), references_arg(M, r)));
    }
    if (r->fwd && r->fwd->fields)
        return;
    for (size_t i = 0; i < n; i++) {
        if (scalar_field(r->a, inf[i].name))
            continue;
        const psl_field *bp = inf[i].blueprint;
        if (bp->kind != PSL_FIELD_SCALAR)
            return; /* Prisma stops at an enum or Unsupported type */
        const psl_attribute *nt = native_attr(M, bp);
        add_bit(M, model_end(M, r->a),
                psl_arena_printf(&M->arena, "%s %s%s %.*s\n", inf[i].name, psl_scalar_name(bp->scalar),
                                 arity_text(inf[i].arity), nt ? (int)(nt->span.end - nt->span.start) : 0,
                                 nt ? M->src->s + nt->span.start : ""));
    }
}

/* push_missing_relation_attribute: after the forward field's type. */
static void missing_attribute(magic *M, const inline_rel *r)
{
    if (r->fwd && !r->fwd->attr)
        add_bit(M, r->fwd->f->ast->type.span.end,
                psl_arena_printf(&M->arena, " @relation(%s, %s)", fields_arg(M, r), references_arg(M, r)));
}

/* push_missing_relation_attribute_args: `fields` and `references` go at the
 * end of an existing @relation. */
static void missing_args(magic *M, const inline_rel *r)
{
    if (!r->fwd || !r->fwd->attr || (r->fwd->fields && r->fwd->refs))
        return;
    const psl_attribute *at = r->fwd->attr;
    const char *extra = !r->fwd->fields && !r->fwd->refs
                            ? psl_arena_printf(&M->arena, "%s, %s", fields_arg(M, r), references_arg(M, r))
                        : r->fwd->fields ? references_arg(M, r)
                                         : fields_arg(M, r);
    if (!at->args.present)
        add_bit(M, at->span.end, psl_arena_printf(&M->arena, "(%s)", extra));
    else /* before the `)`; Prisma's `@relation()(...)` and `(a,, ...)` are not repeated */
        add_bit(M, at->span.end - 1,
                psl_arena_printf(&M->arena, "%s%s", at->args.len && !at->args.trailing_comma ? ", " : "", extra));
}

static int cmp_bits(const void *pa, const void *pb)
{
    const bit *a = *(const bit *const *)pa, *b = *(const bit *const *)pb;
    if (a->pos != b->pos)
        return a->pos < b->pos ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The schema's source with the missing bits inserted, or NULL when nothing
 * is missing. */
static char *enrich(magic *M, size_t *len)
{
    const psl_schema *s = M->s;
    size_t n = 0;
    for (size_t i = 0; i < s->n_models; i++)
        for (size_t k = 0; k < s->models[i]->n_fields; k++)
            n += s->models[i]->fields[k]->kind == PSL_FIELD_RELATION;
    M->rf = psl_arena_alloc(&M->arena, (n + 1) * sizeof *M->rf);
    M->rels = psl_arena_alloc(&M->arena, (n + 1) * sizeof *M->rels);
    M->first = psl_arena_alloc(&M->arena, (s->n_models + 1) * sizeof *M->first);
    for (size_t i = 0; i < s->n_models; i++) {
        M->first[i] = M->n_rf;
        for (size_t k = 0; k < s->models[i]->n_fields; k++) {
            psl_field *f = s->models[i]->fields[k];
            if (f->kind == PSL_FIELD_RELATION && !read_rel_field(&M->rf[M->n_rf++], f))
                return NULL; /* a relation argument that does not resolve */
        }
    }
    M->first[s->n_models] = M->n_rf;
    for (size_t i = 0; i < M->n_rf; i++)
        ingest(M, &M->rf[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_fields(M, &M->rels[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_attribute(M, &M->rels[i]);
    for (size_t i = 0; i < M->n_rels; i++)
        missing_args(M, &M->rels[i]);
    if (M->bits.len == 0)
        return NULL;

    bit **bits = (bit **)M->bits.items;
    qsort(bits, M->bits.len, sizeof *bits, cmp_bits);
    size_t total = s->source.len;
    for (size_t i = 0; i < M->bits.len; i++)
        total += strlen(bits[i]->text);
    char *out = psl_arena_alloc(&M->arena, total + 1);
    size_t o = 0, from = 0;
    for (size_t i = 0; i < M->bits.len; i++) {
        memcpy(out + o, s->source.text + from, bits[i]->pos - from);
        o += bits[i]->pos - from;
        from = bits[i]->pos;
        size_t k = strlen(bits[i]->text);
        memcpy(out + o, bits[i]->text, k);
        o += k;
    }
    memcpy(out + o, s->source.text + from, s->source.len - from);
    *len = total;
    return out;
}

char *psl_format_schema(const psl_schema *s, size_t *out_len)
{
    fmt view;
    memset(&view, 0, sizeof view);
    view.s = s->source.text;
    view.n = s->source.len;
    magic M;
    memset(&M, 0, sizeof M);
    M.s = s;
    M.src = &view;
    psl_arena_init(&M.arena);

    char *out = NULL;
    size_t len = 0;
    char *text = magic_applies(&M) ? enrich(&M, &len) : NULL;
    if (text) {
        psl_source src = { s->source.name, text, len };
        psl_diags d;
        psl_diags_init(&d, &M.arena);
        const psl_ast *ast = psl_parse(&src, &M.arena, &d);
        /* What was added must parse; if not, only the layout is done. */
        if (ast && d.errors == 0)
            out = psl_format(ast, &src, out_len);
        else
            text = NULL;
    }
    if (!text)
        out = psl_format(s->ast, &s->source, out_len);
    psl_arena_release(&M.arena);
    return out;
}
