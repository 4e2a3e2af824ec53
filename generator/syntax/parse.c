/* The parser's entry point and the syntax tree constructors its actions call. */
#include "parse_build.h"
#include "parser.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* Flex's reentrant interface, declared here to avoid including its header. */
typedef void *yyscan_t;
int psl_yylex_init_extra(psl_parser *extra, yyscan_t *scanner);
int psl_yylex_destroy(yyscan_t scanner);
typedef struct yy_buffer_state *YY_BUFFER_STATE;
YY_BUFFER_STATE psl_yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);

/* ---- lexer helpers ---- */

void psl_lex_advance(psl_parser *P, psl_span *loc, const char *text, size_t len)
{
    loc->start = P->offset;
    loc->line = P->line;
    loc->col = P->col;
    loc->file = P->src->file;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n' || (c == '\r' && (i + 1 >= len || text[i + 1] != '\n'))) {
            P->line++;
            P->col = 1;
        } else if (c != '\r') {
            P->col++;
        }
    }
    P->offset += len;
    loc->end = P->offset;
}

const char *psl_lex_text(psl_parser *P, const char *text, size_t len)
{
    return psl_arena_strndup(P->arena, text, len);
}

const char *psl_lex_brace_rest(psl_parser *P, const char *text, size_t len)
{
    while (len && (*text == ' ' || *text == '\t')) {
        text++;
        len--;
    }
    while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    return len ? psl_arena_strndup(P->arena, text, len) : NULL;
}

int psl_lex_string(psl_parser *P, PSL_YYSTYPE *lval, psl_span *loc, const char *text, size_t len)
{
    (void)loc;
    lval->str = psl_arena_strndup(P->arena, text, len);
    return T_STRING;
}

int psl_lex_block_comment(psl_parser *P, PSL_YYSTYPE *lval, psl_span *loc)
{
    *loc = P->comment_loc;
    loc->end = P->offset;
    lval->str = psl_arena_strndup(P->arena, P->src->text + P->comment_start, P->offset - P->comment_start);
    return T_BLOCK_COMMENT;
}

int psl_lex_eof(psl_parser *P, psl_span *loc)
{
    loc->start = loc->end = P->offset;
    loc->line = P->line;
    loc->col = P->col;
    loc->file = P->src->file;
    /* The grammar ends every line with a newline; supply the last one. */
    if (P->eof_stage == 0) {
        P->eof_stage = 1;
        if (P->last_token != T_NEWLINE && P->last_token != 0)
            return T_NEWLINE;
    }
    if (P->eof_stage == 1) {
        P->eof_stage = 2;
        return T_EOF;
    }
    return 0;
}

bool psl_lex_comment_closes(psl_parser *P)
{
    /* Is there a `*` `/` after the opening? The answer is remembered, so a
     * file full of openings is still scanned once. */
    if (P->close_known && P->close_from <= P->offset && (P->close_at == (size_t)-1 || P->close_at >= P->offset))
        return P->close_at != (size_t)-1;
    const char *t = P->src->text;
    P->close_known = true;
    P->close_from = P->offset;
    P->close_at = (size_t)-1;
    for (size_t i = P->offset; i + 1 < P->src->len; i++)
        if (t[i] == '*' && t[i + 1] == '/') {
            P->close_at = i;
            return true;
        }
    return false;
}

int psl_lex_too_deep(psl_parser *P, psl_span *loc)
{
    if (!P->too_deep_reported) {
        psl_error(P->diags, *loc,
                  "Error validating: This expression nests deeper than %d levels of brackets.",
                  PSL_MAX_NESTING);
        P->too_deep_reported = true;
    }
    return T_TOO_DEEP;
}

/* ---- helpers ---- */

