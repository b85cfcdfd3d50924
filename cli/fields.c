/* fields.c - socklab help fields: the display-filter field registry, one
 * "NAME<tab>TYPE<tab>DESCRIPTION" line per field (what -Y, --json and the
 * shell completions know), like tshark -G fields */
#include <stdio.h>

#include "cli.h"
#include "socklab/dissect.h"

static const struct sl_tok type_names[] = {
	{ SL_FT_PROTO, "protocol" }, { SL_FT_UINT, "unsigned" },
	{ SL_FT_BOOL, "boolean" }, { SL_FT_IPV4, "ipv4" },
	{ SL_FT_IPV6, "ipv6" }, { SL_FT_ETHER, "ether" },
	{ SL_FT_BYTES, "bytes" }, { SL_FT_TIME, "time" },
	{ SL_FT_INT, "signed" }, { SL_FT_STRING, "string" }, { 0, NULL },
};

int cli_fields(void)
{
	for (int i = 0; i < SL_F_COUNT; i++) {
		const struct sl_field_def *d = &sl_fields[i];

		if (!d->name)
			continue;
		printf("%s\t%s\t%s\n", d->name,
		       sl_tok_name(type_names, (int)d->type, "?"), d->desc);
	}
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
