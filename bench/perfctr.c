// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HAVE_LIBPFM
#include <perfmon/pfmlib_perf_event.h>
#else
#include <linux/perf_event.h>
#endif

#include "errname.h"
#include "perfctr.h"

/* perf's generic names: the encoder without libpfm4, and the short list. */
static const struct generic_event {
	const char *name;
	uint32_t type;
	uint64_t config;
} generic_events[] = {
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
#define CACHE(id, op, res) (PERF_COUNT_HW_CACHE_##id | \
	(PERF_COUNT_HW_CACHE_OP_##op << 8) | (PERF_COUNT_HW_CACHE_RESULT_##res << 16))
	{ "dTLB-loads", PERF_TYPE_HW_CACHE, CACHE(DTLB, READ, ACCESS) },
	{ "dTLB-load-misses", PERF_TYPE_HW_CACHE, CACHE(DTLB, READ, MISS) },
	{ "dTLB-store-misses", PERF_TYPE_HW_CACHE, CACHE(DTLB, WRITE, MISS) },
	{ "iTLB-load-misses", PERF_TYPE_HW_CACHE, CACHE(ITLB, READ, MISS) },
	{ "L1-dcache-loads", PERF_TYPE_HW_CACHE, CACHE(L1D, READ, ACCESS) },
	{ "L1-dcache-load-misses", PERF_TYPE_HW_CACHE, CACHE(L1D, READ, MISS) },
	{ "LLC-load-misses", PERF_TYPE_HW_CACHE, CACHE(LL, READ, MISS) },
#undef CACHE
	{ NULL, 0, 0 },
};

static int generic_encode(const char *name, struct perf_event_attr *attr)
{
	for (const struct generic_event *g = generic_events; g->name; g++) {
		if (strcmp(g->name, name))
			continue;
		attr->type = g->type;
		attr->config = g->config;
		return 0;
	}
	return -ENOENT;
}

#ifdef HAVE_LIBPFM
static int pfm_ready = -1;	/* -1: not tried, 0: failed, 1: initialised */

static int pfm_init_once(void)
{
	if (pfm_ready < 0)
		pfm_ready = pfm_initialize() == PFM_SUCCESS;
	return pfm_ready;
}

const char *perfctr_encoder(void)
{
	static char desc[48];

	if (!pfm_init_once())
		return "built-in table (libpfm4 failed to initialise)";
	/* pfm_get_version() is the API version (4.0), not the package's. */
	snprintf(desc, sizeof(desc), "libpfm4 (API %d)", PFM_MAJ_VERSION(pfm_get_version()));
	return desc;
}

static int encode(const char *name, struct perf_event_attr *attr,
		  char *err, size_t errlen)
{
	pfm_perf_encode_arg_t arg;
	int ret;

	if (!pfm_init_once())
		goto table;
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	ret = pfm_get_os_event_encoding(name, PFM_PLM0 | PFM_PLM3,
					PFM_OS_PERF_EVENT_EXT, &arg);
	if (ret == PFM_SUCCESS)
		return 0;
	if (ret != PFM_ERR_NOTFOUND) {
		snprintf(err, errlen,
			 "perf event '%s' cannot be encoded: %s (libpfm4); see 'hmmbench run --events list'",
			 name, pfm_strerror(ret));
		return -EINVAL;
	}
table:
	if (!generic_encode(name, attr))
		return 0;
	snprintf(err, errlen,
		 "unknown perf event '%s': 'hmmbench run --events list' prints the names this machine knows",
		 name);
	return -EINVAL;
}

static void list_pfm_events(FILE *f)
{
	pfm_pmu_info_t pinfo;
	pfm_event_info_t info;
	int pmu;

	if (!pfm_init_once())
		return;
	pfm_for_all_pmus(pmu) {
		memset(&pinfo, 0, sizeof(pinfo));
		pinfo.size = sizeof(pinfo);
		if (pfm_get_pmu_info(pmu, &pinfo) != PFM_SUCCESS || !pinfo.is_present)
			continue;
		fprintf(f, "\n# %s (%s), %d events, via libpfm4:\n", pinfo.name,
			pinfo.desc, pinfo.nevents);
		for (int i = pinfo.first_event; i != -1; i = pfm_get_event_next(i)) {
			memset(&info, 0, sizeof(info));
			info.size = sizeof(info);
			if (pfm_get_event_info(i, PFM_OS_NONE, &info) == PFM_SUCCESS)
				fprintf(f, "%s::%s\n", pinfo.name, info.name);
		}
	}
}
#else
const char *perfctr_encoder(void)
{
	return "built-in table (no libpfm4)";
}

static int encode(const char *name, struct perf_event_attr *attr,
		  char *err, size_t errlen)
{
	if (!generic_encode(name, attr))
		return 0;
	snprintf(err, errlen,
		 "unknown perf event '%s': 'hmmbench run --events list' prints the names this build knows (built without libpfm4: perf's generic names only)",
		 name);
	return -EINVAL;
}

static void list_pfm_events(FILE *f)
{
	(void)f;
}
#endif

void perfctr_list(FILE *f)
{
	fprintf(f, "# perf's generic names (encoder: %s):\n", perfctr_encoder());
	for (const struct generic_event *g = generic_events; g->name; g++)
		fprintf(f, "%s\n", g->name);
	list_pfm_events(f);
}

static int sys_perf_event_open(struct perf_event_attr *attr, pid_t pid,
			       int cpu, int group, unsigned long flags)
{
	return syscall(__NR_perf_event_open, attr, pid, cpu, group, flags);
}

/* What a kernel developer can do about @err from perf_event_open(). */
static const char *open_hint(int err)
{
	switch (err) {
	case ENOENT:
		return "no PMU on this machine counts it (no hardware PMU: e.g. a TCG guest or a VM without vPMU)";
	case ENODEV:
		return "this CPU's PMU does not have it";
	case EOPNOTSUPP:
		return "the PMU cannot count it in this mode";
	case EACCES:
	case EPERM:
		return "not permitted: run as root or lower /proc/sys/kernel/perf_event_paranoid";
	case ENOSYS:
		return "the kernel has no perf events (CONFIG_PERF_EVENTS=n)";
	case EINVAL:
		return "the kernel rejected the encoding";
	case EMFILE:
		return "too many open files";
	default:
		return "perf_event_open failed";
	}
}

static void open_event(struct perfctr_event *ev, struct perf_event_attr *attr)
{
	int err;

	attr->size = sizeof(*attr);
	attr->disabled = 1;
	attr->inherit = 1;
	attr->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED |
			    PERF_FORMAT_TOTAL_TIME_RUNNING;
	ev->fd = sys_perf_event_open(attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (ev->fd >= 0)
		return;
	err = errno;
	snprintf(ev->reason, sizeof(ev->reason), "%s (%s): %s", errno_name(err),
		 strerror(err), open_hint(err));
}

/* Copies the next comma-separated name of *@p into @name; 0 at the end. */
static int next_name(const char **p, char *name, size_t len, char *err,
		     size_t errlen)
{
	const char *s = *p, *end;

	while (*s == ',')
		s++;
	if (!*s)
		return 0;
	end = strchrnul(s, ',');
	if ((size_t)(end - s) >= len) {
		snprintf(err, errlen, "perf event name '%.*s...' is too long (at most %zu characters)",
			 40, s, len - 1);
		return -EINVAL;
	}
	memcpy(name, s, end - s);
	name[end - s] = '\0';
	*p = end;
	return 1;
}

int perfctr_open(const char *list, struct perfctr_set *set, char *err,
		 size_t errlen)
{
	const char *p = list ? list : "";
	char name[PERFCTR_NAME_MAX];
	int ret;

	memset(set, 0, sizeof(*set));
	while ((ret = next_name(&p, name, sizeof(name), err, errlen)) > 0) {
		struct perf_event_attr attr;
		struct perfctr_event *ev;

		memset(&attr, 0, sizeof(attr));
		ret = encode(name, &attr, err, errlen);
		if (ret)
			break;
		ev = realloc(set->ev, (set->n + 1) * sizeof(*ev));
		if (!ev) {
			snprintf(err, errlen, "out of memory opening perf events");
			ret = -ENOMEM;
			break;
		}
		set->ev = ev;
		ev = &set->ev[set->n++];
		memset(ev, 0, sizeof(*ev));
		snprintf(ev->name, sizeof(ev->name), "%s", name);
		open_event(ev, &attr);
	}
	if (ret < 0)
		perfctr_close(set);
	return ret;
}

struct read_value {
	uint64_t value, enabled, running;
};

static int read_event(const struct perfctr_event *ev, struct read_value *v)
{
	ssize_t n = read(ev->fd, v, sizeof(*v));

	if (n == (ssize_t)sizeof(*v))
		return 0;
	return n < 0 ? -errno : -EIO;
}

int perfctr_start(struct perfctr_set *set)
{
	int ret = 0;

	for (size_t i = 0; i < set->n; i++) {
		struct perfctr_event *ev = &set->ev[i];
		struct read_value v;

		if (ev->fd < 0)
			continue;
		/*
		 * RESET clears the counter but not what exited threads left
		 * in it (the kernel's child_count): keep a baseline instead.
		 */
		if (ioctl(ev->fd, PERF_EVENT_IOC_RESET, 0) < 0 ||
		    read_event(ev, &v) < 0 ||
		    ioctl(ev->fd, PERF_EVENT_IOC_ENABLE, 0) < 0) {
			ret = ret ? ret : (errno ? -errno : -EIO);
			continue;
		}
		ev->value = v.value;
		ev->enabled = v.enabled;
		ev->running = v.running;
	}
	return ret;
}

static json_t *event_json(struct perfctr_event *ev)
{
	struct read_value v;
	int ret;

	if (ev->fd < 0)
		return json_pack("{s:s}", "unavailable", ev->reason);
	ioctl(ev->fd, PERF_EVENT_IOC_DISABLE, 0);
	ret = read_event(ev, &v);
	if (ret)
		return json_pack("{s:s+}", "unavailable", errno_name(ret),
				 ": reading the counter failed");
	v.value -= ev->value;
	v.enabled -= ev->enabled;
	v.running -= ev->running;
	ev->value = v.value;
	ev->enabled = v.enabled;
	ev->running = v.running;
	if (v.running == v.enabled)
		return json_integer((json_int_t)v.value);
	/* Multiplexed: scale, and say so. */
	if (v.running)
		ev->value = (uint64_t)((double)v.value * v.enabled / v.running);
	return json_pack("{s:I, s:I, s:I, s:b}", "value", (json_int_t)ev->value,
			 "enabled_ns", (json_int_t)v.enabled,
			 "running_ns", (json_int_t)v.running, "scaled", v.running != 0);
}

json_t *perfctr_stop_read(struct perfctr_set *set)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	for (size_t i = 0; i < set->n; i++)
		json_object_set_new(o, set->ev[i].name, event_json(&set->ev[i]));
	return o;
}

void perfctr_close(struct perfctr_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->ev[i].fd >= 0)
			close(set->ev[i].fd);
	free(set->ev);
	set->ev = NULL;
	set->n = 0;
}