static psl_span line_span(psl_parser *P, psl_span from, psl_span newline)
{
    /* From the first non-blank byte of the line holding `from` to the newline. */
    const char *s = P->src->text;
    size_t b = from.start;
    while (b > 0 && s[b - 1] != '\n' && s[b - 1] != '\r')
        b--;
    unsigned col = 1;
    while (b < newline.start && (s[b] == ' ' || s[b] == '\t')) {
        b++;
        col++;
    }
    size_t e = newline.start > b ? newline.start : b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t'))
        e--;
    /* The line number of the line start: count back from `from`. */
    unsigned line = from.line;
    for (size_t i = b; i < from.start; i++)
        if (s[i] == '\n')
            line--;
    psl_span sp = { b, e, line, col, from.file };
    return sp;
}

static bool is_doc_comment(const char *t)
{
    return strncmp(t, "///", 3) == 0 || strncmp(t, "/*", 2) == 0;
}

/* The documentation text of one comment: `/// x` gives "x", a block comment
 * its lines without the decoration. */
static void append_doc(psl_arena *a, char **doc, const char *t)
{
    char *piece;
    if (strncmp(t, "///", 3) == 0) {
        const char *p = t + 3;
        while (*p == ' ' || *p == '\t')
            p++;
        piece = psl_arena_strdup(a, p);
    } else {
        size_t n = strlen(t);
        const char *p = t + 2, *end = t + (n >= 4 ? n - 2 : 2);
        while (p < end && (*p == '*' || *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
            p++;
        while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r' ||
                           end[-1] == '*'))
            end--;
        /* Strip each inner line's leading " * ". */
        char *buf = psl_arena_alloc(a, (size_t)(end - p) + 1);
        size_t o = 0;
        bool at_line_start = false;
        for (const char *q = p; q < end; q++) {
            if (at_line_start) {
                if (*q == ' ' || *q == '\t')
                    continue;
                if (*q == '*') {
                    if (q + 1 < end && q[1] == ' ')
                        q++;
                    at_line_start = false;
                    continue;
                }
                at_line_start = false;
            }
            if (*q == '\r')
                continue;
            buf[o++] = *q;
            if (*q == '\n')
                at_line_start = true;
        }
        buf[o] = '\0';
        piece = buf;
    }
    if (*doc)
        *doc = psl_arena_printf(a, "%s\n%s", *doc, piece);
    else
        *doc = piece;
}

/* ---- syntax tree constructors ---- */

psl_top *psl_top_new(psl_parser *P, psl_top_kind kind, psl_span span)
{
    psl_top *t = psl_arena_alloc(P->arena, sizeof *t);
    t->kind = kind;
    t->span = span;
    return t;
}

psl_top *psl_top_comment(psl_parser *P, const char *text, psl_span span)
{
    psl_top *t = psl_top_new(P, PSL_TOP_COMMENT, span);
    t->text = text;
    return t;
}

static const char *invalid_line_message(psl_top_kind kind)
{
    switch (kind) {
    case PSL_TOP_ENUM:
        return "Error validating: This line is not an enum value definition.";
    case PSL_TOP_DATASOURCE:
        return "Error validating: This line is not a valid definition within a datasource.";
    case PSL_TOP_GENERATOR:
        return "Error validating: This line is not a valid definition within a generator.";
    default:
        return "Error validating: This line is not a valid field or attribute definition.";
    }
}

/* Copies the collected lines into the block, attaches documentation and
 * reports the lines this kind of block does not accept. */
