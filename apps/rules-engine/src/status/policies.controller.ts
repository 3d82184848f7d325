import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import {
  type RunningPolicy,
  type RunningPolicyDetail,
  runningPolicyDetail,
  type RunningPolicyList,
  runningPolicyList,
} from '@surge/contracts';
import { ApiErrors, ApiZodResponse } from '@surge/service-kit';
import type { ScalingPolicy } from '@surge/policy';
import { PolicyStore } from '../policies/policy-store.service';
import { StatusReadGuard } from './status-read.guard';

function listing(policy: ScalingPolicy): RunningPolicy {
  return {
    name: policy.name,
    target: { kind: policy.target.kind, id: policy.target.id },
    setting: policy.setting,
    version: policy.version,
    ...(policy.source === undefined ? {} : { source: policy.source }),
  };
}

/** The policies in force as their files say, before the operator's controls (GET /status shows those). */
@Controller('policies')
@UseGuards(StatusReadGuard)
export class PoliciesController {
  constructor(private readonly policies: PolicyStore) {}

  @Get()
  @ApiOperation({ summary: 'The policies in force as their files say, before the controls' })
  @ApiZodResponse(200, 'RunningPolicyList', runningPolicyList)
  list(): RunningPolicyList {
    return {
      policies: this.policies
        .all()
        .map(listing)
        .sort((a, b) => a.name.localeCompare(b.name)),
    };
  }

  /** With the normalized document, the very thing the version hashes, for `surgectl policies diff`. */
  @Get(':name')
  @ApiOperation({ summary: 'One policy with its normalized document, the very thing its version hashes' })
  @ApiZodResponse(200, 'RunningPolicyDetail', runningPolicyDetail)
  @ApiErrors({ 404: 'no policy of this name' })
  one(@Param('name') name: string): RunningPolicyDetail {
    const policy = this.policies.all().find((p) => p.name === name);
    if (!policy) throw new NotFoundException({ error: 'not_found', message: `no policy named ${name}`, policy: name });
    const { version: _version, source: _source, ...normalized } = policy;
    return { ...listing(policy), normalized };
  }
}
