/* Syntax tree constructors called from the grammar's actions (parse.c). */
#ifndef PRISMAC_PARSE_BUILD_H
#define PRISMAC_PARSE_BUILD_H

#include "parse_ctx.h"
#include "parser.h"

#include <string.h>

int psl_yylex_scan(PSL_YYSTYPE *lval, psl_span *loc, void *scanner);

psl_top *psl_top_new(psl_parser *P, psl_top_kind kind, psl_span span);
psl_top *psl_top_comment(psl_parser *P, const char *text, psl_span span);
psl_top *psl_top_block(psl_parser *P, const char *keyword, psl_span kw_span, const char *name,
                       psl_span name_span, const char *header_rest, psl_vec *lines,
                       const char *close_trailing, psl_span span);
psl_top *psl_top_arbitrary(psl_parser *P, const char *name, psl_span name_span, psl_vec *lines,
                           psl_span span);
psl_top *psl_top_alias(psl_parser *P, const char *keyword, psl_span kw_span, const char *name,
                       psl_span name_span, psl_field_type type, psl_span span);
psl_top *psl_top_invalid(psl_parser *P, psl_span err, psl_span newline);
void psl_block_unclosed(psl_parser *P, psl_span at);
void psl_close_garbage(psl_parser *P, psl_span at);

psl_line *psl_line_new(psl_parser *P, psl_line_kind kind, psl_span span);
psl_line *psl_line_comment(psl_parser *P, const char *text, psl_span span);
psl_line *psl_line_attribute(psl_parser *P, psl_attribute *attr, const char *trailing, psl_span span);
psl_line *psl_line_field(psl_parser *P, const char *name, psl_span name_span, bool colon,
                         psl_field_type *type, psl_vec *attrs, const char *trailing, psl_span span);
psl_line *psl_line_key_value(psl_parser *P, const char *name, psl_span name_span, psl_expr *value,
                             const char *trailing, psl_span span);
psl_line *psl_line_invalid(psl_parser *P, psl_span err, psl_span newline);

psl_args psl_args_make(psl_parser *P, psl_vec *args, bool trailing_comma, psl_span span);
psl_expr *psl_expr_new(psl_parser *P, psl_expr_kind kind, const char *text, psl_span span);
psl_expr *psl_expr_string(psl_parser *P, const char *raw, psl_span span);
psl_expr *psl_expr_array(psl_parser *P, psl_vec *items, psl_span span);

#endif
