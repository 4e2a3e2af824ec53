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
#include "format_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    fmt_buf_put(b, "(", 1);
    for (size_t i = 0; i < a->len; i++) {
        const psl_arg *arg = &a->items[i];
        if (i)
            fmt_buf_put(b, ", ", 2);
        if (arg->name) {
            fmt_buf_puts(b, arg->name);
            fmt_buf_put(b, ": ", 2); /* an empty `name:` argument keeps the space, as in Prisma */
        }
        if (arg->value)
            put_expr(b, arg->value);
    }
    fmt_buf_put(b, ")", 1);
}

/* Recursion is bounded: the parser rejects nesting beyond PSL_MAX_NESTING. */
static void put_expr(strbuf *b, const psl_expr *e)
{
    switch (e->kind) {
    case PSL_EXPR_STRING:
        fmt_buf_puts(b, e->raw); /* as written: escapes stay as they were */
        break;
    case PSL_EXPR_NUMBER:
    case PSL_EXPR_CONSTANT:
        fmt_buf_puts(b, e->text);
        break;
    case PSL_EXPR_FUNCTION:
        fmt_buf_puts(b, e->text);
        put_args(b, &e->args);
        break;
    case PSL_EXPR_ARRAY:
        fmt_buf_put(b, "[", 1);
        for (size_t i = 0; i < e->len; i++) {
            if (i)
                fmt_buf_put(b, ", ", 2);
            put_expr(b, e->items[i]);
        }
        fmt_buf_put(b, "]", 1);
        break;
    case PSL_EXPR_OBJECT: /* `{ a: 1, b: { c: 2 } }`, `{}` when empty, as Prisma */
        if (e->args.len == 0) {
            fmt_buf_put(b, "{}", 2);
            break;
        }
        fmt_buf_put(b, "{ ", 2);
        for (size_t i = 0; i < e->args.len; i++) {
            const psl_arg *m = &e->args.items[i];
            if (i)
                fmt_buf_put(b, ", ", 2);
            if (m->name) {
                fmt_buf_puts(b, m->name);
                fmt_buf_put(b, ": ", 2);
            }
            if (m->value)
                put_expr(b, m->value);
        }
        fmt_buf_put(b, " }", 2);
        break;
    }
}

static void put_attr(strbuf *b, const psl_attribute *a)
{
    fmt_buf_puts(b, a->block ? "@@" : "@");
    fmt_buf_puts(b, a->name);
    put_args(b, &a->args);
}

/* Prisma's type forms; the legacy `T!` and `[T]` come out as `T` and `T[]`. */
static void put_type(strbuf *b, const psl_field_type *t)
{
    fmt_buf_puts(b, t->name);
    if (t->unsupported) {
        fmt_buf_put(b, "(", 1);
        fmt_buf_puts(b, t->unsupported_text);
        fmt_buf_put(b, ")", 1);
    }
    switch (t->form) {
    case PSL_TYPE_OPTIONAL:
        fmt_buf_put(b, "?", 1);
        break;
    case PSL_TYPE_LIST:
    case PSL_TYPE_LEGACY_LIST:
        fmt_buf_put(b, "[]", 2);
        break;
    case PSL_TYPE_OPTIONAL_LIST:
        fmt_buf_put(b, "[]?", 3);
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
    if (!fmt_tab_row(f, false))
        return;
    size_t m = f->tab.text.len;
    fmt_buf_put(&f->tab.text, a, na);
    fmt_buf_put(&f->tab.text, b, nb);
    fmt_tab_suffix(f, m);
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
    if (!fmt_tab_row(f, false))
        return;
    size_t m = b->len;
    fmt_buf_puts(b, l->name);
    fmt_tab_col(f, 0, m);
    if (is_enum) {
        /* Enum values keep their attributes' order. Prisma's renderer glues
         * them together without a space; a space keeps them readable. */
        if (l->n_attrs) {
            m = b->len;
            for (size_t i = 0; i < l->n_attrs; i++) {
                if (i)
                    fmt_buf_put(b, " ", 1);
                put_attr(b, &l->attrs[i]);
            }
            fmt_tab_col(f, 1, m);
        }
    } else {
        if (l->type.name) {
            m = b->len;
            put_type(b, &l->type);
            fmt_tab_col(f, 1, m);
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
                    fmt_buf_put(b, " ", 1);
                put_attr(b, &l->attrs[ord[i].seq]);
            }
            free(ord);
            fmt_tab_col(f, 2, m);
        }
    }
    if (l->trailing) {
        m = b->len;
        fmt_buf_puts(b, l->trailing);
        fmt_tab_suffix(f, m);
    }
}

