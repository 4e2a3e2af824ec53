/* The template engine: parse once into a tree of nodes, render against a
 * tree of values. See template.h for the syntax. */
#include "template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- values ---- */

typedef struct tmpl_entry {
    const char *key;
    uint32_t hash;
    tmpl_value *value;
} tmpl_entry;

/* A map is a hash table (open addressing, at most half full); a list a vector. */
struct tmpl_value {
    tmpl_kind kind;
    const char *text;    /* TEXT */
    bool b;              /* BOOL */
    psl_vec items;       /* LIST: tmpl_value * */
    tmpl_entry **slots;  /* MAP */
    size_t cap, len;     /* MAP */
};

/* Names are compared by hash first: rendering looks names up a great many
 * times, through several scopes, in maps of a few dozen keys. */
static uint32_t hash_name(const char *s, size_t n)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static tmpl_value *new_value(psl_arena *a, tmpl_kind kind)
{
    tmpl_value *v = psl_arena_alloc(a, sizeof *v);
    v->kind = kind;
    return v;
}

tmpl_value *tmpl_new_map(psl_arena *a)
{
    return new_value(a, TMPL_MAP);
}

tmpl_value *tmpl_new_list(psl_arena *a)
{
    return new_value(a, TMPL_LIST);
}

static tmpl_entry **map_slot(const tmpl_value *map, const char *key, size_t key_len, uint32_t h)
{
    for (size_t i = h & (map->cap - 1);; i = (i + 1) & (map->cap - 1)) {
        tmpl_entry *e = map->slots[i];
        if (!e || (e->hash == h && strncmp(e->key, key, key_len) == 0 && e->key[key_len] == '\0'))
            return &map->slots[i];
    }
}

void tmpl_set(psl_arena *a, tmpl_value *map, const char *key, tmpl_value *value)
{
    if ((map->len + 1) * 2 > map->cap) {
        size_t cap = map->cap ? map->cap * 2 : 64;
        tmpl_value grown = { .slots = psl_arena_alloc(a, cap * sizeof *grown.slots), .cap = cap };
        for (size_t i = 0; i < map->cap; i++)
            if (map->slots[i])
                *map_slot(&grown, map->slots[i]->key, strlen(map->slots[i]->key), map->slots[i]->hash) =
                    map->slots[i];
        map->slots = grown.slots;
        map->cap = cap;
    }
    size_t n = strlen(key);
    uint32_t h = hash_name(key, n);
    tmpl_entry **slot = map_slot(map, key, n, h);
    if (*slot) {
        (*slot)->value = value;
        return;
    }
    tmpl_entry *e = psl_arena_alloc(a, sizeof *e);
    e->key = key;
    e->hash = h;
    e->value = value;
    *slot = e;
    map->len++;
}

void tmpl_set_text(psl_arena *a, tmpl_value *map, const char *key, const char *text)
{
    tmpl_value *v = new_value(a, TMPL_TEXT);
    v->text = text ? text : "";
    tmpl_set(a, map, key, v);
}

