/* lab-scenario.c - socklab lab --scenario: which scenarios there are,
 * and the files a scenario's run wrote */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "socklab/lab.h"

static void list(void)
{
	printf("socklab lab --scenario NAME: a classic failure, reproduced on purpose\n\n");
	for (size_t i = 0; sl_lab_scenario_name(i); i++)
		printf("  %-14s %s\n", sl_lab_scenario_name(i),
		       sl_lab_scenario_about(i));
}

int cli_lab_scenario_option(struct sl_lab_opts *o, const char *name)
{
	if (!strcmp(name, "list") || !strcmp(name, "help")) {
		list();
		return -1;
	}
	for (size_t i = 0; sl_lab_scenario_name(i); i++)
		if (!strcmp(name, sl_lab_scenario_name(i))) {
			o->scenario = sl_lab_scenario_name(i);
			return 0;
		}
	return cli_usage_error("lab", "no scenario \"%s\": socklab lab --scenario list names them",
			       name);
}

void cli_lab_scenario_files(const struct sl_lab *lab)
{
	static const char *const suffixes[] = { "_report.json", "_report.html",
						"_sha256sums.txt" };
	char f[256];

	printf("\nscenario evidence in %s/:", lab->o.out_dir);
	for (int i = 1; i < SL_STEP_COUNT; i++) {
		char suffix[32];

		snprintf(suffix, sizeof(suffix), "_%s.txt", lab->steps[i].key);
		sl_lab_file_name(lab, suffix, f, sizeof(f));
		printf(" %s", f);
	}
	if (!lab->o.no_images)
		printf(" (and a .jpeg of each)");
	if (!lab->capture_skipped) {
		sl_lab_file_name(lab, "_packet.pcapng", f, sizeof(f));
		printf(" %s", f);
	}
	for (size_t i = 0; i < SL_ARRAY_SIZE(suffixes); i++) {
		sl_lab_file_name(lab, suffixes[i], f, sizeof(f));
		printf(" %s", f);
	}
	putchar('\n');
}
