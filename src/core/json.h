/* json.h - JSON output, built with json-glib (JsonBuilder) and written here, so every
 * JSON careerpdf prints (schemas, --list --json, --summary) has the same shape: keys in
 * the order they were added, two-space indentation or one line, a final newline. */
#ifndef CP_JSON_H
#define CP_JSON_H

#include <stdbool.h>
#include <json-glib/json-glib.h>

/* The text of what `b` built (pretty: indented, else one line), ending in a newline;
 * g_free() it. */
char *json_text(JsonBuilder *b, bool pretty);

#endif