static void finish_lines(psl_parser *P, psl_top *t, psl_vec *lines)
{
    t->n_lines = lines->len;
    t->lines = psl_arena_alloc(P->arena, (lines->len ? lines->len : 1) * sizeof *t->lines);
    for (size_t i = 0; i < lines->len; i++)
        t->lines[i] = *(psl_line *)lines->items[i];

    bool config = t->kind == PSL_TOP_DATASOURCE || t->kind == PSL_TOP_GENERATOR;
    for (size_t i = 0; i < t->n_lines; i++) {
        psl_line *l = &t->lines[i];
        bool bad = false;
        switch (l->kind) {
        case PSL_LINE_INVALID:
            bad = true;
            break;
        case PSL_LINE_KEY_VALUE:
            bad = !config;
            break;
        case PSL_LINE_FIELD:
            bad = config || (t->kind == PSL_TOP_ENUM && (l->type.name || l->legacy_colon));
            break;
        case PSL_LINE_ATTRIBUTE:
            bad = config;
            break;
        default:
            break;
        }
        if (bad) {
            if (l->kind != PSL_LINE_INVALID) {
                /* Keep it verbatim for the formatter, like any invalid line. */
                l->kind = PSL_LINE_INVALID;
                l->text = psl_arena_strndup(P->arena, P->src->text + l->span.start,
                                            l->span.end - l->span.start);
            }
            if (t->kind != PSL_TOP_ARBITRARY_BLOCK)
                psl_error(P->diags, l->span, "%s", invalid_line_message(t->kind));
            continue;
        }
        if (l->kind != PSL_LINE_FIELD && l->kind != PSL_LINE_ATTRIBUTE && l->kind != PSL_LINE_KEY_VALUE)
            continue;
        /* Documentation: the comments right above, then a trailing doc comment. */
        size_t j = i;
        while (j > 0 && t->lines[j - 1].kind == PSL_LINE_COMMENT)
            j--;
        char *doc = NULL;
        for (size_t k = j; k < i; k++)
            if (is_doc_comment(t->lines[k].text))
                append_doc(P->arena, &doc, t->lines[k].text);
        if (l->trailing && is_doc_comment(l->trailing))
            append_doc(P->arena, &doc, l->trailing);
        l->doc = doc;
    }
}

psl_top *psl_top_block(psl_parser *P, const char *keyword, psl_span kw_span, const char *name,
                       psl_span name_span, const char *header_rest, psl_vec *lines,
                       const char *close_trailing, psl_span span)
{
    static const struct {
        const char *kw;
        psl_top_kind kind;
    } kinds[] = {
        { "model", PSL_TOP_MODEL },          { "view", PSL_TOP_VIEW },
        { "type", PSL_TOP_TYPE },            { "enum", PSL_TOP_ENUM },
        { "datasource", PSL_TOP_DATASOURCE }, { "generator", PSL_TOP_GENERATOR },
    };
    psl_top_kind kind = PSL_TOP_ARBITRARY_BLOCK;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(keyword, kinds[i].kw) == 0)
            kind = kinds[i].kind;
    psl_top *t = psl_top_new(P, kind, span);
    t->keyword_span = kw_span;
    t->name = name;
    t->name_span = name_span;
    t->header_trailing = header_rest;
    t->close_trailing = close_trailing;
    finish_lines(P, t, lines);
    if (kind == PSL_TOP_ARBITRARY_BLOCK) {
        t->name = keyword;
        t->name_span = kw_span;
        psl_error(P->diags, kw_span,
                  "Error validating: This block is invalid. It does not start with any known Prisma schema "
                  "keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.");
    }
    return t;
}

psl_top *psl_top_arbitrary(psl_parser *P, const char *name, psl_span name_span, psl_vec *lines,
                           psl_span span)
{
    psl_top *t = psl_top_new(P, PSL_TOP_ARBITRARY_BLOCK, span);
    t->name = name;
    t->name_span = name_span;
    finish_lines(P, t, lines);
    psl_error(P->diags, name_span,
              "Error validating: This block is invalid. It does not start with any known Prisma schema "
              "keyword. Valid keywords include 'model', 'enum', 'type', 'datasource' and 'generator'.");
    return t;
}

psl_top *psl_top_alias(psl_parser *P, const char *keyword, psl_span kw_span, const char *name,
                       psl_span name_span, psl_field_type type, psl_span span)
{
    psl_top *t = psl_top_new(P, PSL_TOP_TYPE_ALIAS, span);
    t->keyword_span = kw_span;
    t->name = name;
    t->name_span = name_span;
    t->alias_type = type;
    t->text = psl_arena_strndup(P->arena, P->src->text + span.start, span.end - span.start);
    if (strcmp(keyword, "type") == 0)
        psl_error(P->diags, kw_span,
                  "Error validating: Invalid type definition. Please check the documentation in "
                  "https://pris.ly/d/composite-types");
    else
        psl_error(P->diags, kw_span,
                  "Error validating: This line is invalid. It does not start with any known Prisma schema "
                  "keyword.");
    return t;
}