void tmpl_set_textf(psl_arena *a, tmpl_value *map, const char *key, const char *fmt, ...)
{
    char small[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *s = psl_arena_alloc(a, (size_t)n + 1);
    if ((size_t)n < sizeof small) {
        memcpy(s, small, (size_t)n + 1);
    } else {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    tmpl_set_text(a, map, key, s);
}

void tmpl_set_bool(psl_arena *a, tmpl_value *map, const char *key, bool b)
{
    tmpl_value *v = new_value(a, TMPL_BOOL);
    v->b = b;
    tmpl_set(a, map, key, v);
}

tmpl_value *tmpl_set_list(psl_arena *a, tmpl_value *map, const char *key)
{
    tmpl_value *l = tmpl_new_list(a);
    tmpl_set(a, map, key, l);
    return l;
}

void tmpl_push(psl_arena *a, tmpl_value *list, tmpl_value *item)
{
    psl_vec_push(a, &list->items, item);
}

tmpl_value *tmpl_push_map(psl_arena *a, tmpl_value *list)
{
    tmpl_value *m = tmpl_new_map(a);
    tmpl_push(a, list, m);
    return m;
}

size_t tmpl_list_len(const tmpl_value *list)
{
    return list->items.len;
}

/* ---- parsing ---- */

typedef enum node_kind { N_TEXT, N_VAR, N_EACH, N_IF } node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    const char *text; /* TEXT: points into the template's copy; VAR/EACH/IF: the name */
    size_t len;
    uint32_t hash;
    unsigned line;
    bool negate;            /* IF: #unless */
    node *body, *else_body; /* EACH, IF */
    node *next;
};

struct tmpl {
    psl_arena arena;
    const char *name;
    node *root;
};

typedef enum tag_kind {
    TAG_VAR,
    TAG_EACH,
    TAG_IF,
    TAG_UNLESS,
    TAG_ELSE,
    TAG_END_EACH,
    TAG_END_IF,
    TAG_END_UNLESS,
    TAG_COMMENT
} tag_kind;

typedef struct parser {
    tmpl *t;
    const char *src;
    size_t len, pos;
    unsigned line; /* of src[pos] */
    tmpl_error *err;
    bool failed;
} parser;

static void perr(parser *P, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void perr(parser *P, unsigned line, const char *fmt, ...)
{
    if (P->failed)
        return;
    P->failed = true;
    int n = snprintf(P->err->message, sizeof P->err->message, "%s:%u: ", P->t->name, line);
    if (n < 0 || (size_t)n >= sizeof P->err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(P->err->message + n, sizeof P->err->message - (size_t)n, fmt, ap);
    va_end(ap);
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Advances to `to`, counting lines. */
static void advance(parser *P, size_t to)
{
    for (; P->pos < to; P->pos++)
        if (P->src[P->pos] == '\n')
            P->line++;
}

static node *new_node(parser *P, node_kind kind, unsigned line)
{
    node *n = psl_arena_alloc(&P->t->arena, sizeof *n);
    n->kind = kind;
    n->line = line;
    return n;
}

/* One parsed tag. */
typedef struct tag {
    tag_kind kind;
    const char *name;
    size_t name_len;
    unsigned line;
} tag;

static const char *tag_word(tag_kind k)
{
    switch (k) {
    case TAG_EACH: return "{{#each}}";
    case TAG_IF: return "{{#if}}";
    case TAG_UNLESS: return "{{#unless}}";
    case TAG_END_UNLESS: return "{{/unless}}";
    case TAG_ELSE: return "{{else}}";
    case TAG_END_EACH: return "{{/each}}";
    case TAG_END_IF: return "{{/if}}";
    case TAG_VAR:
    case TAG_COMMENT: break;
    }
    return "tag";
}

/* Reads the tag whose "{{" is at `open`, with its "}}" at `close`. */
static bool read_tag(parser *P, size_t open, size_t close, unsigned line, tag *tg)
{
    const char *s = P->src + open + 2, *e = P->src + close;
    while (s < e && is_blank(*s))
        s++;
    while (e > s && is_blank(e[-1]))
        e--;
    memset(tg, 0, sizeof *tg);
    tg->line = line;
    if (s < e && *s == '!') {
        tg->kind = TAG_COMMENT;
        return true;
    }
    const char *word_end = s;
    while (word_end < e && !is_blank(*word_end))
        word_end++;
    size_t wl = (size_t)(word_end - s);
    const char *arg = word_end;
    while (arg < e && is_blank(*arg))
        arg++;
    bool has_arg = arg < e;
    if (wl == 5 && memcmp(s, "#each", 5) == 0)
        tg->kind = TAG_EACH;
    else if (wl == 3 && memcmp(s, "#if", 3) == 0)
        tg->kind = TAG_IF;
    else if (wl == 7 && memcmp(s, "#unless", 7) == 0)
        tg->kind = TAG_UNLESS;
    else if (wl == 7 && memcmp(s, "/unless", 7) == 0)
        tg->kind = TAG_END_UNLESS;
    else if (wl == 4 && memcmp(s, "else", 4) == 0)
        tg->kind = TAG_ELSE;
    else if (wl == 5 && memcmp(s, "/each", 5) == 0)
        tg->kind = TAG_END_EACH;
    else if (wl == 3 && memcmp(s, "/if", 3) == 0)
        tg->kind = TAG_END_IF;
    else if (wl > 0 && (*s == '#' || *s == '/')) {
        perr(P, tg->line, "unknown block '{{%.*s}}' (blocks are #each, #if and #unless)", (int)wl, s);
        return false;
    } else {
        tg->kind = TAG_VAR;
        arg = s;
        has_arg = s < e;
        if (word_end != e) {
            perr(P, tg->line, "unexpected text in '{{%.*s}}'", (int)(e - s), s);
            return false;
        }
    }
    bool wants_arg = tg->kind == TAG_VAR || tg->kind == TAG_EACH || tg->kind == TAG_IF || tg->kind == TAG_UNLESS;
    if (wants_arg && !has_arg) {
        perr(P, tg->line, "%s needs a name", tg->kind == TAG_VAR ? "'{{}}'" : tag_word(tg->kind));
        return false;
    }
    if (!wants_arg && has_arg) {
        perr(P, tg->line, "%s takes no name", tag_word(tg->kind));
        return false;
    }
    if (!wants_arg)
        return true;
    const char *n = arg;
    if (*n == '@')
        n++;
    if (n == e) {
        perr(P, tg->line, "empty name in a tag");
        return false;
    }
    for (const char *p = n; p < e; p++)
        if (!is_name_char(*p)) {
            perr(P, tg->line, "invalid name '%.*s'", (int)(e - arg), arg);
            return false;
        }
    tg->name = arg;
    tg->name_len = (size_t)(e - arg);
    return true;
}

/* Parses nodes up to a tag that ends the current block (returned in *end,
 * TAG_VAR meaning the end of the text). Returns the first node. */
static node *parse_nodes(parser *P, tag *end)
{
    node *first = NULL, **tail = &first;
    end->kind = TAG_VAR;
    while (P->pos < P->len && !P->failed) {
        const char *open_p = strstr(P->src + P->pos, "{{");
        size_t open = open_p ? (size_t)(open_p - P->src) : P->len;
        if (open >= P->len) {
            node *n = new_node(P, N_TEXT, P->line);
            n->text = P->src + P->pos;
            n->len = P->len - P->pos;
            *tail = n;
            advance(P, P->len);
            break;
        }
        const char *close_p = strstr(P->src + open + 2, "}}");
        if (!close_p) {
            advance(P, open);
            perr(P, P->line, "unterminated tag: '{{' without '}}'");
            break;
        }
        size_t close = (size_t)(close_p - P->src);
        size_t bang = open + 2;
        while (bang < close && is_blank(P->src[bang]))
            bang++;
        bool comment = bang < close && P->src[bang] == '!';
        if (!comment && memchr(P->src + open, '\n', close - open)) {
            advance(P, open);
            perr(P, P->line, "a tag must not span lines");
            break;
        }
        unsigned tag_line = P->line;
        for (size_t i = P->pos; i < open; i++)
            if (P->src[i] == '\n')
                tag_line++;
        tag tg;
        if (!read_tag(P, open, close, tag_line, &tg))
            break;
        /* A block tag or a comment alone on its line vanishes with its line. */
        size_t text_end = open, resume = close + 2;
        if (tg.kind != TAG_VAR) {
            size_t ls = open;
            while (ls > 0 && P->src[ls - 1] != '\n')
                ls--;
            bool before = true;
            for (size_t i = ls; i < open; i++)
                if (!is_blank(P->src[i]))
                    before = false;
            size_t after = close + 2;
            while (after < P->len && is_blank(P->src[after]))
                after++;
            if (before && ls >= P->pos && (after == P->len || P->src[after] == '\n')) {
                text_end = ls;
                resume = after < P->len ? after + 1 : after;
            }
        }
        if (text_end > P->pos) {
            node *n = new_node(P, N_TEXT, P->line);
            n->text = P->src + P->pos;
            n->len = text_end - P->pos;
            *tail = n;
            tail = &n->next;
        }
        advance(P, resume);
        switch (tg.kind) {
        case TAG_COMMENT:
            break;
        case TAG_VAR: {
            node *n = new_node(P, N_VAR, tg.line);
            n->text = psl_arena_strndup(&P->t->arena, tg.name, tg.name_len);
            n->len = tg.name_len;
            n->hash = hash_name(tg.name, tg.name_len);
            *tail = n;
            tail = &n->next;
            break;
        }
        case TAG_EACH:
        case TAG_IF:
        case TAG_UNLESS: {
            node *n = new_node(P, tg.kind == TAG_EACH ? N_EACH : N_IF, tg.line);
            n->negate = tg.kind == TAG_UNLESS;
            n->text = psl_arena_strndup(&P->t->arena, tg.name, tg.name_len);
            n->len = tg.name_len;
            n->hash = hash_name(tg.name, tg.name_len);
            *tail = n;
            tail = &n->next;
            const char *what = tg.kind == TAG_EACH ? "#each" : tg.kind == TAG_IF ? "#if" : "#unless";
            tag inner;
            n->body = parse_nodes(P, &inner);
            if (P->failed)
                break;
            if (inner.kind == TAG_ELSE) {
                if (tg.kind == TAG_EACH) {
                    perr(P, inner.line, "'{{else}}' inside '{{#each %s}}': only #if and #unless have one", n->text);
                    break;
                }
                n->else_body = parse_nodes(P, &inner);
                if (P->failed)
                    break;
                if (inner.kind == TAG_ELSE) {
                    perr(P, inner.line, "a second '{{else}}' in '{{%s %s}}' (opened at line %u)", what, n->text,
                         n->line);
                    break;
                }
            }
            tag_kind want = tg.kind == TAG_EACH ? TAG_END_EACH : tg.kind == TAG_IF ? TAG_END_IF : TAG_END_UNLESS;
            if (inner.kind == TAG_VAR)
                perr(P, n->line, "unclosed '{{%s %s}}'", what, n->text);
            else if (inner.kind != want)
                perr(P, inner.line, "%s closes '{{%s %s}}' (opened at line %u)", tag_word(inner.kind), what,
                     n->text, n->line);
            break;
        }
        case TAG_ELSE:
        case TAG_END_EACH:
        case TAG_END_IF:
        case TAG_END_UNLESS:
            *end = tg;
            return first;
        }
    }
    return first;
}

tmpl *tmpl_parse(const char *name, const char *text, size_t len, tmpl_error *err)
{
    tmpl *t = calloc(1, sizeof *t);
    if (!t) {
        snprintf(err->message, sizeof err->message, "%s: out of memory", name);
        return NULL;
    }
    psl_arena_init(&t->arena);
    t->name = psl_arena_strdup(&t->arena, name);
    /* A NUL-terminated copy lets the scanner use strstr. */
    char *copy = psl_arena_strndup(&t->arena, text, len);
    parser P = { .t = t, .src = copy, .len = strlen(copy), .line = 1, .err = err };
    if (P.len != len) {
        perr(&P, 1, "the template holds a NUL byte");
        tmpl_free(t);
        return NULL;
    }
    tag end;
    t->root = parse_nodes(&P, &end);
    if (!P.failed && end.kind != TAG_VAR)
        perr(&P, end.line, "%s without an open block", tag_word(end.kind));
    if (P.failed) {
        tmpl_free(t);
        return NULL;
    }
    return t;
}

void tmpl_free(tmpl *t)
{
    if (!t)
        return;
    psl_arena_release(&t->arena);
    free(t);
}

/* ---- rendering ---- */

typedef struct out_buf {
    char *data;
    size_t len, cap;
    bool oom;
} out_buf;

static void put(out_buf *b, const char *s, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->cap - b->len < n + 1) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->len < n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d) {
            b->oom = true;
            return;
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* A scope: a map, and the loop position when it is an #each item. */
typedef struct scope scope;
struct scope {
    const tmpl_value *map;
    const scope *outer;
    bool in_loop;
    size_t index, count;
};

typedef struct renderer {
    const tmpl *t;
    out_buf out;
    tmpl_error *err;
    bool failed;
    psl_arena scratch; /* the @index texts */
} renderer;

static void rerr(renderer *R, unsigned line, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static void rerr(renderer *R, unsigned line, const char *fmt, ...)
{
    if (R->failed)
        return;
    R->failed = true;
    int n = snprintf(R->err->message, sizeof R->err->message, "%s:%u: ", R->t->name, line);
    if (n < 0 || (size_t)n >= sizeof R->err->message)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(R->err->message + n, sizeof R->err->message - (size_t)n, fmt, ap);
    va_end(ap);
}

static const tmpl_value *map_get(const tmpl_value *map, const node *n)
{
    if (!map->cap)
        return NULL;
    tmpl_entry *e = *map_slot(map, n->text, n->len, n->hash);
    return e ? e->value : NULL;
}

/* The loop variables: backed by static values, or by text in the scratch arena. */
static const tmpl_value bool_true = { .kind = TMPL_BOOL, .b = true };
static const tmpl_value bool_false = { .kind = TMPL_BOOL, .b = false };

static const tmpl_value *lookup(renderer *R, const scope *sc, const node *n)
{
    if (n->text[0] != '@') {
        for (; sc; sc = sc->outer) {
            const tmpl_value *v = map_get(sc->map, n);
            if (v)
                return v;
        }
        rerr(R, n->line, "unknown name '%s'", n->text);
        return NULL;
    }
    while (sc && !sc->in_loop)
        sc = sc->outer;
    if (!sc) {
        rerr(R, n->line, "'%s' outside {{#each}}", n->text);
        return NULL;
    }
    if (strcmp(n->text, "@first") == 0)
        return sc->index == 0 ? &bool_true : &bool_false;
    if (strcmp(n->text, "@last") == 0)
        return sc->index + 1 == sc->count ? &bool_true : &bool_false;
    bool number = strcmp(n->text, "@number") == 0;
    if (number || strcmp(n->text, "@index") == 0) {
        tmpl_value *v = new_value(&R->scratch, TMPL_TEXT);
        v->text = psl_arena_printf(&R->scratch, "%zu", sc->index + (number ? 1 : 0));
        return v;
    }
    rerr(R, n->line, "unknown loop variable '%s' (there are @index, @number, @first and @last)", n->text);
    return NULL;
}

/* Writes a text value; continuation lines get the indentation of the line the
 * value starts on when only blanks precede it there. */
static void put_value(renderer *R, const char *s)
{
    out_buf *b = &R->out;
    if (!strchr(s, '\n')) {
        put(b, s, strlen(s));
        return;
    }
    size_t ls = b->len;
    while (ls > 0 && b->data[ls - 1] != '\n')
        ls--;
    size_t indent = b->len - ls;
    for (size_t i = ls; i < b->len; i++)
        if (!is_blank(b->data[i]))
            indent = 0;
    char *ind = NULL;
    if (indent) {
        ind = malloc(indent);
        if (!ind) {
            b->oom = true;
            return;
        }
        memcpy(ind, b->data + ls, indent);
    }
    for (const char *p = s; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        if (p != s && *p != '\n')
            put(b, ind, indent);
        put(b, p, n);
        p += n;
    }
    free(ind);
}

static bool truthy(const tmpl_value *v)
{
    switch (v->kind) {
    case TMPL_TEXT: return v->text[0] != '\0';
    case TMPL_BOOL: return v->b;
    case TMPL_LIST: return v->items.len > 0;
    case TMPL_MAP: return true;
    }
    return false;
}

static void render_nodes(renderer *R, const node *n, const scope *sc)
{
    for (; n && !R->failed; n = n->next) {
        switch (n->kind) {
        case N_TEXT:
            put(&R->out, n->text, n->len);
            break;
        case N_VAR: {
            const tmpl_value *v = lookup(R, sc, n);
            if (!v)
                return;
            if (v->kind != TMPL_TEXT) {
                rerr(R, n->line, "'%s' is a %s, not text", n->text,
                     v->kind == TMPL_LIST ? "list" : v->kind == TMPL_MAP ? "map" : "boolean");
                return;
            }
            put_value(R, v->text);
            break;
        }
        case N_IF: {
            const tmpl_value *v = lookup(R, sc, n);
            if (!v)
                return;
            render_nodes(R, truthy(v) != n->negate ? n->body : n->else_body, sc);
            break;
        }
        case N_EACH: {
            const tmpl_value *v = lookup(R, sc, n);
            if (!v)
                return;
            if (v->kind != TMPL_LIST) {
                rerr(R, n->line, "'%s' is not a list", n->text);
                return;
            }
            for (size_t i = 0; i < v->items.len && !R->failed; i++) {
                const tmpl_value *item = v->items.items[i];
                if (item->kind != TMPL_MAP) {
                    rerr(R, n->line, "the items of '%s' are not maps", n->text);
                    return;
                }
                scope inner = { .map = item, .outer = sc, .in_loop = true, .index = i, .count = v->items.len };
                render_nodes(R, n->body, &inner);
            }
            break;
        }
        }
    }
}

int tmpl_render(const tmpl *t, const tmpl_value *root, char **out, size_t *out_len, tmpl_error *err)
{
    *out = NULL;
    *out_len = 0;
    renderer R = { .t = t, .err = err };
    psl_arena_init(&R.scratch);
    scope top = { .map = root };
    put(&R.out, "", 0);
    render_nodes(&R, t->root, &top);
    if (!R.failed && R.out.oom)
        rerr(&R, 1, "out of memory");
    psl_arena_release(&R.scratch);
    if (R.failed) {
        free(R.out.data);
        return -1;
    }
    if (!R.out.data) {
        R.out.data = calloc(1, 1);
        if (!R.out.data) {
            snprintf(err->message, sizeof err->message, "%s: out of memory", t->name);
            return -1;
        }
    }
    *out = R.out.data;
    *out_len = R.out.len;
    return 0;
}
