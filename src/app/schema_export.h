/* schema_export.h - `careerpdf --schema NAME [--json-schema]` (schema_export.c). */
#ifndef CP_SCHEMA_EXPORT_H
#define CP_SCHEMA_EXPORT_H

#include "app.h"

/* Prints content/schema/NAME.yaml as written, or (json) as a JSON Schema, draft 2020-12,
 * on stdout. EXIT_OK, or EXIT_BAD after a message naming the schemas there are. */
int app_schema(cp_session *s, const char *name, bool json);

#endif