psl_top *psl_top_invalid(psl_parser *P, psl_span err, psl_span newline)
{
    psl_span sp = line_span(P, err, newline);
    psl_top *t = psl_top_new(P, PSL_TOP_INVALID, sp);
    t->text = psl_arena_strndup(P->arena, P->src->text + sp.start, sp.end - sp.start);
    psl_error(P->diags, sp,
              "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.");
    return t;
}

void psl_block_unclosed(psl_parser *P, psl_span at)
{
    psl_error(P->diags, at, "Error validating: This block is not closed: a `}` is missing before the end of the file.");
}

void psl_close_garbage(psl_parser *P, psl_span at)
{
    psl_error(P->diags, at,
              "Error validating: This line is invalid. It does not start with any known Prisma schema keyword.");
}

psl_line *psl_line_new(psl_parser *P, psl_line_kind kind, psl_span span)
{
    psl_line *l = psl_arena_alloc(P->arena, sizeof *l);
    l->kind = kind;
    l->span = span;
    return l;
}

psl_line *psl_line_comment(psl_parser *P, const char *text, psl_span span)
{
    psl_line *l = psl_line_new(P, PSL_LINE_COMMENT, span);
    l->text = text;
    return l;
}

static psl_span without_newline(psl_span s, psl_span last_before_newline)
{
    s.end = last_before_newline.end;
    return s;
}

psl_line *psl_line_attribute(psl_parser *P, psl_attribute *attr, const char *trailing, psl_span span)
{
    psl_line *l = psl_line_new(P, PSL_LINE_ATTRIBUTE, span);
    l->span.end = attr->span.end;
    l->attrs = psl_arena_alloc(P->arena, sizeof *l->attrs);
    l->attrs[0] = *attr;
    l->n_attrs = 1;
    l->trailing = trailing;
    return l;
}

psl_line *psl_line_field(psl_parser *P, const char *name, psl_span name_span, bool colon,
                         psl_field_type *type, psl_vec *attrs, const char *trailing, psl_span span)
{
    psl_line *l = psl_line_new(P, PSL_LINE_FIELD, span);
    l->name = name;
    l->name_span = name_span;
    l->legacy_colon = colon;
    l->type = *type;
    l->n_attrs = attrs->len;
    l->attrs = psl_arena_alloc(P->arena, (attrs->len ? attrs->len : 1) * sizeof *l->attrs);
    psl_span last = type->name ? type->span : name_span;
    for (size_t i = 0; i < attrs->len; i++) {
        l->attrs[i] = *(psl_attribute *)attrs->items[i];
        last = l->attrs[i].span;
    }
    l->span = without_newline(span, last);
    l->trailing = trailing;
    return l;
}

psl_line *psl_line_key_value(psl_parser *P, const char *name, psl_span name_span, psl_expr *value,
                             const char *trailing, psl_span span)
{
    psl_line *l = psl_line_new(P, PSL_LINE_KEY_VALUE, span);
    l->name = name;
    l->name_span = name_span;
    l->value = value;
    l->trailing = trailing;
    l->span = without_newline(span, value ? value->span : name_span);
    return l;
}

psl_line *psl_line_invalid(psl_parser *P, psl_span err, psl_span newline)
{
    psl_span sp = line_span(P, err, newline);
    psl_line *l = psl_line_new(P, PSL_LINE_INVALID, sp);
    l->text = psl_arena_strndup(P->arena, P->src->text + sp.start, sp.end - sp.start);
    return l;
}

psl_args psl_args_make(psl_parser *P, psl_vec *args, bool trailing_comma, psl_span span)
{
    psl_args a;
    memset(&a, 0, sizeof a);
    a.present = true;
    a.trailing_comma = trailing_comma;
    a.span = span;
    if (args && args->len) {
        a.len = args->len;
        a.items = psl_arena_alloc(P->arena, args->len * sizeof *a.items);
        for (size_t i = 0; i < args->len; i++)
            a.items[i] = *(psl_arg *)args->items[i];
    }
    return a;
}

