// SPDX-License-Identifier: GPL-2.0
#include <criterion/criterion.h>

#include "../calibrate/sim.h"
