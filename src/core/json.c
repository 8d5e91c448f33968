/* json.c - JSON text from a json-glib tree (json.h). */
#include "json.h"

char *json_text(JsonBuilder *b, bool pretty)
{
    JsonNode *root = json_builder_get_root(b);   /* a new reference */
    JsonGenerator *g = json_generator_new();
    json_generator_set_pretty(g, pretty);
    json_generator_set_indent(g, 2);
    json_generator_set_root(g, root);
    gsize len = 0;
    char *body = json_generator_to_data(g, &len);
    g_object_unref(g);
    json_node_unref(root);
    char *out = g_strconcat(body, "\n", NULL);
    g_free(body);
    return out;
}
