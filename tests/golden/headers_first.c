/* A program that includes the standard headers before the generated one:
 * their macros (errno, EOF, stdin, assert, ...) must not break it. Compiled
 * as C and as C++ for every golden case (meson.build). */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
