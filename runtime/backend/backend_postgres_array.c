/* PostgreSQL arrays in their text form: "{item,item}" where an item is
 * bare, or quoted with \" and \\ escaped, and a bare NULL is a NULL item
 * (the array input and output syntax of the PostgreSQL manual, 8.15.6). */
#include "backend_postgres_array.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- writing (a list bound as one parameter) ---- */

static size_t item_cap(const prisma_value *v)
{
    switch (v->kind) {
    case V_TEXT: return 2 * v->len + 2;  /* every byte escaped, and the quotes */
    case V_BLOB: return 2 * v->len + 5;  /* "\\x" + hex, quoted */
    default: return 40;                   /* numbers, booleans, quoted DateTimes */
    }
}

size_t pg_array_text_cap(const prisma_value *v)
{
    size_t cap = 3; /* {} and the NUL */
    for (size_t k = 0; k < v->len; k++)
        cap += item_cap(&v->items[k]) + 1;
    return cap;
}

static char *put_quoted(char *o, const char *s, size_t len)
{
    *o++ = '"';
    for (size_t k = 0; k < len; k++) {
        if (s[k] == '"' || s[k] == '\\')
            *o++ = '\\';
        *o++ = s[k];
    }
    *o++ = '"';
    return o;
}

size_t pg_array_text(const prisma_value *v, char *out)
{
    static const char hex[] = "0123456789abcdef";
    char *o = out;
    *o++ = '{';
    for (size_t k = 0; k < v->len; k++) {
        const prisma_value *it = &v->items[k];
        if (k)
            *o++ = ',';
        switch (it->kind) {
        case V_TEXT: o = put_quoted(o, it->s, it->len); break;
        case V_INT: o += sprintf(o, "%lld", (long long)it->i); break;
        case V_DOUBLE: o += sprintf(o, "%.17g", it->d); break;
        case V_BOOL: *o++ = it->i ? 't' : 'f'; break;
        case V_DATETIME: {
            char buf[32];
            dt_format(it->i, buf, false); /* may end in " BC": quoted */
            o = put_quoted(o, buf, strlen(buf));
            break;
        }
        case V_BLOB: {
            /* bytea's text input "\x0102", its backslash escaped for the array. */
            const unsigned char *b = (const unsigned char *)it->s;
            memcpy(o, "\"\\\\x", 4);
            o += 4;
            for (size_t i = 0; i < it->len; i++) {
                *o++ = hex[b[i] >> 4];
                *o++ = hex[b[i] & 15];
            }
            *o++ = '"';
            break;
        }
        default: /* no NULL or nested items reach here */
            memcpy(o, "NULL", 4);
            o += 4;
            break;
        }
    }
    *o++ = '}';
    *o = '\0';
    return (size_t)(o - out);
}

/* ---- reading (an array column) ---- */

static int hex_digit(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* One item's text (unescaped, NUL-terminated at s[len]) as a value of `type`. */
static int item_value(char *s, size_t len, int type, prisma_value *v)
{
    char *end;
    switch (type) {
    case PRISMA_TYPE_INT:
    case PRISMA_TYPE_BIGINT: {
        errno = 0;
        long long x = strtoll(s, &end, 10);
        if (!len || end != s + len || errno)
            return -1;
        *v = (prisma_value){ .kind = V_INT, .i = x };
        return 0;
    }
    case PRISMA_TYPE_FLOAT: {
        double d = strtod(s, &end); /* NaN, Infinity and -Infinity included */
        if (!len || end != s + len)
            return -1;
        *v = (prisma_value){ .kind = V_DOUBLE, .d = d };
        return 0;
    }
    case PRISMA_TYPE_BOOLEAN:
        if (len == 1 && (s[0] == 't' || s[0] == 'f')) {
            *v = (prisma_value){ .kind = V_BOOL, .i = s[0] == 't' };
            return 0;
        }
        return -1;
    case PRISMA_TYPE_DATETIME: {
        int64_t ms;
        if (dt_parse(s, len, &ms) != 0)
            return -1;
        *v = (prisma_value){ .kind = V_DATETIME, .i = ms };
        return 0;
    }
    case PRISMA_TYPE_BYTES: {
        /* "\x0102": decoded in place (the bytes are shorter than their text). */
        if (len < 2 || s[0] != '\\' || s[1] != 'x' || len % 2)
            return -1;
        size_t n = (len - 2) / 2;
        for (size_t k = 0; k < n; k++) {
            int hi = hex_digit(s[2 + 2 * k]), lo = hex_digit(s[3 + 2 * k]);
            if (hi < 0 || lo < 0)
                return -1;
            s[k] = (char)(hi << 4 | lo);
        }
        *v = (prisma_value){ .kind = V_BLOB, .s = s, .len = n };
        return 0;
    }
    default: /* String, Decimal, Json, enums: the text */
        *v = (prisma_value){ .kind = V_TEXT, .s = s, .len = len };
        return 0;
    }
}

/* Room for `items` values and `text` bytes. */
static bool reserve(pg_array_buf *b, size_t items, size_t text)
{
    if (items > b->items_cap) {
        prisma_value *n = realloc(b->items, items * sizeof *n);
        if (!n)
            return false;
        b->items = n;
        b->items_cap = items;
    }
    if (text > b->text_cap) {
        char *n = realloc(b->text, text);
        if (!n)
            return false;
        b->text = n;
        b->text_cap = text;
    }
    return true;
}

int pg_array_parse(pg_array_buf *b, const char *text, size_t len, int type, const prisma_value **items, size_t *n)
{
    const char *p = text, *end = text + len;
    *n = 0;
    *items = NULL;
    if (p < end && *p == '[') { /* "[0:1]={...}": bounds other than 1 */
        const char *eq = memchr(p, '=', len);
        if (!eq)
            return -1;
        p = eq + 1;
    }
    if (p >= end || *p != '{')
        return -1;
    p++;
    size_t max_items = 1;
    for (const char *q = p; q < end; q++)
        max_items += *q == ',';
    if (!reserve(b, max_items, len + max_items + 1))
        return -2;
    *items = b->items;
    if (p < end && *p == '}')
        return p + 1 == end ? 0 : -1;
    char *o = b->text;
    for (;;) {
        if (p >= end || *p == '{' || *n == max_items)
            return -1; /* cut short, or an array of arrays */
        char *start = o;
        bool quoted = *p == '"';
        if (quoted) {
            p++;
            while (p < end && *p != '"') {
                if (*p == '\\' && ++p == end)
                    return -1;
                *o++ = *p++;
            }
            if (p++ >= end)
                return -1;
        } else {
            while (p < end && *p != ',' && *p != '}') {
                if (*p == '\\' && ++p == end)
                    return -1;
                *o++ = *p++;
            }
        }
        size_t ilen = (size_t)(o - start);
        *o++ = '\0';
        prisma_value *v = &b->items[(*n)++];
        if (!quoted && ilen == 4 && strncasecmp(start, "NULL", 4) == 0)
            *v = (prisma_value){ .kind = V_NULL };
        else if (item_value(start, ilen, type, v) != 0)
            return -1;
        if (p >= end)
            return -1;
        if (*p++ == '}')
            break;
        if (p[-1] != ',')
            return -1;
    }
    return p == end ? 0 : -1;
}

void pg_array_buf_free(pg_array_buf *b)
{
    if (!b)
        return;
    free(b->items);
    free(b->text);
    b->items = NULL;
    b->text = NULL;
    b->items_cap = b->text_cap = 0;
}
