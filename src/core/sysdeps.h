/* The system headers that every file reaching Pango parses (most of layout/, render/ and
 * app/ do, through render/dlist.h): the build precompiles this header once per build
 * folder (gcc) and hands the image to those files with -include, so they load it rather
 * than parse these headers again (Makefile, "Precompiled system headers").
 *
 * Nothing includes this file: each source still includes what it uses, and builds
 * without the image (clang) compile them that way, which keeps the includes honest.
 * Only system headers belong here, none of ours: a change here rebuilds every file that
 * takes the image. */
#ifndef CAREERPDF_SYSDEPS_H
#define CAREERPDF_SYSDEPS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

#endif
