/* SPDX-License-Identifier: BSD-3-Clause */
/* Selection: which datagrams (agent=) and which samples (ifindex=, dir=,
 * -Q) a capture keeps. Pure: the device's options and the decoded fields
 * in, a verdict out. */
#ifndef SFLOW_SELECT_H
#define SFLOW_SELECT_H

#include "device.h"
#include "sflow_decode.h"

/* Why a sample is left out: the first kind it fails, in this order. */
enum sflow_select_verdict {
	SFLOW_SELECTED = 0,
	SFLOW_LEFT_OUT_IFINDEX,         /* data source not one of ifindex= */
	SFLOW_LEFT_OUT_DIRECTION,       /* not taken on the side dir= or -Q asks for */
};

/* 1 when the datagram's agent address is one of agent= (any when none is
 * given), else 0. Called on the peeked header, before decoding. */
int sflow_select_agent(const struct sflow_device *device, const struct sflow_address *agent);

/* Whether the sample passes ifindex= and dir=, and -Q, whose direction
 * must hold as well as dir='s (SFLOW_DIRECTION_UNKNOWN: none asked). */
enum sflow_select_verdict sflow_select_sample(const struct sflow_device *device,
					      enum sflow_direction queried_direction,
					      const struct sflow_sample *sample);

/* 0 when neither ifindex=, dir= nor -Q is set: every sample is selected,
 * so the read path need not ask sample by sample. */
static inline int sflow_select_samples_needed(const struct sflow_device *device,
					      enum sflow_direction queried_direction)
{
	return device->ifindex_count > 0 || device->direction != SFLOW_DIRECTION_UNKNOWN ||
	       queried_direction != SFLOW_DIRECTION_UNKNOWN;
}

#endif
