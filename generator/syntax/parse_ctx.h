/* State shared by the lexer and the parser. Private to the front end. */
#ifndef PRISMAC_PARSE_CTX_H
#define PRISMAC_PARSE_CTX_H

#include "ast.h"

typedef struct psl_parser {
    const psl_source *src;
    psl_arena *arena;
    psl_diags *diags;
    void *scanner;

    /* Lexer position, kept by psl_lex_advance. */
    size_t offset;
    unsigned line, col;
    int depth; /* ( and [ nesting on the current line */
    int eof_stage;
    int last_token;
    bool too_deep_reported;
    size_t comment_start;
    psl_span comment_loc;
    bool close_known; /* the search for a closing star-slash */
    size_t close_from, close_at;

    psl_vec tops; /* psl_top* */

    /* The parser's own error, reported only if it could not recover. */
    bool has_fatal;
    psl_span fatal_loc;
    const char *fatal_msg;
} psl_parser;


/* Lexer helpers, defined in parse.c. */
void psl_lex_advance(psl_parser *P, psl_span *loc, const char *text, size_t len);
const char *psl_lex_text(psl_parser *P, const char *text, size_t len);
const char *psl_lex_brace_rest(psl_parser *P, const char *text, size_t len);
int psl_lex_eof(psl_parser *P, psl_span *loc);
int psl_lex_too_deep(psl_parser *P, psl_span *loc);
bool psl_lex_comment_closes(psl_parser *P);

#endif
