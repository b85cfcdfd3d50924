/* lab-verify.c - socklab lab --verify: a teacher's check of handed-in
 * bundles, as a table, CSV, and one class page */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "socklab/report.h"
#include "socklab/verify.h"

static const char usage[] =
	"usage: socklab lab --verify DIR|ZIP... [--csv] [--html FILE]\n"
	"\n"
	"Checks evidence bundles handed in by students: each folder or ZIP (and\n"
	"each folder in it) holds one or more bundles, NAME_* files each. Per\n"
	"bundle: every file there and named for its student; the capture parses\n"
	"and holds a full handshake to a port above 59000 and a payload carrying\n"
	"NAME; the socket snapshots agree with the capture; the hashes in\n"
	"NAME_report.json and NAME_sha256sums.txt match; the images show their\n"
	"text; the code is there. Across bundles: the same capture, initial\n"
	"sequence number, ephemeral port, run or code. A bundle made by hand\n"
	"(a Wireshark capture and screenshots) gets the checks its capture allows.\n"
	"A pass means nothing was changed by accident or copied from another\n"
	"bundle, not that nothing was forged: anyone with socklab can make one.\n"
	"ZIP entries must be stored (zip -0): unpack a compressed ZIP first.\n"
	"\n"
	"  --csv          CSV on stdout instead of the table (a row per student)\n"
	"  --html FILE    also write the class page (one self-contained HTML file)\n"
	"\n"
	"Exit 0 when no bundle failed a check, 1 when one did (or a path could\n"
	"not be read), 2 for a usage error.\n";

enum { OPT_VERIFY = 256, OPT_CSV, OPT_HTML };

struct vopts {
	int csv;
	const char *html;
	const char *first;
};

static int parse(struct vopts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verify", required_argument, NULL, OPT_VERIFY },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	/* --verify takes the first path: -h after it still asks for help */
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(usage, stdout);
			return -1;
		}
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (opt) {
		case OPT_VERIFY: o->first = optarg; break;
		case OPT_CSV: o->csv = 1; break;
		case OPT_HTML: o->html = optarg; break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return cli_usage_error("lab", "%s needs a value",
					       argv[optind - 1]);
		default:
			return cli_bad_option("lab", optopt, argv[optind - 1]);
		}
	}
	if (!o->first)
		return cli_usage_error("lab", "--verify needs a folder or a ZIP");
	return 0;
}

static int load(struct sl_verify *v, const struct vopts *o, int argc,
		char **argv)
{
	struct sl_err e;

	if (sl_verify_add(v, o->first, &e) < 0)
		return cli_fail("lab", &e);
	for (int i = optind; i < argc; i++)
		if (sl_verify_add(v, argv[i], &e) < 0)
			return cli_fail("lab", &e);
	return 0;
}

static int write_page(const struct sl_verify *v, const char *path)
{
	struct sl_buf b = SL_BUF_INIT;
	struct sl_err e;
	int rc = sl_report_class_html(&b, v);

	if (rc < 0)
		sl_err_set(&e, rc, "cannot render the class page: out of memory");
	else
		rc = sl_write_file(path, b.data, b.len, &e);
	sl_buf_release(&b);
	return rc < 0 ? cli_fail("lab", &e) : 0;
}

int cmd_lab_verify(int argc, char **argv)
{
	struct vopts o = { 0 };
	struct sl_verify v;
	struct sl_buf out = SL_BUF_INIT;
	int rc = parse(&o, argc, argv);

	if (rc)
		return rc < 0 ? EXIT_OK : rc;
	sl_verify_init(&v);
	if ((rc = load(&v, &o, argc, argv)) == 0 && v.n == 0) {
		cli_error("lab", "no bundle found in the paths given: a bundle is a folder with NAME_report.json or a capture file");
		rc = EXIT_FAIL;
	}
	if (rc == 0) {
		sl_verify_run(&v);
		rc = o.csv ? sl_verify_csv(&out, &v) : sl_verify_table(&out, &v);
		if (rc == 0)
			cli_write(stdout, out.data, out.len);
		rc = o.html ? write_page(&v, o.html) : 0;
		if (rc == 0 && o.html && !o.csv)
			printf("class page: %s\n", o.html);
		if (rc == 0)
			rc = sl_verify_worst(&v) == SL_MARK_FAIL ? EXIT_FAIL : EXIT_OK;
	}
	sl_buf_release(&out);
	sl_verify_release(&v);
	return rc;
}
