// SPDX-License-Identifier: GPL-2.0
/*
 * device= and backend= in a job file's [global] choose the run's device,
 * and --device and --backend on the command line win over them.
 */
#include <string.h>

#include <criterion/criterion.h>

#include "backend.h"
#include "cli.h"
#include "job.h"

static void opts(struct run_opts *o, char **argv, int argc)
{
	memset(o, 0, sizeof(*o));
	cr_assert_eq(run_parse_opts(argc, argv, o), 0);
}

static void jobs(struct job_list *l, const char *text)
{
	char err[512];

	cr_assert_eq(job_parse_string("t.ini", text, l, err, sizeof(err)), 0, "%s", err);
}

Test(run_device, the_job_file_chooses_the_flags_win)
{
	char *plain[] = { "run", "--job", "t.ini", NULL };
	char *flagged[] = { "run", "--job", "t.ini", "--device", "/dev/hmm_dmirror1", NULL };
	struct run_opts o;
	struct job_list l;

	jobs(&l, "[global]\ndevice=/dev/hmm_dmirror3\n[m]\n");
	opts(&o, plain, 3);
	cr_expect_str_eq(o.device, "/dev/hmm_dmirror0", "before the file is read: the default");
	run_choose_device(&o, &l);
	cr_expect_str_eq(o.device, "/dev/hmm_dmirror3", "the file's device=");
	opts(&o, flagged, 5);
	run_choose_device(&o, &l);
	cr_expect_str_eq(o.device, "/dev/hmm_dmirror1", "--device wins");
	job_list_free(&l);

	jobs(&l, "[global]\nbackend=nouveau\n[m]\n");
	opts(&o, plain, 3);
	run_choose_device(&o, &l);
	cr_expect_eq(o.backend, hmm_backend_find("nouveau"), "the file's backend=");
	cr_expect_str_eq(o.device, hmm_backend_find("nouveau")->default_paths[0],
			 "and that backend's own default node");
	job_list_free(&l);

	jobs(&l, "[m]\n");
	opts(&o, plain, 3);
	run_choose_device(&o, &l);
	cr_expect(o.backend == hmm_backend_find("test_hmm") && !strcmp(o.device, "/dev/hmm_dmirror0"),
		  "a file that names none changes nothing");
	job_list_free(&l);
}
