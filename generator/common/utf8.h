/* UTF-8 validation and PSL (JSON) string unescaping. */
#ifndef PRISMAC_UTF8_H
#define PRISMAC_UTF8_H

#include <stddef.h>

#include "arena.h"

/* Offset of the first byte that is not part of a valid UTF-8 sequence
 * (overlong forms and surrogates are invalid), or (size_t)-1. */
size_t psl_utf8_invalid_at(const char *s, size_t len);

/* Decodes a string literal `raw` (quotes included) as a JSON string. The result
 * is NUL-terminated and its length stored in *out_len (it may hold NULs from
 * \u0000). On a bad escape *why is set to Prisma's message and decoding goes on. */
char *psl_unescape_string(psl_arena *a, const char *raw, size_t raw_len, size_t *out_len, const char **why);

#endif
