import { BadRequestException, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { AdminAuthGuard, ApiErrors } from '@surge/service-kit';
import { RoomsFileError } from './rooms-file.loader';
import { RoomsFileStore } from './rooms-file.store';
import { RoomsFileService } from './rooms-file.service';

@Controller('v1/admin/rooms-file')
@UseGuards(AdminAuthGuard)
export class RoomsFileController {
  constructor(
    private readonly rooms: RoomsFileService,
    private readonly file: RoomsFileStore,
  ) {}

  /** Reads the rooms file again and applies it; the same as sending the process SIGHUP, with the outcome. */
  @Post('reload')
  @HttpCode(200)
  @ApiOperation({ summary: 'Read the rooms file again and apply it, as SIGHUP does, and answer with the outcome' })
  @ApiErrors({ 400: 'no rooms file is configured, or it is invalid (the previous one stays in force)' })
  async reload() {
    if (!this.file.path) throw new BadRequestException('no rooms file: VQ_ROOMS_FILE is not set');
    let rooms;
    try {
      rooms = await this.rooms.reload();
    } catch (error) {
      // A bad file is the caller's to fix (the previous one stays in force); Redis being away is a 500 to retry.
      if (error instanceof RoomsFileError) throw new BadRequestException(error.message);
      throw error;
    }
    return { file: this.file.path, rooms };
  }
}
