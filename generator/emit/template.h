/* A small template engine for the code emitters.
 *
 * The emitter builds a tree of values (text, booleans, lists, maps) from the
 * checked schema; a template turns it into text. Syntax:
 *
 *   {{name}}                 the text value `name`
 *   {{#each list}}...{{/each}}  the body once per item of `list` (a list of
 *                            maps); inside, the item's keys are in scope, and
 *                            @index (0-based), @number (1-based), @first and
 *                            @last describe the position
 *   {{#if name}}...{{else}}...{{/if}}  the first part when `name` is true: a
 *                            true boolean, non-empty text or a non-empty list
 *   {{#unless name}}...{{else}}...{{/unless}}  the same, reversed
 *   {{! comment }}           nothing
 *
 * Blocks nest. A name is looked up in the innermost map first, then outwards
 * (so a field's template can use its model's keys). A line that holds only a
 * block tag or a comment (and blanks) produces no output at all, so templates
 * can put tags on lines of their own. A multi-line value substituted after
 * nothing but blanks on its line is indented by those blanks on every line.
 * There is no escaping: `{{` always opens a tag.
 *
 * Errors (unknown name, a list used as text, an unclosed block...) are
 * reported as "TEMPLATE:LINE: message". */
#ifndef PRISMAC_TEMPLATE_H
#define PRISMAC_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

/* ---- values ---- */

typedef enum tmpl_kind { TMPL_TEXT, TMPL_BOOL, TMPL_LIST, TMPL_MAP } tmpl_kind;

typedef struct tmpl_value tmpl_value;

/* Values live in the arena the caller passes; nothing is freed one by one. */
tmpl_value *tmpl_new_map(psl_arena *a);
tmpl_value *tmpl_new_list(psl_arena *a);
/* Sets `key` of `map` (replacing an earlier value); the strings are not copied. */
void tmpl_set(psl_arena *a, tmpl_value *map, const char *key, tmpl_value *value);
void tmpl_set_text(psl_arena *a, tmpl_value *map, const char *key, const char *text);
void tmpl_set_textf(psl_arena *a, tmpl_value *map, const char *key, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
void tmpl_set_bool(psl_arena *a, tmpl_value *map, const char *key, bool b);
/* A new list stored under `key`. */
tmpl_value *tmpl_set_list(psl_arena *a, tmpl_value *map, const char *key);
/* Appends an item (any value, usually a map) to a list. */
void tmpl_push(psl_arena *a, tmpl_value *list, tmpl_value *item);
/* Appends a new map to a list and returns it. */
tmpl_value *tmpl_push_map(psl_arena *a, tmpl_value *list);
size_t tmpl_list_len(const tmpl_value *list);

/* ---- templates ---- */

typedef struct tmpl tmpl;

/* An error message: "NAME:LINE: message". */
typedef struct tmpl_error {
    char message[512];
} tmpl_error;

/* Parses a template; `name` is used in error messages and copied. Returns
 * NULL and fills *err on a syntax error (or when out of memory). */
tmpl *tmpl_parse(const char *name, const char *text, size_t len, tmpl_error *err);
void tmpl_free(tmpl *t); /* accepts NULL */

/* Renders `t` with `root` (a map) into a malloc'd, NUL-terminated buffer.
 * Returns 0, or -1 with *err filled (and *out NULL). */
int tmpl_render(const tmpl *t, const tmpl_value *root, char **out, size_t *out_len, tmpl_error *err);

#endif
