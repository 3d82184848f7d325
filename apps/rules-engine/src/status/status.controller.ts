import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { type TargetStatus, type TargetStatusList, targetStatus, targetStatusList } from '@surge/contracts';
import { ApiErrors, ApiZodResponse } from '@surge/service-kit';
import { StatusReadGuard } from './status-read.guard';
import { TargetStatusReader } from './target-status.reader';

/** `kubectl describe hpa` for Surge: each target's policy, values, metrics, rules and conditions. */
@Controller('status')
@UseGuards(StatusReadGuard)
export class StatusController {
  constructor(private readonly reader: TargetStatusReader) {}

  @Get()
  @ApiOperation({ summary: 'Every target a policy scales, one line each' })
  @ApiZodResponse(200, 'TargetStatusList', targetStatusList)
  list(): Promise<TargetStatusList> {
    return this.reader.list();
  }

  /** The target id URL-encoded: `production%2Fapi-server`. */
  @Get(':target')
  @ApiOperation({ summary: "One target's policy, values, metrics, rules and conditions (the id URL-encoded)" })
  @ApiZodResponse(200, 'TargetStatus', targetStatus)
  @ApiErrors({ 404: 'no policy scales this target' })
  async one(@Param('target') target: string): Promise<TargetStatus> {
    const status = await this.reader.status(target);
    if (!status)
      throw new NotFoundException({ error: 'not_found', message: `no policy scales target ${target}`, target });
    return status;
  }
}
