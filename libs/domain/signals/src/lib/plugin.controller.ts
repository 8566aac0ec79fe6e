import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';

import { pluginInfoSchema } from '@bulwark/api-schema';
import { Allow, Returns } from '@bulwark/platform';

import { PluginRegistry } from './plugin-registry.js';

/** The plugins this deployment runs, with their config schemas (the source form renders them). */
@ApiTags('signals')
@Controller()
export class PluginController {
  constructor(private readonly registry: PluginRegistry) {}

  @Get('plugins')
  @Allow('plugin.read')
  @Returns(z.array(pluginInfoSchema))
  plugins() {
    return this.registry.info();
  }
}