static void key_value_row(fmt *f, const psl_line *l)
{
    strbuf *b = &f->tab.text;
    if (!fmt_tab_row(f, false))
        return;
    size_t m = b->len;
    fmt_buf_puts(b, l->name);
    fmt_tab_col(f, 0, m);
    m = b->len;
    /* Prisma drops the `=` of a key without a value; it is kept so that the
     * line still reads as the same (invalid) key-value line. */
    fmt_buf_puts(b, l->value ? "= " : "=");
    if (l->value)
        put_expr(b, l->value);
    fmt_tab_col(f, 1, m);
    if (l->trailing) {
        m = b->len;
        fmt_buf_puts(b, l->trailing);
        fmt_tab_suffix(f, m);
    }
}

static void block_attribute_row(fmt *f, const psl_line *l)
{
    strbuf *b = &f->tab.text;
    if (!fmt_tab_row(f, false))
        return;
    size_t m = b->len;
    put_attr(b, &l->attrs[0]);
    fmt_tab_col(f, 0, m);
    if (l->trailing) {
        m = b->len;
        fmt_buf_puts(b, l->trailing);
        fmt_tab_suffix(f, m);
    }
}

static void invalid_row(fmt *f, const psl_line *l)
{
    if (!fmt_tab_row(f, true))
        return;
    size_t end = invalid_end(f, l);
    size_t m = f->tab.text.len;
    fmt_buf_put(&f->tab.text, f->s + l->span.start, end - l->span.start);
    fmt_tab_suffix(f, m);
}

/* Starts a new alignment run after an empty line, which is kept as one. */
static void new_run(fmt *f)
{
    fmt_tab_render(f);
    fmt_tab_row(f, false);
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

    fmt_tab_render(f);
    if (n_attrs) {
        fmt_tab_row(f, false); /* the empty line between fields and attributes */
        qsort(attrs, n_attrs, sizeof *attrs, cmp_ordered);
        for (size_t k = 0; k < n_attrs; k++) {
            for (size_t c = attrs[k].comment_from; c < attrs[k].comment_to; c++)
                comment_rows(f, L[c].text);
            block_attribute_row(f, &L[attrs[k].seq]);
        }
        fmt_tab_render(f);
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
    fmt_puts(f, block_keyword(t->kind));
    fmt_puts(f, " ");
    fmt_puts(f, t->name);
    fmt_puts(f, " {");
    /* Prisma drops what follows `{` on its line; keeping it loses nothing
     * and reads back the same. */
    if (t->header_trailing) {
        fmt_puts(f, " ");
        fmt_puts(f, t->header_trailing);
    }
    fmt_end_line(f);
    f->indent++;
    block_contents(f, t);
    f->indent--;
    /* An unclosed block stays unclosed: adding the `}` is not a format. */
    if (c->closed) {
        fmt_puts(f, "}");
        if (t->close_trailing) {
            /* Prisma would move it to a line of its own, and then the next
             * run would add an empty line above it; it stays on the `}`. */
            const char *ct = t->close_trailing;
            size_t n = strlen(ct);
            while (n && (ct[n - 1] == ' ' || ct[n - 1] == '\t'))
                n--;
            fmt_puts(f, " ");
            fmt_write(f, ct, n);
        } else if (c->garbage) {
            /* Invalid text after the `}` stays there, verbatim: on a line of
             * its own it could parse as something else (`}model B {`). */
            fmt_puts(f, " ");
            fmt_write(f, f->s + c->after, c->end - c->after);
        }
        fmt_end_line(f);
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
                fmt_end_line(&f);
            i = j;
            continue;
        }
        case ITEM_BLOCK:
            render_block(&f, it->top, &it->close);
            break;
        case ITEM_COMMENT:
            comment_rows(&f, it->top->text);
            fmt_tab_render(&f);
            break;
        case ITEM_LINE:
            fmt_write(&f, f.s + it->start, it->end - it->start);
            fmt_end_line(&f);
            break;
        case ITEM_VERBATIM:
            fmt_write(&f, f.s + it->start, it->end - it->start);
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
            fmt_end_line(&f);
        fmt_write(&f, f.s + tail, trim_end(&f, tail, f.n) - tail);
    }

    /* Every schema ends with a newline. */
    if (f.out.len == 0 || f.out.p[f.out.len - 1] != '\n')
        fmt_end_line(&f);

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

/* The offset of the `}` that closes block `t` of `text` (or `len` when the
 * block runs to the end of the file). */
size_t psl_format_close_brace(const char *text, size_t len, const psl_top *t)
{
    fmt view;
    memset(&view, 0, sizeof view);
    view.s = text;
    view.n = len;
    close_info c = find_close(&view, t);
    return c.closed ? c.brace : len;
}
