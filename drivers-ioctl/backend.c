// SPDX-License-Identifier: GPL-2.0
/* The backend registry and what every backend shares. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "backend.h"
#include "errname.h"
#include "pagestate.h"

extern const struct hmm_backend_ops test_hmm_backend;
extern const struct hmm_backend_ops nouveau_backend;
extern const struct hmm_backend_ops amdkfd_backend;
extern const struct hmm_backend_ops xe_backend;
extern const struct hmm_backend_ops nvidia_uvm_backend;

static const struct hmm_backend_ops *const backends[] = {
	&test_hmm_backend,
	&nouveau_backend,
	&amdkfd_backend,
	&xe_backend,
	&nvidia_uvm_backend,
	NULL,
};

const struct hmm_backend_ops *const *hmm_backends(void)
{
	return backends;
}

const struct hmm_backend_ops *hmm_backend_find(const char *name)
{
	for (int i = 0; backends[i]; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

const char *hmm_backend_names(void)
{
	static char names[128];

	if (!names[0])
		for (int i = 0; backends[i]; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names),
				 "%s%s", i ? ", " : "", backends[i]->name);
	return names;
}

static const char *const cap_names[HMM_CAP_COUNT] = {
	"migrate-to-dev", "migrate-to-sys", "snapshot", "dev-rw", "exclusive",
	"release", "fail-alloc", "thp-pmd", "dev-coherent",
};

static int cap_index(enum hmm_cap cap)
{
	return __builtin_ctz(cap);
}

const char *hmm_cap_name(enum hmm_cap cap)
{
	return cap_names[cap_index(cap)];
}

const char *hmm_cap_reason(const struct hmm_dev *dev, enum hmm_cap cap)
{
	return dev->reason[cap_index(cap)];
}

void hmm_dev_set_cap(struct hmm_dev *dev, enum hmm_cap cap, int present,
		     const char *reason_fmt, ...)
{
	char *reason = dev->reason[cap_index(cap)];
	va_list ap;

	if (present)
		dev->caps |= cap;
	else
		dev->caps &= ~cap;
	reason[0] = '\0';
	if (reason_fmt) {
		va_start(ap, reason_fmt);
		vsnprintf(reason, HMM_REASON_MAX, reason_fmt, ap);
		va_end(ap);
	}
}

static const char *const op_names[HMM_OP_COUNT] = {
	"open", "migrate to device", "migrate to system", "snapshot",
	"device read", "device write", "exclusive access",
	"check exclusive access", "release", "inject allocation failure",
	"copy across the bus",
};

const char *hmm_op_name(enum hmm_op op)
{
	return op < HMM_OP_COUNT ? op_names[op] : "operation";
}

/* The first node @ops can try, into dev->path; -ENODEV and dev->why if none. */
static int discover_first(struct hmm_dev *dev, const struct hmm_backend_ops *ops)
{
	struct hmm_discovery d;

	hmm_backend_discover(ops, &d);
	for (int i = 0; i < d.n; i++) {
		if (!d.c[i].reason[0]) {
			snprintf(dev->path, sizeof(dev->path), "%s", d.c[i].path);
			return 0;
		}
	}
	snprintf(dev->why, sizeof(dev->why), "%s", d.reason[0] ? d.reason : "no device found");
	return -ENODEV;
}

int hmm_dev_open(struct hmm_dev *dev, const struct hmm_backend_ops *ops,
		 const char *path)
{
	int ret;

	memset(dev, 0, sizeof(*dev));
	dev->ops = ops;
	dev->fd = -1;
	snprintf(dev->path, sizeof(dev->path), "%s", path ? path : HMM_PATH_AUTO);
	if (ops->discover && !strcmp(dev->path, HMM_PATH_AUTO)) {
		ret = discover_first(dev, ops);
		if (ret)
			return ret;
	}
	ret = ops->open(dev, dev->path);
	if (ret)
		return ret;
	return ops->probe_caps ? ops->probe_caps(dev) : 0;
}

void hmm_dev_close(struct hmm_dev *dev)
{
	if (dev->ops && dev->ops->close)
		dev->ops->close(dev);
	dev->fd = -1;
}

const char *hmm_dev_strerror(const struct hmm_dev *dev, enum hmm_op op,
			     int err, char *buf, size_t len)
{
	unsigned int needs = hmm_op_needs(op);
	const char *meaning = NULL;

	if (err < 0)
		err = -err;
	if (err == EOPNOTSUPP && needs && !hmm_dev_can(dev, needs))
		meaning = hmm_cap_reason(dev, needs)[0] ? hmm_cap_reason(dev, needs)
							: "the backend does not have this capability";
	else if (dev->why[0])
		meaning = dev->why;
	else if (dev->ops && dev->ops->explain)
		meaning = dev->ops->explain(op, err);
	snprintf(buf, len, "%s on %s failed: %s (%s)%s%s", hmm_op_name(op),
		 dev->path, errno_name(err), strerror(err),
		 meaning ? ": " : "", meaning ? meaning : "");
	return buf;
}

void *hmm_map_one_pmd(void)
{
	char *aligned = hmm_mmap_pmd_aligned(PMD_SZ, PROT_READ | PROT_WRITE, 0);

	if (!aligned)
		return NULL;
	madvise(aligned, PMD_SZ, MADV_HUGEPAGE);
	memset(aligned, 0x5a, PMD_SZ);
	return aligned;
}
