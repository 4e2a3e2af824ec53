/* Text for the generated code: a string buffer in the arena, C string
 * literals, comments and declarations. */
#include "emit_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void emit_putn(emit_buf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        while (cap - b->len < n + 1)
            cap *= 2;
        char *ns = psl_arena_alloc(b->a, cap);
        if (b->len)
            memcpy(ns, b->s, b->len);
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void emit_put(emit_buf *b, const char *s)
{
    emit_putn(b, s, strlen(s));
}

void emit_printf(emit_buf *b, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        emit_putn(b, tmp, (size_t)n);
        return;
    }
    char *big = psl_arena_alloc(b->a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    emit_putn(b, big, (size_t)n);
}

const char *emit_str(emit_buf *b)
{
    return b->s ? b->s : "";
}

/* A C string literal, or "NULL". Octal escapes (always three digits, so a
 * following digit cannot join them) keep the output ASCII; a '?' after a '?'
 * is escaped so no trigraph forms under -std=c11. */
const char *emit_c_lit(psl_arena *a, const char *s)
{
    if (!s)
        return "NULL";
    emit_buf b = { .a = a };
    emit_put(&b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            emit_printf(&b, "\\%c", *p);
        else if (*p == '\n')
            emit_put(&b, "\\n");
        else if (*p == '\t')
            emit_put(&b, "\\t");
        else if (*p == '?' && p > (const unsigned char *)s && p[-1] == '?')
            emit_put(&b, "\\?");
        else if (*p < 0x20 || *p >= 0x7f)
            emit_printf(&b, "\\%03o", *p);
        else
            emit_putn(&b, (const char *)p, 1);
    }
    emit_put(&b, "\"");
    return emit_str(&b);
}

/* Text made safe inside a C comment: no comment delimiters, no "??" that
 * could become a trigraph (a space goes between the two characters). */
void emit_comment_text(emit_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c == '*' && i + 1 < n && s[i + 1] == '/') || (c == '/' && i + 1 < n && s[i + 1] == '*') ||
            (c == '?' && i + 1 < n && s[i + 1] == '?')) {
            emit_putn(b, &c, 1);
            emit_put(b, " ");
        } else if (c == '\t' || c == '\r') {
            emit_put(b, " ");
        } else {
            emit_putn(b, &c, 1);
        }
    }
}

static size_t trimmed_len(const char *s, size_t n)
{
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    return n;
}

/* A doc comment: on one line, or with a " * " line per line of the
 * documentation. "" when there is none. */
const char *emit_doc_comment(psl_arena *a, const char *doc)
{
    if (!doc || !*doc)
        return "";
    emit_buf b = { .a = a };
    emit_put(&b, "/*");
    for (const char *p = doc;;) {
        const char *nl = strchr(p, '\n');
        size_t n = trimmed_len(p, nl ? (size_t)(nl - p) : strlen(p));
        if (p != doc)
            emit_put(&b, "\n *");
        if (n) {
            emit_put(&b, " ");
            emit_comment_text(&b, p, n);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    emit_put(&b, " */");
    return emit_str(&b);
}

/* A one-line note for a trailing comment. */
const char *emit_note_text(psl_arena *a, const char *s)
{
    char *flat = psl_arena_strdup(a, s);
    for (char *p = flat; *p; p++)
        if (*p == '\n')
            *p = ' ';
    emit_buf b = { .a = a };
    emit_comment_text(&b, flat, strlen(flat));
    return emit_str(&b);
}

/* s1 s2 s3 concatenated, in the arena (hot: no printf). */
const char *emit_cat3(psl_arena *a, const char *s1, const char *s2, const char *s3)
{
    size_t n1 = strlen(s1), n2 = strlen(s2), n3 = strlen(s3);
    char *r = psl_arena_alloc(a, n1 + n2 + n3 + 1);
    memcpy(r, s1, n1);
    memcpy(r + n1, s2, n2);
    memcpy(r + n1 + n2, s3, n3);
    r[n1 + n2 + n3] = '\0';
    return r;
}

/* A declaration: "char *name", "int32_t name". */
const char *emit_decl(psl_arena *a, const char *type, const char *name)
{
    size_t n = strlen(type);
    return emit_cat3(a, type, n && type[n - 1] == '*' ? "" : " ", name);
}