psl_expr *psl_expr_new(psl_parser *P, psl_expr_kind kind, const char *text, psl_span span)
{
    psl_expr *e = psl_arena_alloc(P->arena, sizeof *e);
    e->kind = kind;
    e->text = text;
    e->text_len = text ? strlen(text) : 0;
    e->span = span;
    return e;
}

psl_expr *psl_expr_string(psl_parser *P, const char *raw, psl_span span)
{
    psl_expr *e = psl_expr_new(P, PSL_EXPR_STRING, NULL, span);
    e->raw = raw;
    size_t len = 0;
    const char *why = NULL;
    e->text = psl_unescape_string(P->arena, raw, strlen(raw), &len, &why);
    e->text_len = len;
    if (why)
        psl_error(P->diags, span, "%s", why);
    return e;
}

psl_expr *psl_expr_array(psl_parser *P, psl_vec *items, psl_span span)
{
    psl_expr *e = psl_expr_new(P, PSL_EXPR_ARRAY, NULL, span);
    e->len = items->len;
    e->items = psl_arena_alloc(P->arena, (items->len ? items->len : 1) * sizeof *e->items);
    for (size_t i = 0; i < items->len; i++)
        e->items[i] = items->items[i];
    return e;
}

/* ---- entry point ---- */

int psl_yyparse(psl_parser *P);

psl_ast *psl_parse(const psl_source *src, psl_arena *arena, psl_diags *diags)
{
    size_t bad = psl_utf8_invalid_at(src->text, src->len);
    if (bad != (size_t)-1) {
        psl_span sp = { bad, bad + 1, 1, 1, src->file };
        for (size_t i = 0; i < bad; i++) {
            if (src->text[i] == '\n') {
                sp.line++;
                sp.col = 1;
            } else {
                sp.col++;
            }
        }
        psl_error(diags, sp, "The schema is not valid UTF-8: invalid byte 0x%02X at offset %zu.",
                  (unsigned char)src->text[bad], bad);
        return NULL;
    }
    if (src->len > (size_t)0x7fffffff) {
        psl_span sp = { 0, 0, 1, 1, src->file };
        psl_error(diags, sp, "The schema is too large (%zu bytes).", src->len);
        return NULL;
    }

    psl_parser P;
    memset(&P, 0, sizeof P);
    P.src = src;
    P.arena = arena;
    P.diags = diags;
    P.line = P.col = 1;
    P.last_token = 0;

    yyscan_t scanner = NULL;
    psl_ast *ast = NULL;
    if (psl_yylex_init_extra(&P, &scanner) != 0) {
        psl_span sp = { 0, 0, 1, 1, src->file };
        psl_error(diags, sp, "out of memory");
        goto out;
    }
    P.scanner = scanner;
    psl_yy_scan_bytes(src->text, (int)src->len, scanner);
    if (psl_yyparse(&P) != 0 && P.has_fatal)
        psl_error(diags, P.fatal_loc, "%s", P.fatal_msg);

    ast = psl_arena_alloc(arena, sizeof *ast);
    ast->n_tops = P.tops.len;
    ast->tops = psl_arena_alloc(arena, (P.tops.len ? P.tops.len : 1) * sizeof *ast->tops);
    for (size_t i = 0; i < P.tops.len; i++)
        ast->tops[i] = *(psl_top *)P.tops.items[i];

    /* Block documentation: the doc comments right above a block. */
    for (size_t i = 0; i < ast->n_tops; i++) {
        psl_top *t = &ast->tops[i];
        if (t->kind == PSL_TOP_COMMENT || t->kind == PSL_TOP_EMPTY || t->kind == PSL_TOP_INVALID)
            continue;
        size_t j = i;
        while (j > 0 && ast->tops[j - 1].kind == PSL_TOP_COMMENT)
            j--;
        char *doc = NULL;
        for (size_t k = j; k < i; k++)
            if (is_doc_comment(ast->tops[k].text))
                append_doc(arena, &doc, ast->tops[k].text);
        t->doc = doc;
    }
out:
    if (scanner)
        psl_yylex_destroy(scanner);
    return ast;
}
