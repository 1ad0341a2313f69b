// SPDX-License-Identifier: GPL-2.0
/*
 * common/parse: the one grammar for sizes, durations, counts, fractions
 * and booleans that job files, the command line and the test drivers
 * share.
 */
#include <errno.h>
#include <stdint.h>

#include <criterion/criterion.h>

#include "parse.h"

Test(parse, sizes)
{
	static const struct { const char *s; size_t want; } ok[] = {
		{ "4096", 4096 }, { "512K", 512 << 10 }, { "2M", 2 << 20 }, { "1G", 1UL << 30 },
		{ "64MiB", 64UL << 20 }, { "1GB", 1UL << 30 }, { "2m", 2 << 20 },
		{ "1.5K", 1536 }, { "10B", 10 }, { "1024G", 1ULL << 40 },
	};
	static const struct { const char *s; int err; } bad[] = {
		{ "-2M", -EINVAL }, { "0.3K", -EINVAL }, { "", -EINVAL }, { "M", -EINVAL },
		{ " 2M", -EINVAL }, { "2M ", -EINVAL }, { "+2M", -EINVAL }, { "2T", -EINVAL },
		{ "1e3", -EINVAL }, { "inf", -EINVAL }, { "nan", -EINVAL }, { "1.K", -EINVAL },
		{ "0", -ERANGE }, { "0K", -ERANGE }, { "1025G", -ERANGE },
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		size_t v = 0;
		int ret = parse_size(ok[i].s, &v);

		cr_expect(!ret && v == ok[i].want, "'%s' should be %zu bytes (ret %d, got %zu)",
			  ok[i].s, ok[i].want, ret, v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t v = 77;
		int ret = parse_size(bad[i].s, &v);

		cr_expect(ret == bad[i].err && v == 77, "'%s' should be refused with %d and not stored (ret %d)",
			  bad[i].s, bad[i].err, ret);
	}
}

Test(parse, durations_one_grammar)
{
	static const struct { const char *s; double want; } ok[] = {
		{ "45", 45 }, { "30s", 30 }, { "2m", 120 }, { "1.5m", 90 }, { "1h", 3600 },
		{ "500ms", 0.5 }, { "0", 0 }, { "0.25s", 0.25 },
	};
	static const char *const bad[] = {
		"-1", "-1s", "", "10 parsecs", "5x", " 5s", "5s ", "+5s", "1e3s", "ms", "1.s",
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		double v = -1;
		int ret = parse_duration(ok[i].s, &v);

		cr_expect(!ret && v == ok[i].want, "'%s' should be %g s (ret %d, got %g)",
			  ok[i].s, ok[i].want, ret, v);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		double v = -7;
		int ret = parse_duration(bad[i], &v);

		cr_expect(ret == -EINVAL && v == -7, "'%s' should be refused (ret %d, got %g)",
			  bad[i], ret, v);
	}
}

Test(parse, duration_ms_ranges)
{
	unsigned long long ms = 0;

	cr_expect(!parse_duration_ms("500ms", 1000, &ms) && ms == 500);
	cr_expect(!parse_duration_ms("1.5m", 100000, &ms) && ms == 90000);
	cr_expect_eq(parse_duration_ms("0s", 1000, &ms), -EINVAL, "zero is not a duration to run for");
	cr_expect_eq(parse_duration_ms("2s", 1000, &ms), -ERANGE, "above the limit");
}

Test(parse, uints)
{
	unsigned long long v = 0;

	cr_expect(!parse_uint("0", 10, &v) && v == 0);
	cr_expect(!parse_uint("010", 100, &v) && v == 10, "a leading zero is not octal");
	cr_expect(!parse_uint("0x10", 100, &v) && v == 16, "0x is hexadecimal");
	cr_expect(!parse_uint("18446744073709551615", UINT64_MAX, &v) && v == UINT64_MAX);
	cr_expect_eq(parse_uint("18446744073709551616", UINT64_MAX, &v), -ERANGE);
	cr_expect_eq(parse_uint("11", 10, &v), -ERANGE);
	cr_expect_eq(parse_uint(" -3", UINT64_MAX, &v), -EINVAL, "blanks and signs are refused");
	cr_expect_eq(parse_uint("-3", UINT64_MAX, &v), -EINVAL);
	cr_expect_eq(parse_uint("1.5", 10, &v), -EINVAL);
	cr_expect_eq(parse_uint("0x", 10, &v), -EINVAL);
	cr_expect_eq(parse_uint("", 10, &v), -EINVAL);
	cr_expect_eq(parse_uint("5x", 10, &v), -EINVAL);
}

Test(parse, fractions_and_bools)
{
	double d = 0;
	int b = -1;

	cr_expect(!parse_fraction("2%", &d) && d == 0.02);
	cr_expect(!parse_fraction("0.05", &d) && d == 0.05);
	cr_expect_eq(parse_fraction("150%", &d), -ERANGE);
	cr_expect_eq(parse_fraction("0", &d), -ERANGE);
	cr_expect_eq(parse_fraction("2%%", &d), -EINVAL);
	cr_expect_eq(parse_fraction("-2%", &d), -EINVAL);
	cr_expect(!parse_bool("true", &b) && b == 1);
	cr_expect(!parse_bool("0", &b) && b == 0);
	cr_expect_eq(parse_bool("yes", &b), -EINVAL);
}
