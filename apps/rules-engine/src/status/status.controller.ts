import { Controller, Get, NotFoundException, Param, UseGuards } from '@nestjs/common';
import type { TargetStatus, TargetStatusList } from '@surge/contracts';
import { StatusReadGuard } from './status-read.guard';
import { TargetStatusReader } from './target-status.reader';

/** `kubectl describe hpa` for Surge: each target's policy, values, metrics, rules and conditions. */
@Controller('status')
@UseGuards(StatusReadGuard)
export class StatusController {
  constructor(private readonly reader: TargetStatusReader) {}

  @Get()
  list(): Promise<TargetStatusList> {
    return this.reader.list();
  }

  /** The target id URL-encoded: `production%2Fapi-server`. */
  @Get(':target')
  async one(@Param('target') target: string): Promise<TargetStatus> {
    const status = await this.reader.status(target);
    if (!status)
      throw new NotFoundException({ error: 'not_found', message: `no policy scales target ${target}`, target });
    return status;
  }
}
